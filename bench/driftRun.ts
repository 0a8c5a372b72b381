// One run of `npm run bench:drift` (ours): a 100,000-row reference and a 1,000,000-row current
// frame of 20 columns (16 numbers, 4 categories; seeded, the current one shifted on a few), written
// as raw float64 files for scipy's side, then the drift report on them timed (medians of ROUNDS).
// The report picks Wasserstein for the numbers and Jensen–Shannon for the categories, as
// Evidently does for a reference over 1,000 rows.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Column, Frame } from '../src/core/frame';
import { driftReport } from '../src/core/monitoring/drift';
import { rng } from '../src/core/ml/random';

const [dir, roundsText] = process.argv.slice(2);
const rounds = Number(roundsText ?? 3);
const rand = rng(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

function frame(n: number, shifted: boolean, source: string): Frame {
  const columns: Column[] = [];
  for (let f = 0; f < 16; f++) {
    const values = new Float64Array(n);
    const shift = shifted && f % 4 === 0 ? 0.3 : 0;
    for (let i = 0; i < n; i++) values[i] = normal() * (1 + f / 10) + f + shift;
    columns.push({ kind: 'numeric', name: `x${f}`, length: n, values, integer: false });
    fs.writeFileSync(path.join(dir, `${source}_x${f}.f64`), Buffer.from(values.buffer));
  }
  for (let f = 0; f < 4; f++) {
    const k = 5 + f * 5;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = Math.min(k - 1, Math.floor((shifted && f === 0 ? rand() ** 1.3 : rand()) * k));
    columns.push({ kind: 'categorical', name: `c${f}`, length: n, codes, dictionary: Array.from({ length: k }, (_, j) => `v${j}`) });
    fs.writeFileSync(path.join(dir, `${source}_c${f}.f64`), Buffer.from(Float64Array.from(codes).buffer));
  }
  return { source, rows: n, columns, warnings: [] };
}

const reference = frame(100_000, false, 'reference');
const current = frame(1_000_000, true, 'current');
const times: number[] = [];
let report;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  report = driftReport(reference, current);
  times.push((performance.now() - t0) / 1000);
}
const drifted = report!.columns.filter((c) => c.drifted).map((c) => c.name).sort();
const distances = Object.fromEntries(report!.columns.map((c) => [c.name, c.distance]));
process.stdout.write(JSON.stringify({ seconds: times.sort((a, b) => a - b)[Math.floor(times.length / 2)], all: times, drifted, distances, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
