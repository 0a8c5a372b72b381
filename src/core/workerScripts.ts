import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Path of a bundled worker script (dist/<name>.js). Bundles land in dist/, unit-test bundles in
 * dist/test/unit/, so look beside this bundle and up to two folders above it.
 */
export function workerScript(name: string): string {
  const dirs = [__dirname, path.join(__dirname, '..'), path.join(__dirname, '..', '..')];
  for (const dir of dirs) {
    const p = path.join(dir, `${name}.js`);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`worker script ${name}.js not found beside ${__dirname}: run "npm run build"`);
}
