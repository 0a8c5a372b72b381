// npm run bench:monitor: mlw monitor on a 1 GB prediction log (generated here: titanic's rows as
// mlw serve logs them, one request each over 30 days, a tenth of them labelled, the last days'
// passengers older), with a model trained here as the drift reference; and pandas (read_json in
// chunks, bench/pandas_monitor.py) computing the windows' counts, latency percentiles and accuracy
// in the same run. Medians of ROUNDS (3) alternating runs; both sides' max RSS.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, ROOT, SHARED } from './flights.mjs';

const ROUNDS = Number(process.env.ROUNDS || 3);
const SIZE = Number(process.env.LOG_MB || 1024) * 1024 * 1024;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-bench-monitor-'));
const titanic = path.join(SHARED, 'datasets', 'titanic_survival.csv');
const trained = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', titanic, '--target', 'survived', '--drop', 'name', '--models', 'lr', '--cv', '0', '--store', path.join(dir, 'mlruns'), '--json'], { encoding: 'utf8' });
if (trained.status !== 0) throw new Error(trained.stderr);
const model = JSON.parse(trained.stdout).results[0];
const rows = fs.readFileSync(titanic, 'utf8').trim().split('\n').slice(1).map((l) => {
  const m = /^"(?:[^"]|"")*","(\w+)","(\w+)",([\d.]*),"(\w+)"$/.exec(l);
  return { survived: m[1], sex: m[2], age: m[3] === '' ? null : Number(m[3]), passengerClass: m[4] };
});
console.log(`writing a ${(SIZE / 2 ** 20).toFixed(0)} MB log`);
const log = path.join(dir, 'predictions.jsonl');
const labels = path.join(dir, 'labels.csv');
const fd = fs.openSync(log, 'w'), lfd = fs.openSync(labels, 'w');
fs.writeSync(lfd, 'request_id,survived\n');
const t0 = Date.parse('2026-10-01T00:00:00Z');
let written = 0, n = 0, seed = 1;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
while (written < SIZE) {
  let chunk = '', labelChunk = '';
  for (let k = 0; k < 10_000; k++, n++) {
    const r = rows[Math.floor(rand() * rows.length)];
    // Time runs with the bytes written: 30 days over the whole file.
    const t = t0 + Math.floor(30 * 86_400_000 * Math.min(1, (written + chunk.length) / SIZE));
    const late = t > t0 + 27 * 86_400_000;
    const p = rand();
    const prediction = (r.sex === 'female') === (p < 0.85) ? 'yes' : 'no';
    const line = { v: 1, requestId: `q${n}`, row: 0, timestamp: new Date(t).toISOString(), model: { runId: model.runId, version: 'bench' }, route: '/predict', inputs: { sex: r.sex, age: late && r.age !== null ? r.age + 20 : r.age, passengerClass: r.passengerClass }, outputs: { prediction, probabilities: { no: 1 - p, yes: p } }, latencyMs: 0.2 + rand() * rand() * 5 };
    chunk += JSON.stringify(line) + '\n';
    if (n % 10 === 0) labelChunk += `q${n},${r.survived}\n`;
  }
  written += fs.writeSync(fd, chunk);
  fs.writeSync(lfd, labelChunk);
}
fs.closeSync(fd);
fs.closeSync(lfd);
console.log(`${n.toLocaleString('en-US')} lines, ${(written / 2 ** 20).toFixed(0)} MB`);
const ours = [], pandas = [];
let o, p;
for (let round = 1; round <= ROUNDS; round++) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'benchMonitor.js'), log, labels, path.dirname(model.bundle)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  o = JSON.parse(r.stdout);
  ours.push(o);
  const q = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench', 'pandas_monitor.py'), log, labels], { encoding: 'utf8' });
  if (q.status !== 0) throw new Error(`pandas failed: ${q.stderr}`);
  p = JSON.parse(q.stdout);
  pandas.push(p);
  console.log(`round ${round}: ours ${o.seconds.toFixed(2)} s, max RSS ${o.maxRssMB.toFixed(0)} MB (${o.windows} windows, ${o.drifted} with drift); pandas ${p.seconds.toFixed(2)} s, max RSS ${p.maxRssMB.toFixed(0)} MB`);
}
if (Math.abs(o.accuracy0 - p.accuracy0) > 1e-12 || Math.abs(o.p95 - p.p95) > 1e-9 || o.windows !== p.windows) throw new Error(`the figures differ: ours ${JSON.stringify(o)}, pandas ${JSON.stringify(p)}`);
const ms = median(ours.map((x) => x.seconds)), ps = median(pandas.map((x) => x.seconds));
console.log(`\nmedian: ours ${ms.toFixed(2)} s (${(written / 2 ** 20 / ms).toFixed(0)} MB/s, max RSS ${Math.max(...ours.map((x) => x.maxRssMB)).toFixed(0)} MB), pandas ${ps.toFixed(2)} s (max RSS ${Math.max(...pandas.map((x) => x.maxRssMB)).toFixed(0)} MB); ratio ${(ms / ps).toFixed(2)}`);
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'monitor.json'), JSON.stringify({ logMB: written / 2 ** 20, lines: n, rounds: ROUNDS, oursMedianS: ms, pandasMedianS: ps, ratio: ms / ps, oursMaxRssMB: Math.max(...ours.map((x) => x.maxRssMB)), pandasMaxRssMB: Math.max(...pandas.map((x) => x.maxRssMB)) }, null, 2));
fs.rmSync(dir, { recursive: true, force: true });
