// A/B tests end to end: two models trained here served by one `mlw serve --model A=… --model B=…
// --split B=0.5` process, a shared dataset replayed through it over HTTP with request ids, labels
// joined, and `mlw ab-report` read through a pipe. Its figures equal statsmodels' (the two-proportion
// z-test, Wilson's interval) and scipy's (Welch's t-test on the per-row errors of a regression), each
// to 1e-9, and the verdict follows the rule: the strong model as B is promoted, as the treatment
// against it rolled back. Routing is deterministic by key and keeps to the split.
import * as assert from 'node:assert/strict';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import type { AbReport } from '../../../src/core/monitoring/abReport';
import { routingHash, parseSplit } from '../../../src/core/serving/variants';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { train } from '../../../src/core/workflow/train';
import { dataset, ROOT } from '../../support/paths';
import { python } from '../../support/python';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args]);
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** mlw serve in its own process on a free port, until stopped. */
async function serve(args: string[]): Promise<{ url: string; stop: () => Promise<number | null>; child: ChildProcessWithoutNullStreams }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--json', ...args]);
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]).url);
    });
    child.on('exit', (code) => reject(new Error(`mlw serve exited ${code}: ${err}`)));
  });
  return { url, child, stop: () => new Promise((resolve) => (child.on('exit', resolve), child.kill('SIGTERM'))) };
}

/** Sends each row as its own request with its id, a few at a time; returns the variant of each. */
async function replay(url: string, rows: Record<string, unknown>[], ids: string[]): Promise<string[]> {
  const variants = new Array<string>(rows.length);
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < rows.length) {
      const i = next++;
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Request-Id': ids[i] }, body: JSON.stringify(rows[i]) });
      const body = (await res.json()) as { variant: string };
      assert.equal(res.status, 200, JSON.stringify(body));
      variants[i] = body.variant;
    }
  }));
  return variants;
}

