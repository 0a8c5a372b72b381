// Where tests find the project, its fixtures and the shared datasets (the bundles that import this
// run from dist/test/unit and dist/test/scripts, three folders below the project).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const DATASETS = process.env.MLW_DATASETS || path.resolve(ROOT, '..', 'shared', 'datasets');

export function dataset(name: string): string {
  const p = path.join(DATASETS, name);
  if (!fs.existsSync(p)) throw new Error(`shared dataset ${p} is missing (set MLW_DATASETS to the datasets folder)`);
  return p;
}

export function tempFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-test-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
