// What the flights_3m benchmarks share: the paths, medians, and the file unzipped into a fresh temp folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SHARED = process.env.MLW_SHARED || path.resolve(ROOT, '..', 'shared');
export const ROUNDS = Number(process.env.ROUNDS || 5);
export const median = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

/** flights_3m.csv unzipped into a new temp folder: { tmp, csv }. */
export async function unzipFlights() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-bench-'));
  const csv = path.join(tmp, 'flights_3m.csv');
  await pipeline(fs.createReadStream(path.join(SHARED, 'datasets', 'flights_3m.csv.gz')), zlib.createGunzip(), fs.createWriteStream(csv));
  return { tmp, csv };
}
