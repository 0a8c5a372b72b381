// npm run bench:features: the feature steps of bench/featuresRun.ts on flights_3m.csv (3M rows),
// ours against pandas doing the same (bench/pandas_features.py) in the same run, whole processes
// alternating; medians of ROUNDS (5) rounds of read + features and of the features alone, the
// ratios ours/pandas, and the columns' sums side by side (same numbers, not only the same speed).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { median, ROOT, ROUNDS, unzipFlights } from './flights.mjs';

const { tmp, csv } = await unzipFlights();
const ours = [], theirs = [];
for (let round = 1; round <= ROUNDS; round++) {
  const a = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'benchFeatures.js'), csv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (a.status !== 0) throw new Error(`our run failed: ${a.stderr}`);
  const b = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench', 'pandas_features.py'), csv], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (b.status !== 0) throw new Error(`pandas failed (apt-get install python3-pandas): ${b.stderr}`);
  ours.push(JSON.parse(a.stdout));
  theirs.push(JSON.parse(b.stdout));
  const o = ours.at(-1), t = theirs.at(-1);
  console.log(`round ${round}: ours ${o.totalS.toFixed(2)} s (read ${o.loadS.toFixed(2)} + features ${o.featuresS.toFixed(2)}, max RSS ${o.maxRssMB.toFixed(0)} MB); pandas ${t.totalS.toFixed(2)} s (read ${t.loadS.toFixed(2)} + features ${t.featuresS.toFixed(2)})`);
}
const m = (xs, k) => median(xs.map((x) => x[k]));
console.log(`\nmedians of ${ROUNDS} rounds: read + features ours ${m(ours, 'totalS').toFixed(2)} s, pandas ${m(theirs, 'totalS').toFixed(2)} s, ratio ${(m(ours, 'totalS') / m(theirs, 'totalS')).toFixed(2)}; ` +
  `features alone ours ${m(ours, 'featuresS').toFixed(2)} s, pandas ${m(theirs, 'featuresS').toFixed(2)} s, ratio ${(m(ours, 'featuresS') / m(theirs, 'featuresS')).toFixed(2)}`);
console.log('\ncolumn sums (ours / pandas):');
for (const [name, v] of Object.entries(ours[0].sums)) {
  const p = theirs[0].sums[name];
  console.log(`  ${name.padEnd(24)} ${v.toPrecision(12).padStart(20)} ${String(p?.toPrecision(12)).padStart(20)}${p !== undefined && Math.abs(v - p) > 1e-6 * Math.max(1, Math.abs(p)) ? '  DIFFERS' : ''}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
