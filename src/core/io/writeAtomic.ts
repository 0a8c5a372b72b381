// Every file we write goes to a temporary file in the same folder first and is then moved into
// place, so a crash, a kill or a full disk leaves either the old file or the new one, never half of
// one; a temporary file whose write failed is removed. `replace: false` refuses an existing target
// without a window in which another writer could slip in (a hard link fails on an existing name).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError } from './fileErrors';

let counter = 0;

export function writeAtomic(file: string, data: string | Uint8Array, o: { replace?: boolean } = {}): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FileError(e, dir, 'write');
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    if (o.replace === false) {
      fs.linkSync(tmp, file);
      fs.unlinkSync(tmp);
    } else fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new FileError(e, (e as NodeJS.ErrnoException).path === tmp ? dir : file, 'write');
  }
}