describe('A/B tests: mlw serve with variants, mlw ab-report', function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-ab-'));
  });

  it('routes by a hash of the key: the same key always to the same variant, keys to each variant near its share', () => {
    const shares = parseSplit(['A', 'B'], ['B=0.1']);
    assert.deepEqual([...shares], [['A', 0.9], ['B', 0.1]]);
    // Keys that differ in their last characters only (request ids, user numbers) spread evenly too.
    for (const key of [(i: number) => `user-${i}`, (i: number) => `r${i}`, (i: number) => String(i)]) {
      let b = 0;
      for (let i = 0; i < 20_000; i++) if (routingHash(key(i)) / 2 ** 32 >= 0.9) b++;
      assert.ok(Math.abs(b / 20_000 - 0.1) < 0.006, `${b} of 20,000 keys like ${key(7)} to B`);
      let half = 0;
      for (let i = 0; i < 1309; i++) if (routingHash(key(i)) / 2 ** 32 < 0.5) half++;
      assert.ok(Math.abs(half / 1309 - 0.5) < 0.04, `${half} of 1,309 keys like ${key(7)} to one half`);
    }
    assert.equal(routingHash('user-7'), routingHash('user-7'));
    assert.throws(() => parseSplit(['A', 'B'], ['C=0.2']), /--split names "C", which is not a --model \(A, B\)/);
    assert.throws(() => parseSplit(['A', 'B'], ['B=1.5']), /a share is between 0 and 1/);
  });

  it('titanic replayed through a 50/50 split: B (the real model) against A (one that predicts the majority) is promoted, and the figures equal statsmodels\'', async () => {
    const titanic = dataset('titanic_survival.csv');
    const store = new MlflowStore(path.join(dir, 'mlruns'));
    const base = { kind: 'train' as const, data: titanic, target: 'survived', drop: ['name'], models: ['lr' as const], cv: 0 };
    const [strong] = (await train(base, store)).results;
    const [weak] = (await train({ ...base, params: { lr: { C: 1e-6 } } }, store)).results;
    const rows = Papa.parse<Record<string, string>>(fs.readFileSync(titanic, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const log = path.join(dir, 'ab.jsonl');
    const server = await serve(['--model', `A=${path.dirname(weak.bundle!)}`, '--model', `B=${path.dirname(strong.bundle!)}`, '--split', 'B=0.5', '--log', log]);
    let variants: string[];
    try {
      const meta = (await (await fetch(`${server.url}/metadata`)).json()) as { variants: { name: string; share: number; model: { runId: string } }[] };
      assert.deepEqual(meta.variants.map((v) => [v.name, v.share, v.model.runId]), [['A', 0.5, weak.runId], ['B', 0.5, strong.runId]]);
      const ids = rows.map((_, i) => `p${i}`);
      variants = await replay(server.url, rows.map((r) => ({ age: r.age === '' ? null : Number(r.age), sex: r.sex, passengerClass: r.passengerClass })), ids);
      // The same request id again: the same variant.
      const again = await replay(server.url, rows.slice(0, 50).map((r) => ({ age: r.age === '' ? null : Number(r.age), sex: r.sex, passengerClass: r.passengerClass })), ids.slice(0, 50));
      assert.deepEqual(again, variants.slice(0, 50));
    } finally {
      assert.equal(await server.stop(), 0);
    }
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { variant: string; model: { runId: string } });
    assert.equal(lines.length, rows.length + 50);
    assert.ok(lines.every((l) => (l.variant === 'A' ? l.model.runId === weak.runId : l.variant === 'B' && l.model.runId === strong.runId)), 'every line names its variant and its model');
    const toB = variants!.filter((v) => v === 'B').length / rows.length;
    assert.ok(Math.abs(toB - 0.5) < 0.05, `${toB} of requests to B`);
    const labels = path.join(dir, 'labels.csv');
    fs.writeFileSync(labels, ['request_id,survived', ...rows.map((r, i) => `p${i},${r.survived}`)].join('\n') + '\n');

    const r = await run(['ab-report', log, '--labels', labels, '--id', 'request_id', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as AbReport;
    assert.deepEqual(Object.keys(report).slice(0, 2), ['log', 'variants']);
    for (const k of ['variants', 'difference', 'test', 'statistic', 'pValue', 'requiredN', 'verdict']) assert.ok(k in report, k);
    assert.deepEqual(Object.keys(report.variants[0]).filter((k) => k !== 'rows'), ['name', 'runId', 'n', 'correct', 'metric', 'value', 'ci95']);
    assert.equal(report.verdict, 'promote', report.reason);
    assert.equal(report.test, 'proportions_ztest');
    const theirs = python<{ n: number[]; correct: number[]; z: number; p: number; ci: number[][]; required: number }>(`
import json, math, sys
import pandas as pd
from statsmodels.stats.proportion import proportions_ztest, proportion_confint, proportion_effectsize
from statsmodels.stats.power import NormalIndPower
a = json.load(sys.stdin)
log = pd.read_json(a['log'], lines=True)
log['pred'] = log['outputs'].map(lambda o: o['prediction'])
labels = pd.read_csv(a['labels'], dtype=str)
m = log.merge(labels, left_on='requestId', right_on='request_id')
m['right'] = m['pred'] == m['survived']
g = m.groupby('variant')['right'].agg(['sum', 'count']).loc[['A', 'B']]
correct, n = g['sum'].astype(int).tolist(), g['count'].astype(int).tolist()
z, p = proportions_ztest([correct[1], correct[0]], [n[1], n[0]])
ci = [list(proportion_confint(c, k, alpha=0.05, method='wilson')) for c, k in zip(correct, n)]
h = proportion_effectsize(correct[1] / n[1], correct[0] / n[0])
required = NormalIndPower().solve_power(effect_size=abs(h), alpha=0.05, power=0.8, ratio=1)
print(json.dumps({'n': n, 'correct': correct, 'z': float(z), 'p': float(p), 'ci': [[float(x) for x in c] for c in ci], 'required': float(required)}))`, { log, labels });
    assert.deepEqual(report.variants.map((v) => v.n), theirs.n, 'labelled rows per variant (the repeated 50 count twice, as in the log)');
    assert.deepEqual(report.variants.map((v) => v.correct), theirs.correct);
    assert.ok(Math.abs(report.statistic - theirs.z) < 1e-9, `z ${report.statistic} vs ${theirs.z}`);
    assert.ok(Math.abs(report.pValue - theirs.p) < 1e-9, `p ${report.pValue} vs ${theirs.p}`);
    report.variants.forEach((v, i) => assert.ok(Math.abs(v.ci95[0] - theirs.ci[i][0]) < 1e-9 && Math.abs(v.ci95[1] - theirs.ci[i][1]) < 1e-9, `${v.name} interval`));
    // The closed form beside statsmodels' root-finding: the same whole number of rows, or one more.
    assert.ok(report.requiredN! >= Math.ceil(theirs.required) && report.requiredN! <= Math.ceil(theirs.required) + 1, `required n ${report.requiredN} vs ${theirs.required}`);
    assert.ok(report.difference > 0.02);
    assert.ok(report.warnings.some((w) => /the planned sample size \([\d,]+ labelled rows per variant, to detect 2 points at power 0\.8\) is not reached/.test(w)), report.warnings.join('; '));
    // The strong model as control and the weak as treatment: roll back.
    const back = JSON.parse((await run(['ab-report', log, '--labels', labels, '--id', 'request_id', '--json', '--control', 'B', '--treatment', 'A'])).stdout) as AbReport;
    assert.equal(back.verdict, 'rollback', back.reason);
    // The table says the verdict first.
    const text = await run(['ab-report', log, '--labels', labels, '--id', 'request_id', '--planned-n', '0']);
    assert.match(text.stdout, /^PROMOTE: B beats A by at least 2 points and the difference is significant/);
    assert.ok(!text.stdout.includes('warning: the planned'));
    // The monitor reads one variant's lines.
    const monitorB = JSON.parse((await run(['monitor', log, '--variant', 'B', '--window', '1d', '--json', '--store', path.join(dir, 'mlruns')])).stdout) as { windows: { rows: number; variants: Record<string, number> }[] };
    assert.deepEqual(Object.keys(monitorB.windows[0].variants), ['B']);
  });

  it('a regression split (diabetes, linear against forest) by mean absolute error: Welch\'s t-test equals scipy\'s ttest_ind(equal_var=False)', async () => {
    const diabetes = dataset('sklearn_diabetes.csv');
    const store = new MlflowStore(path.join(dir, 'mlruns'));
    const [lin, rf] = (await train({ kind: 'train', data: diabetes, target: 'target', models: ['lr', 'rf'], cv: 0 }, store)).results;
    const rows = Papa.parse<Record<string, string>>(fs.readFileSync(diabetes, 'utf8'), { header: true, skipEmptyLines: true }).data;
    const log = path.join(dir, 'diabetes.jsonl');
    const server = await serve(['--model', `A=${path.dirname(lin.bundle!)}`, '--model', `B=${path.dirname(rf.bundle!)}`, '--log', log, '--key', 'user']);
    try {
      // Routed by a field the models do not read: kept out of the model, kept in the log.
      const inputs = rows.map((r, i) => ({ ...Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'target').map(([k, v]) => [k, Number(v)])), user: `u${i % 200}` }));
      const variants = await replay(server.url, inputs, rows.map((_, i) => `d${i}`));
      for (let i = 200; i < rows.length; i++) assert.equal(variants[i], variants[i - 200], `user u${i % 200} stays on one variant`);
    } finally {
      await server.stop();
    }
    const labels = path.join(dir, 'diabetes_labels.csv');
    fs.writeFileSync(labels, ['request_id,target', ...rows.map((r, i) => `d${i},${r.target}`)].join('\n') + '\n');
    const r = await run(['ab-report', log, '--labels', labels, '--id', 'request_id', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as AbReport;
    assert.equal(report.test, 'welch_ttest');
    assert.equal(report.variants[0].metric, 'mae');
    const theirs = python<{ t: number; p: number; mae: number[] }>(`
import json, sys
import pandas as pd
from scipy.stats import ttest_ind
a = json.load(sys.stdin)
log = pd.read_json(a['log'], lines=True)
log['pred'] = log['outputs'].map(lambda o: o['prediction'])
m = log.merge(pd.read_csv(a['labels']), left_on='requestId', right_on='request_id')
m['err'] = (m['pred'] - m['target']).abs()
A, B = m.loc[m['variant'] == 'A', 'err'], m.loc[m['variant'] == 'B', 'err']
t, p = ttest_ind(B, A, equal_var=False)
print(json.dumps({'t': float(t), 'p': float(p), 'mae': [float(A.mean()), float(B.mean())]}))`, { log, labels });
    assert.ok(Math.abs(report.statistic - theirs.t) < 1e-9, `t ${report.statistic} vs ${theirs.t}`);
    assert.ok(Math.abs(report.pValue - theirs.p) < 1e-9, `p ${report.pValue} vs ${theirs.p}`);
    report.variants.forEach((v, i) => assert.ok(Math.abs(v.value - theirs.mae[i]) < 1e-9, `${v.name} MAE`));
  });

  it('bad invocations are named: one --model, an unknown --split name, a log without variants', async () => {
    const one = await run(['serve', '--model', 'A=x']);
    assert.equal(one.status, 2);
    assert.match(one.stderr, /an A\/B test needs two --model NAME=<bundle> variants at least/);
    const split = await run(['serve', '--model', 'A=x', '--model', 'B=y', '--split', 'C=0.1']);
    assert.equal(split.status, 2);
    assert.match(split.stderr, /--split names "C"/);
    const plain = path.join(dir, 'plain.jsonl');
    fs.writeFileSync(plain, JSON.stringify({ v: 1, requestId: 'r1', row: 0, timestamp: new Date().toISOString(), outputs: { prediction: 'yes' }, latencyMs: 1 }) + '\n');
    const labels = path.join(dir, 'l.csv');
    fs.writeFileSync(labels, 'request_id,y\nr1,yes\n');
    const none = await run(['ab-report', plain, '--labels', labels, '--id', 'request_id']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /no line names a variant; an A\/B log comes from mlw serve --model A=<bundle> --model B=<bundle> \(1 lines without one\)/);
  });
});
