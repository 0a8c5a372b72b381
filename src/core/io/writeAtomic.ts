// Every file we write goes to a temporary file in the same folder first and is then moved into
// place, so a crash, a kill or a full disk leaves either the old file or the new one, never half of
// one; a temporary file whose write failed is removed. `replace: false` refuses an existing target
// without a window in which another writer could slip in (a hard link fails on an existing name).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileError } from './fileErrors';

let counter = 0;

export function writeAtomic(file: string, data: string | Uint8Array, o: { replace?: boolean } = {}): void {
  const tmp = tempBeside(file);
  try {
    fs.writeFileSync(tmp, data);
    moveIntoPlace(tmp, file, o);
  } catch (e) {
    failed(e, tmp, file);
  }
}

/**
 * writeAtomic with the write done in libuv's threads, so the caller's thread can work meanwhile
 * (a forest's bundle is 20 MB; writing it took 170-240 ms of the thread that then scored the test rows).
 */
export async function writeAtomicAsync(file: string, data: string | Uint8Array, o: { replace?: boolean } = {}): Promise<void> {
  const tmp = tempBeside(file);
  try {
    await fs.promises.writeFile(tmp, data);
    moveIntoPlace(tmp, file, o);
  } catch (e) {
    failed(e, tmp, file);
  }
}

/** A temporary name in the file's folder (made if missing), unique to this process and write. */
function tempBeside(file: string): string {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new FileError(e, dir, 'write');
  }
  return path.join(dir, `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
}

function moveIntoPlace(tmp: string, file: string, o: { replace?: boolean }): void {
  if (o.replace === false) {
    fs.linkSync(tmp, file);
    fs.unlinkSync(tmp);
  } else fs.renameSync(tmp, file);
}

function failed(e: unknown, tmp: string, file: string): never {
  fs.rmSync(tmp, { force: true });
  throw new FileError(e, (e as NodeJS.ErrnoException).path === tmp ? path.dirname(file) : file, 'write');
}
