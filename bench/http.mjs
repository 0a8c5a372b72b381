// npm run bench:http: the same model (titanic's random forest) and predictor behind Node's plain
// http (what mlw serve uses) and behind fastify (schema validation, its router), one process each,
// loaded in turn by autocannon (concurrency 10, single rows, DURATION s), medians of ROUNDS rounds.
import autocannon from 'autocannon';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION = Number(process.env.DURATION ?? 5);
const DATASETS = process.env.MLW_DATASETS ?? path.resolve(ROOT, '..', 'shared', 'datasets');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-bench-http-'));

const trained = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', path.join(DATASETS, 'titanic_survival.csv'), '--target', 'survived', '--models', 'rf', '--cv', '0', '--drop', 'name', '--store', path.join(tmp, 'mlruns'), '--json'], { encoding: 'utf8' });
if (trained.status !== 0) throw new Error(trained.stderr);
const bundle = JSON.parse(trained.stdout).results[0].bundle;
const body = JSON.stringify({ age: 30, sex: 'female', passengerClass: '1st' });

async function start(kind) {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'benchHttpServer.js'), kind, bundle], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => child.stdout.once('data', (c) => resolve(c.toString().split('\n')[0])));
  return { url: JSON.parse(line).url, stop: () => child.kill() };
}

const servers = { plain: await start('plain'), fastify: await start('fastify') };
const runs = { plain: [], fastify: [] };
for (const s of Object.keys(servers)) await autocannon({ url: `${servers[s].url}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: 1 });
for (let round = 1; round <= ROUNDS; round++) {
  for (const s of Object.keys(servers)) {
    const r = await autocannon({ url: `${servers[s].url}/predict`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 10, duration: DURATION });
    if (r.non2xx) throw new Error(`${s}: ${r.non2xx} non-2xx answers`);
    runs[s].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 });
  }
  console.log(`round ${round}: plain http ${runs.plain.at(-1).rps.toFixed(0)} req/s (p99 ${runs.plain.at(-1).p99} ms), fastify ${runs.fastify.at(-1).rps.toFixed(0)} req/s (p99 ${runs.fastify.at(-1).p99} ms)`);
}
for (const s of Object.values(servers)) s.stop();
const m = (s, k) => median(runs[s].map((r) => r[k]));
console.log(`\nmedians of ${ROUNDS} rounds of ${DURATION} s: plain http ${m('plain', 'rps').toFixed(0)} req/s, p50 ${m('plain', 'p50')} ms, p99 ${m('plain', 'p99')} ms; fastify ${m('fastify', 'rps').toFixed(0)} req/s, p50 ${m('fastify', 'p50')} ms, p99 ${m('fastify', 'p99')} ms; ratio ${(m('plain', 'rps') / m('fastify', 'rps')).toFixed(2)}`);
fs.rmSync(tmp, { recursive: true, force: true });
