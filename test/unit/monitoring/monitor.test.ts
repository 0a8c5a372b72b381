// mlw monitor on a real serving log: titanic's rows sent one request each to mlw serve (a model
// trained here), the log's times then spread over twelve hours as a day's traffic, the last hours'
// passengers thirty years older and their answers slower. Per window, the counts, latency
// percentiles, predicted classes and accuracy equal pandas' groupby on the same log and labels,
// the accuracy's interval equals statsmodels' Wilson interval, the aged windows drift, and the
// rules break where they should (exit 1). Malformed lines are named, not fatal; the JSON report is
// read through a pipe past its buffer; a spec's mistakes are named by their path.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import type { MonitorReport } from '../../../src/core/monitoring/monitor';
import { Predictor } from '../../../src/core/serving/predictor';
import { startServer } from '../../../src/core/serving/server';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { train } from '../../../src/core/workflow/train';
import { dataset, ROOT } from '../../support/paths';
import { python } from '../../support/python';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');

function mlw(args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  // Through pipes, as a script reads it: the JSON is larger than a pipe's buffer.
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('mlw monitor: a serving log per window', function () {
  this.timeout(300_000);
  let dir: string, log: string, labels: string;
  let runId: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-monitor-'));
    const titanic = dataset('titanic_survival.csv');
    const [r] = (await train({ kind: 'train', data: titanic, target: 'survived', drop: ['name'], models: ['lr'], cv: 0 }, new MlflowStore(path.join(dir, 'mlruns')))).results;
    runId = r.runId;
    // In a seeded random order: the file is sorted by class, and its stretches differ from the whole.
    const rows = Papa.parse<Record<string, string>>(fs.readFileSync(titanic, 'utf8'), { header: true, skipEmptyLines: true }).data;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const served = path.join(dir, 'served.jsonl');
    const server = await startServer(() => Predictor.load(path.dirname(r.bundle!)), { port: 0, log: served });
    await server.ready;
    try {
      for (let i = 0; i < rows.length; i++) {
        const row = { age: rows[i].age === '' ? null : Number(rows[i].age), sex: rows[i].sex, passengerClass: rows[i].passengerClass };
        const res = await fetch(`${server.url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Request-Id': `p${i}` }, body: JSON.stringify(row) });
        assert.equal(res.status, 200);
      }
    } finally {
      await server.close();
    }
    // A day's traffic: request i at T0 + 12 h · i / n; from hour 9 on, passengers 30 years older and 40 ms slower.
    const lines = fs.readFileSync(served, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, rows.length);
    log = path.join(dir, 'predictions.jsonl');
    const out = lines.map((l, i) => {
      const t = T0 + Math.floor((12 * HOUR * i) / lines.length);
      const late = t >= T0 + 9 * HOUR;
      return JSON.stringify({ ...l, timestamp: new Date(t).toISOString(), latencyMs: l.latencyMs + (late ? 40 : 0), inputs: late && l.inputs.age !== null ? { ...l.inputs, age: l.inputs.age + 30 } : l.inputs });
    });
    // Two lines that are not predictions, to be named and skipped.
    out.splice(10, 0, '{"requestId": 3', 'not json at all');
    fs.writeFileSync(log, out.join('\n') + '\n');
    labels = path.join(dir, 'labels.csv');
    fs.writeFileSync(labels, ['request_id,survived', ...rows.map((row, i) => `p${i},${row.survived}`)].join('\n') + '\n');
  });

  it('per hour: requests, latency p50/p95/p99, predicted classes and accuracy equal pandas on the same log and labels; the interval is statsmodels\' Wilson', async () => {
    const r = await mlw(['monitor', log, '--labels', labels, '--id', 'request_id', '--window', '1h', '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as MonitorReport;
    assert.equal(report.windows.length, 12);
    assert.equal(report.skippedLines, 2);
    assert.deepEqual(report.skipped.map((s) => s.line), [11, 12]);
    assert.equal(report.model?.runId, runId);
    assert.match(report.reference ?? '', /a sample of 1,047 training rows/);
    assert.equal(report.labels?.joined, 1309);
    const theirs = python<{ start: string; requests: number; p50: number; p95: number; p99: number; accuracy: number; lo: number; hi: number; classes: Record<string, number> }[]>(`
import json, sys
import pandas as pd
from statsmodels.stats.proportion import proportion_confint
a = json.load(sys.stdin)
rows = []
for line in open(a['log']):
    try:
        l = json.loads(line)
    except ValueError:
        continue
    if not isinstance(l, dict) or 'outputs' not in l:
        continue
    rows.append({'id': l['requestId'], 't': pd.Timestamp(l['timestamp']), 'lat': l['latencyMs'], 'pred': l['outputs']['prediction']})
log = pd.DataFrame(rows)
labels = pd.read_csv(a['labels'], dtype={'request_id': str, 'survived': str})
log = log.merge(labels, left_on='id', right_on='request_id', how='left')
log['window'] = log['t'].dt.floor('1h')
out = []
for w, g in log.groupby('window'):
    correct = int((g['pred'] == g['survived']).sum()); n = int(g['survived'].notna().sum())
    lo, hi = proportion_confint(correct, n, alpha=0.05, method='wilson')
    out.append({'start': w.isoformat().replace('+00:00', '.000Z'), 'requests': len(g), 'p50': float(g['lat'].quantile(0.5)), 'p95': float(g['lat'].quantile(0.95)), 'p99': float(g['lat'].quantile(0.99)),
                'accuracy': correct / n, 'lo': float(lo), 'hi': float(hi), 'classes': {k: int(v) for k, v in g['pred'].value_counts().items()}})
print(json.dumps(out))`, { log, labels });
    assert.equal(theirs.length, 12);
    report.windows.forEach((w, i) => {
      const t = theirs[i];
      assert.equal(w.start, t.start);
      assert.equal(w.requests, t.requests);
      assert.equal(w.rows, t.requests);
      for (const q of ['p50', 'p95', 'p99'] as const) assert.ok(Math.abs(w.latencyMs[q] - t[q]) < 1e-9, `window ${i} ${q}: ${w.latencyMs[q]} vs ${t[q]}`);
      assert.deepEqual(w.predictions, { kind: 'classes', counts: t.classes });
      assert.ok(Math.abs(w.accuracy!.value - t.accuracy) < 1e-12, `window ${i} accuracy`);
      assert.ok(Math.abs(w.accuracy!.ci95[0] - t.lo) < 1e-9 && Math.abs(w.accuracy!.ci95[1] - t.hi) < 1e-9, `window ${i} interval: ${w.accuracy!.ci95} vs ${t.lo}, ${t.hi}`);
    });
    // The model's training sample is the drift reference: the aged hours drift on age, the others do not.
    const driftedAge = report.windows.map((w) => w.drift?.drifted.includes('age'));
    assert.deepEqual(driftedAge, [false, false, false, false, false, false, false, false, false, true, true, true]);
  });

  it('alert rules from a *.mlmonitor.json spec break for N windows in a row and exit 1; the text report names each breach', async () => {
    const spec = path.join(dir, 'titanic.mlmonitor.json');
    fs.writeFileSync(spec, JSON.stringify({
      log: 'predictions.jsonl', window: '1h', labels: { file: 'labels.csv', id: 'request_id' },
      rules: [{ metric: 'latencyP95', above: 30, windows: 2 }, { metric: 'driftedShare', above: 0.2 }, { metric: 'accuracy', below: 0.01 }],
    }));
    const r = await mlw(['monitor', spec], dir);
    assert.equal(r.status, 1, r.stderr);
    // Latency: hours 9, 10 and 11 are 40 ms slower; two in a row first at hour 10.
    const breaches = r.stdout.split('\n').filter((l) => l.startsWith('BREACH'));
    assert.ok(breaches.some((l) => /^BREACH latencyP95 above 30 for 2 windows in a row: .* in the window from 2026-03-02T10:00:00.000Z/.test(l)), r.stdout);
    assert.ok(breaches.some((l) => /^BREACH driftedShare above 0.2: .* 2026-03-02T09:00:00.000Z/.test(l)), r.stdout);
    assert.ok(!breaches.some((l) => l.includes('accuracy')));
    assert.match(r.stderr, /mlw: 5 alerts: /);
    assert.ok(r.stderr.includes('latencyP95 above 30 for 2 windows in a row') && r.stderr.includes('driftedShare above 0.2'), r.stderr);
    const json = JSON.parse((await mlw(['monitor', spec, '--json'], dir)).stdout) as MonitorReport;
    assert.deepEqual(json.breaches.filter((b) => b.metric === 'latencyP95').map((b) => b.windows), [['2026-03-02T09:00:00.000Z', '2026-03-02T10:00:00.000Z'], ['2026-03-02T10:00:00.000Z', '2026-03-02T11:00:00.000Z']]);
    // Without a breach: exit 0.
    fs.writeFileSync(spec, JSON.stringify({ log: 'predictions.jsonl', rules: [{ metric: 'latencyP99', above: 10_000 }] }));
    assert.equal((await mlw(['monitor', spec], dir)).status, 0);
  });

  it('a minute window makes a JSON report larger than a pipe\'s buffer, read whole through the pipe', async () => {
    const r = await mlw(['monitor', log, '--window', '1m', '--json'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.length > 100_000, `${r.stdout.length} bytes, past a 64 KB pipe buffer`);
    const report = JSON.parse(r.stdout) as MonitorReport;
    assert.equal(report.windows.reduce((s, w) => s + w.rows, 0), 1309);
  });

  it('mistakes are named: a spec field by its path, a missing log, labels without their id column, a bad window', async () => {
    const spec = path.join(dir, 'bad.mlmonitor.json');
    fs.writeFileSync(spec, JSON.stringify({ log: 'predictions.jsonl', rules: [{ metric: 'accuracy', under: 0.8 }] }));
    const bad = spawnSync(process.execPath, [CLI, 'monitor', spec], { encoding: 'utf8', cwd: dir });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /bad\.mlmonitor\.json: \/rules\/0 needs "below" or "above"; \/rules\/0 must NOT have additional properties\n$/);
    const missing = spawnSync(process.execPath, [CLI, 'monitor', path.join(dir, 'nope.jsonl')], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /nope\.jsonl: no such log/);
    const noId = spawnSync(process.execPath, [CLI, 'monitor', log, '--labels', labels, '--id', 'passenger'], { encoding: 'utf8', cwd: dir });
    assert.equal(noId.status, 1);
    assert.match(noId.stderr, /labels\.csv: no column "passenger" to join on \(columns: request_id, survived\)/);
    const window = spawnSync(process.execPath, [CLI, 'monitor', log, '--window', 'hourly'], { encoding: 'utf8', cwd: dir });
    assert.equal(window.status, 1);
    assert.match(window.stderr, /a window is a number and a unit: 30s, 15m, 1h, 1d or 1w \(got "hourly"\)/);
    const half = spawnSync(process.execPath, [CLI, 'monitor', log, '--labels', labels], { encoding: 'utf8', cwd: dir });
    assert.equal(half.status, 2);
  });
});
