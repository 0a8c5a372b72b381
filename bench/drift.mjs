// npm run bench:drift: the drift report on 1,000,000 current rows × 20 columns against a 100,000-row
// reference (bench/driftRun.ts), and scipy computing the same tests on the same data in the same
// run (bench/scipy_drift.py); medians of ROUNDS (3), the ratio, and both sides' distances.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = process.env.ROUNDS ?? '3';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-bench-drift-'));
const ours = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'benchDrift.js'), dir, ROUNDS], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (ours.status !== 0) throw new Error(ours.stderr);
const o = JSON.parse(ours.stdout);
const theirs = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench', 'scipy_drift.py'), dir, ROUNDS], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (theirs.status !== 0) throw new Error(`scipy failed (apt-get install python3-scipy): ${theirs.stderr}`);
const t = JSON.parse(theirs.stdout);
console.log(`ours: ${o.all.map((s) => s.toFixed(2)).join(', ')} s (median ${o.seconds.toFixed(2)} s, max RSS ${o.maxRssMB.toFixed(0)} MB); scipy: ${t.all.map((s) => s.toFixed(2)).join(', ')} s (median ${t.seconds.toFixed(2)} s); ratio ${(o.seconds / t.seconds).toFixed(2)}`);
console.log(`drifted: ${o.drifted.join(', ')}`);
let worst = 0;
for (const [k, v] of Object.entries(o.distances)) worst = Math.max(worst, Math.abs(v - t.distances[k]) / Math.max(1e-12, Math.abs(t.distances[k])));
console.log(`largest relative difference from scipy's distances: ${worst.toExponential(2)}`);
fs.rmSync(dir, { recursive: true, force: true });
