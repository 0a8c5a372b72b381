// npm run bench:serve: mlw serve against the FastAPI app that mlw scaffold writes, under uvicorn
// with one worker, on the same machine in the same run. The random forest of titanic_survival and
// of letter_recognition, each served by one process; autocannon (concurrency 10) sends single rows
// and 100-row batches for DURATION seconds per measurement, servers alternating; medians of ROUNDS
// rounds of requests/s and p50/p99 latency, and the ratio of requests/s (ours / FastAPI's).
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION = Number(process.env.DURATION ?? 5);
const PYTHON = '/usr/bin/python3';
const CLI = path.join(ROOT, 'dist', 'cli.js');
const DATASETS = process.env.MLW_DATASETS ?? path.resolve(ROOT, '..', 'shared', 'datasets');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-bench-serve-'));

function mlw(...args) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`mlw ${args[0]}: ${r.stderr}`);
  return r.stdout;
}

const freePort = () => new Promise((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => resolve(port));
  });
});

async function ready(url) {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never became ready`);
}

async function start(kind, bundle, app) {
  const port = await freePort();
  const child = kind === 'mlw'
    ? spawn(process.execPath, [CLI, 'serve', bundle, '--port', String(port)], { stdio: 'ignore' })
    : spawn(PYTHON, ['-m', 'uvicorn', 'app.main:app', '--port', String(port), '--workers', '1', '--no-access-log', '--log-level', 'warning'], { cwd: app, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await ready(url);
  return { url, stop: () => child.kill() };
}

async function load(url, body, duration) {
  const r = await autocannon({ url: `${url}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration });
  if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

const models = [
  { name: 'titanic RF', csv: 'titanic_survival.csv', target: 'survived', drop: ['--drop', 'name'] },
  { name: 'letter RF', csv: 'letter_recognition.csv', target: 'lettr', drop: [] },
];
const results = [];
for (const m of models) {
  const trained = JSON.parse(mlw('train', path.join(DATASETS, m.csv), '--target', m.target, '--models', 'rf', '--cv', '0', ...m.drop, '--store', path.join(tmp, 'mlruns'), '--json'));
  const bundle = trained.results[0].bundle;
  const app = path.join(tmp, `app-${m.target}`);
  mlw('scaffold', bundle, '--target', 'fastapi', '--out', app, '--sample', path.join(DATASETS, m.csv));
  // Rows as the scaffold's request file has them (rows of the training file).
  const text = fs.readFileSync(path.join(app, 'request.http'), 'utf8');
  const records = JSON.parse(text.slice(text.indexOf('{', text.indexOf('/invocations')), text.indexOf('\n###', text.indexOf('/invocations')))).dataframe_records;
  const single = JSON.stringify(records[0]);
  const batch = JSON.stringify(Array.from({ length: 100 }, (_, i) => records[i % records.length]));
  const servers = { mlw: await start('mlw', bundle), fastapi: await start('fastapi', bundle, app) };
  for (const [payload, body] of [['1 row', single], ['100 rows', batch]]) {
    const runs = { mlw: [], fastapi: [] };
    for (const s of Object.keys(servers)) await load(servers[s].url, body, 1); // warm up
    for (let round = 1; round <= ROUNDS; round++) {
      for (const s of Object.keys(servers)) runs[s].push(await load(servers[s].url, body, DURATION));
      console.log(`${m.name}, ${payload}, round ${round}: mlw ${runs.mlw.at(-1).rps.toFixed(0)} req/s (p99 ${runs.mlw.at(-1).p99} ms), FastAPI ${runs.fastapi.at(-1).rps.toFixed(0)} req/s (p99 ${runs.fastapi.at(-1).p99} ms)`);
    }
    const med = (s, k) => median(runs[s].map((r) => r[k]));
    results.push({ model: m.name, payload, mlw: { rps: med('mlw', 'rps'), p50: med('mlw', 'p50'), p99: med('mlw', 'p99') }, fastapi: { rps: med('fastapi', 'rps'), p50: med('fastapi', 'p50'), p99: med('fastapi', 'p99') } });
  }
  for (const s of Object.values(servers)) s.stop();
}

console.log(`\nmedians of ${ROUNDS} rounds of ${DURATION} s, concurrency 10, one process each:`);
console.log('model        payload    mlw req/s  p50  p99 | FastAPI req/s  p50  p99 | ratio');
for (const r of results) {
  console.log(`${r.model.padEnd(12)} ${r.payload.padEnd(9)} ${r.mlw.rps.toFixed(0).padStart(10)} ${String(r.mlw.p50).padStart(4)} ${String(r.mlw.p99).padStart(4)} | ${r.fastapi.rps.toFixed(0).padStart(13)} ${String(r.fastapi.p50).padStart(4)} ${String(r.fastapi.p99).padStart(4)} | ${(r.mlw.rps / r.fastapi.rps).toFixed(1)}×`);
}
console.log('\nimage sizes, estimated (base + dependencies): fastapi python:3.11-slim ~130 MB + NumPy, FastAPI, uvicorn ~60 MB ≈ 190 MB; node node:20-slim ~200 MB + mlw/cli.js 3.3 MB ≈ 205 MB; MLflow\'s sklearn images 3+ GB');
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'serve.json'), JSON.stringify({ rounds: ROUNDS, duration: DURATION, results }, null, 2));
fs.rmSync(tmp, { recursive: true, force: true });
