// The drift tests against scipy 1.10 itself, live: ks_2samp (exact, equal and unequal sizes; and
// asymptotic past 10,000 a side, with kstwo.sf over every region of its algorithm),
// chi2_contingency (with Yates' correction at one degree of freedom), the two-proportion Z-test,
// wasserstein_distance, jensenshannon (base 2) and PSI on numpy's Sturges bins, each to 1e-9 on
// statistic and p-value; then the report on a shifted copy of a shared dataset.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsv } from '../../../src/core/csv/load';
import type { Frame } from '../../../src/core/frame';
import { driftReport } from '../../../src/core/monitoring/drift';
import { kolmogorovSf } from '../../../src/core/monitoring/kolmogorov';
import { chi2Contingency, histogram, jensenShannon, ks2samp, proportionsZ, psi, sturgesEdges, wasserstein } from '../../../src/core/monitoring/tests';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { loadBundle } from '../../../src/core/workflow/bundle';
import { train } from '../../../src/core/workflow/train';
import { dataset, FIXTURES, ROOT } from '../../support/paths';
import { python } from '../../support/python';

const close = (ours: number | null, theirs: number, what: string) => {
  assert.ok(ours !== null, `${what}: ours is null`);
  assert.ok(Math.abs(ours - theirs) <= 1e-9 * Math.max(1, Math.abs(theirs)) || Math.abs(ours - theirs) <= 1e-12, `${what}: ours ${ours}, scipy ${theirs}`);
};

const numbers = (f: Frame, name: string, rows?: (i: number) => boolean) => {
  const c = f.columns.find((x) => x.name === name) as { values: Float64Array };
  return Float64Array.from(Array.from(c.values).filter((v, i) => v === v && (!rows || rows(i))));
};

describe('drift tests equal scipy', function () {
  this.timeout(120_000);

  it('ks_2samp (exact): equal and unequal sample sizes, ties, statistic and p-value', async () => {
    const penguins = await loadCsv(dataset('penguins.csv'));
    const species = penguins.columns.find((c) => c.name === 'species') as { codes: Int32Array; dictionary: string[] };
    const of = (name: string) => (i: number) => species.dictionary[species.codes[i]] === name;
    const cases: [Float64Array, Float64Array][] = [
      [numbers(penguins, 'flipper_length_mm', of('Adelie')), numbers(penguins, 'flipper_length_mm', of('Chinstrap'))],
      [numbers(penguins, 'bill_length_mm', of('Adelie')), numbers(penguins, 'bill_length_mm', of('Gentoo'))],
      [numbers(penguins, 'body_mass_g').slice(0, 100), numbers(penguins, 'body_mass_g').slice(100, 200)],
      [numbers(penguins, 'bill_depth_mm').slice(0, 171), numbers(penguins, 'bill_depth_mm').slice(171)],
    ];
    const titanic = await loadCsv(dataset('titanic_survival.csv'));
    const age = numbers(titanic, 'age');
    cases.push([age.slice(0, 400), age.slice(400)], [age.slice(0, 523), age.slice(523)]);
    const theirs = python<{ statistic: number; pvalue: number }[]>(`
import json, sys
from scipy.stats import ks_2samp
print(json.dumps([{'statistic': float(r.statistic), 'pvalue': float(r.pvalue)} for r in (ks_2samp(a, b) for a, b in json.load(sys.stdin))]))`, cases.map(([a, b]) => [Array.from(a), Array.from(b)]));
    cases.forEach(([a, b], i) => {
      const ours = ks2samp(a, b);
      assert.ok(ours.exact, `case ${i}: exact`);
      close(ours.statistic, theirs[i].statistic, `case ${i} statistic`);
      close(ours.pValue, theirs[i].pvalue, `case ${i} p-value (${a.length} vs ${b.length})`);
    });
  });

  it('kstwo.sf (the asymptotic p-value) in every region of scipy\'s kolmogn: n from 1 to 5,000,000, x from the ends to the tail', () => {
    // A grid over the regions: Ruben–Gambino at both ends, Durbin's matrix, Pomeranz, Pelz–Good,
    // the Smirnov tail, and the approximation past n = 1,000,000.
    const cases: [number, number][] = [];
    for (const n of [1, 2, 3, 7, 50, 140, 141, 400, 3000, 20_000, 100_000, 100_001, 700_000, 2_000_001, 5_000_000]) {
      for (const z of [0.2, 0.5, 0.8, 1.0, 1.2, 1.5, 1.9, 2.3, 3, 5]) cases.push([n, Math.min(z / Math.sqrt(n), 1)]);
      for (const t of [0.4, 0.75, 1, 1.3]) cases.push([n, Math.min(t / n, 1)]);
      cases.push([n, 0.5], [n, 0.83], [n, Math.max((n - 1) / n, 0.01)]);
    }
    const theirs = python<number[]>(`
import json, sys
from scipy.stats import kstwo
print(json.dumps([float(kstwo.sf(x, n)) for n, x in json.load(sys.stdin)]))`, cases);
    cases.forEach(([n, x], i) => close(kolmogorovSf(n, x), theirs[i], `kstwo.sf(${x}, ${n})`));
  });

  it('ks_2samp (asymptotic, past 10,000 values a side): letter_recognition\'s columns, equal and very unequal sizes', async () => {
    const letters = await loadCsv(dataset('letter_recognition.csv'));
    const col = (name: string) => numbers(letters, name);
    const names = letters.columns.filter((c) => c.kind === 'numeric').map((c) => c.name);
    const a = col(names[0]), b = col(names[1]), c = col(names[5]);
    const cases: [Float64Array, Float64Array][] = [
      [a, b], // 20,000 a side: n = 10,000, a tiny p-value
      [a.slice(0, 12_000), a.slice(12_000)], // the same column's halves: a large one
      [c, c.slice(0, 40)], // 20,000 against 40: n ≤ 140 (Durbin, Pomeranz)
      [c, Float64Array.from(c.slice(0, 300), (v) => v + 1)], // 20,000 against 300, shifted
      [b.slice(0, 15_000), Float64Array.from(b.slice(5_000), (v, i) => v + (i % 7 === 0 ? 1 : 0))],
    ];
    const theirs = python<{ statistic: number; pvalue: number }[]>(`
import json, sys
from scipy.stats import ks_2samp
print(json.dumps([{'statistic': float(r.statistic), 'pvalue': float(r.pvalue)} for r in (ks_2samp(a, b) for a, b in json.load(sys.stdin))]))`, cases.map(([x, y]) => [Array.from(x), Array.from(y)]));
    cases.forEach(([x, y], i) => {
      const ours = ks2samp(x, y);
      assert.equal(ours.exact, false, `case ${i}: asymptotic`);
      close(ours.statistic, theirs[i].statistic, `case ${i} statistic`);
      close(ours.pValue, theirs[i].pvalue, `case ${i} p-value (${x.length} vs ${y.length})`);
    });
  });

  it('chi2_contingency, the Z-test, Wasserstein, Jensen–Shannon and PSI', () => {
    const tables: [number[], number[]][] = [[[30, 50, 20], [35, 40, 25]], [[120, 80], [90, 110]], [[5, 0, 7, 9], [3, 4, 0, 12]], [[1000, 10], [980, 40]]];
    const u = Float64Array.from({ length: 300 }, (_, i) => Math.sin(i) * 10 + i / 50), v = Float64Array.from({ length: 250 }, (_, i) => Math.cos(i * 1.3) * 12 + 2);
    const theirs = python<{ chi2: [number, number][]; z: number[]; w: number; js: number; edges: number[]; hu: number[]; hv: number[]; psi: number }>(`
import json, sys
import numpy as np
from scipy.stats import chi2_contingency, norm, wasserstein_distance
from scipy.spatial.distance import jensenshannon
a = json.load(sys.stdin)
chi2 = []
for r, c in a['tables']:
    t = np.array([r, c]); t = t[:, t.sum(axis=0) > 0]
    s, p, dof, _ = chi2_contingency(t)
    chi2.append([float(s), float(p)])
x1, n1, x2, n2 = a['z']
p = (x1 + x2) / (n1 + n2); z = (x1 / n1 - x2 / n2) / np.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
u, v = np.array(a['u']), np.array(a['v'])
edges = np.histogram_bin_edges(np.concatenate([u, v]), bins='sturges')
hu, _ = np.histogram(u, edges); hv, _ = np.histogram(v, edges)
ru, rv = hu / hu.sum(), hv / hv.sum(); ru[ru == 0] = 1e-4; rv[rv == 0] = 1e-4
print(json.dumps({'chi2': chi2, 'z': [float(z), float(2 * norm.sf(abs(z)))], 'w': float(wasserstein_distance(u, v)), 'js': float(jensenshannon(hu, hv, base=2)),
  'edges': edges.tolist(), 'hu': hu.tolist(), 'hv': hv.tolist(), 'psi': float(np.sum((rv - ru) * np.log(rv / ru)))}))`, { tables, z: [412, 1000, 455, 1100], u: Array.from(u), v: Array.from(v) });
    tables.forEach(([r, c], i) => {
      const ours = chi2Contingency(r, c);
      close(ours.statistic, theirs.chi2[i][0], `chi2 table ${i} statistic`);
      close(ours.pValue, theirs.chi2[i][1], `chi2 table ${i} p-value`);
    });
    const z = proportionsZ(412, 1000, 455, 1100);
    close(z.statistic, theirs.z[0], 'z statistic');
    close(z.pValue, theirs.z[1], 'z p-value');
    close(wasserstein(u, v), theirs.w, 'wasserstein');
    const edges = sturgesEdges(Float64Array.from([...u, ...v]));
    assert.equal(edges.length, theirs.edges.length);
    edges.forEach((e, i) => close(e, theirs.edges[i], `edge ${i}`));
    const [hu, hv] = [histogram(u, edges), histogram(v, edges)];
    assert.deepEqual([hu, hv], [theirs.hu, theirs.hv]);
    close(jensenShannon(hu, hv), theirs.js, 'jensenshannon');
    close(psi(hu, hv), theirs.psi, 'psi');
  });
});

describe('a drift report', function () {
  this.timeout(120_000);

  it('flags the columns of a shifted copy (one number moved, one category\'s share changed) and not the others', async () => {
    const penguins = await loadCsv(dataset('penguins.csv'));
    // Two random halves (seeded), the current one shifted: body mass + 600 g, a third of islands set to Torgersen.
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const order = Array.from({ length: penguins.rows }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const subset = (rows: number[], source: string, shift: boolean): Frame => ({
      ...penguins, source, rows: rows.length,
      columns: penguins.columns.map((c) => {
        if (c.kind === 'numeric') return { ...c, length: rows.length, values: Float64Array.from(rows, (i) => c.values[i] + (shift && c.name === 'body_mass_g' ? 600 : 0)) };
        if (c.kind === 'categorical' || c.kind === 'text') {
          const torgersen = c.dictionary.indexOf('Torgersen');
          return { ...c, length: rows.length, codes: Int32Array.from(rows, (i, k) => (shift && c.name === 'island' && k % 3 === 0 ? torgersen : c.codes[i])) };
        }
        return c;
      }),
    });
    const ref = subset(order.slice(0, 172), 'reference.csv', false), cur = subset(order.slice(172), 'shifted.csv', true);
    const report = driftReport(ref, cur);
    const drifted = report.columns.filter((c) => c.drifted).map((c) => c.name).sort();
    assert.deepEqual(drifted, ['body_mass_g', 'island'], JSON.stringify(report.columns.map((c) => [c.name, c.test, c.pValue ?? c.distance])));
    assert.equal(report.columns.find((c) => c.name === 'body_mass_g')!.test, 'ks');
    assert.equal(report.columns.find((c) => c.name === 'island')!.test, 'chi2');
    assert.equal(report.columns.find((c) => c.name === 'sex')!.test, 'z');
    assert.equal(report.datasetDrift, false, `2 of ${report.columns.length} columns`);
    const strict = driftReport(ref, cur, { share: 0.25 });
    assert.equal(strict.datasetDrift, true);
    const all = driftReport(ref, cur, { test: 'psi' });
    assert.ok(all.columns.every((c) => c.test === 'psi' && c.pValue === null && c.distance !== null));
  });
});

describe('drift reports on random halves of one file (no drift)', function () {
  this.timeout(120_000);

  // Seeded shuffles; each half ≤ 1,000 rows, so the p-value tests (KS, chi-square, Z) at α 0.05.
  for (const [file, drop] of [['penguins.csv', []], ['titanic_survival.csv', ['name']]] as const) {
    it(`${file}: over 100 random halves the share of columns flagged stays near the 5% significance level`, async () => {
      const loaded = await loadCsv(dataset(file));
      const f: Frame = { ...loaded, columns: loaded.columns.filter((c) => !(drop as readonly string[]).includes(c.name)) };
      const subset = (rows: number[], source: string): Frame => ({
        ...f, source, rows: rows.length,
        columns: f.columns.map((c) => {
          switch (c.kind) {
            case 'categorical':
            case 'text':
              return { ...c, length: rows.length, codes: Int32Array.from(rows, (i) => c.codes[i]) };
            case 'boolean':
              return { ...c, length: rows.length, values: Uint8Array.from(rows, (i) => c.values[i]) };
            default:
              return { ...c, length: rows.length, values: Float64Array.from(rows, (i) => c.values[i]) };
          }
        }),
      });
      let seed = 1;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      let flagged = 0, tested = 0;
      for (let k = 0; k < 100; k++) {
        const order = Array.from({ length: f.rows }, (_, i) => i);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        const report = driftReport(subset(order.slice(0, f.rows >> 1), 'one half'), subset(order.slice(f.rows >> 1), 'the other'));
        assert.ok(report.columns.every((c) => c.pValue !== null), 'p-value tests');
        flagged += report.columns.filter((c) => c.drifted).length;
        tested += report.columns.length;
      }
      // 100 × (4 to 8) tests, correlated within a split: a standard error near 1 point.
      assert.ok(flagged / tested >= 0.02 && flagged / tested <= 0.08, `${flagged} of ${tested} columns flagged (${((100 * flagged) / tested).toFixed(1)}%)`);
    });
  }
});

describe('mlw drift', function () {
  this.timeout(120_000);

  it('--json prints the documented fields; --fail-on-drift exits 1 on dataset drift, 0 without; bad options exit 2', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const lines = fs.readFileSync(dataset('penguins.csv'), 'utf8').trim().split('\n');
    const header = lines[0].split(',');
    const mass = header.indexOf('"body_mass_g"') >= 0 ? header.indexOf('"body_mass_g"') : header.indexOf('body_mass_g');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-drift-'));
    const ref = path.join(dir, 'ref.csv'), same = path.join(dir, 'same.csv'), heavy = path.join(dir, 'heavy.csv');
    const odd = lines.slice(1).filter((_, i) => i % 2 === 1), even = lines.slice(1).filter((_, i) => i % 2 === 0);
    fs.writeFileSync(ref, [lines[0], ...even].join('\n') + '\n');
    fs.writeFileSync(same, [lines[0], ...even].join('\n') + '\n');
    fs.writeFileSync(heavy, [lines[0], ...odd.map((l) => l.split(',').map((v, j) => (j === mass && v !== 'NA' && v !== '' ? String(Number(v) + 900) : v)).join(','))].join('\n') + '\n');
    const json = spawnSync(process.execPath, [cli, 'drift', ref, heavy, '--json', '--columns', 'body_mass_g,island', '--store', path.join(dir, 'mlruns')], { encoding: 'utf8' });
    assert.equal(json.status, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(report.columns[0]).filter((k) => k !== 'warning'), ['name', 'kind', 'test', 'statistic', 'pValue', 'distance', 'threshold', 'drifted', 'effectSize', 'referenceRows', 'currentRows']);
    assert.equal(report.columns[0].name, 'body_mass_g');
    assert.equal(report.columns[0].drifted, true);
    assert.equal(report.datasetDrift, true);
    // Recorded as a drift-check run with a metric per column and the report as an artifact.
    const store = new MlflowStore(path.join(dir, 'mlruns'));
    const run = store.getRun(report.runId);
    assert.equal(run.tags['mlworkbench.kind'], 'drift');
    assert.equal(run.metrics.dataset_drift, 1);
    assert.equal(run.metrics['drift.body_mass_g'], report.columns[0].pValue);
    assert.ok(fs.existsSync(path.join(run.artifactDir, 'drift.json')));
    // The panel's charts: each column's two distributions on shared bins (or categories) in drift.json.
    const saved = JSON.parse(fs.readFileSync(path.join(run.artifactDir, 'drift.json'), 'utf8'));
    assert.equal(saved.distributions.body_mass_g.kind, 'bins');
    assert.equal(saved.distributions.body_mass_g.edges.length, saved.distributions.body_mass_g.reference.length + 1);
    assert.equal(saved.distributions.body_mass_g.reference.reduce((a: number, b: number) => a + b, 0), report.columns[0].referenceRows);
    assert.equal(saved.distributions.island.kind, 'categories');
    // A test and threshold per column: PSI for the mass (drifts at 0.1, not at 50), KS for the bill.
    const perColumn = spawnSync(process.execPath, [cli, 'drift', ref, heavy, '--json', '--no-track', '--columns', 'body_mass_g,bill_length_mm', '--test', 'body_mass_g=psi,bill_length_mm=ks', '--threshold', 'body_mass_g=50'], { encoding: 'utf8' });
    assert.equal(perColumn.status, 0, perColumn.stderr);
    const [massCol, bill] = ['body_mass_g', 'bill_length_mm'].map((n) => JSON.parse(perColumn.stdout).columns.find((c: { name: string }) => c.name === n));
    assert.deepEqual([massCol.test, massCol.threshold, massCol.drifted, massCol.pValue], ['psi', 50, false, null]);
    assert.ok(massCol.distance > 0.1);
    assert.deepEqual([bill.test, bill.threshold], ['ks', 0.05]);
    const unknown = spawnSync(process.execPath, [cli, 'drift', ref, heavy, '--no-track', '--test', 'wingspan=ks'], { encoding: 'utf8' });
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /--test names column "wingspan", which is not in .*ref\.csv/);
    const fail = spawnSync(process.execPath, [cli, 'drift', ref, heavy, '--fail-on-drift', '--columns', 'body_mass_g', '--no-track'], { encoding: 'utf8' });
    assert.equal(fail.status, 1);
    assert.match(fail.stdout, /^DRIFT: 1 of 1 columns drifted/);
    assert.match(fail.stderr, /mlw: the dataset drifted: body_mass_g/);
    const pass = spawnSync(process.execPath, [cli, 'drift', ref, same, '--fail-on-drift', '--no-track'], { encoding: 'utf8' });
    assert.equal(pass.status, 0, pass.stderr);
    assert.match(pass.stdout, /^no drift: 0 of \d+ columns drifted/);
    assert.equal(spawnSync(process.execPath, [cli, 'drift', ref, same, '--test', 'anova', '--no-track']).status, 2);
    const missing = spawnSync(process.execPath, [cli, 'drift', ref, same, '--columns', 'wingspan', '--no-track'], { encoding: 'utf8' });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /column "wingspan" is not in .*ref\.csv/);
  });
});

describe('drift against a model', function () {
  this.timeout(120_000);

  it('a trained bundle keeps a seeded sample of its training inputs; mlw drift <bundle> <csv> uses it and says its size', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-drift-model-'));
    const titanic = dataset('titanic_survival.csv');
    const [r] = (await train({ kind: 'train', data: titanic, target: 'survived', drop: ['name'], models: ['lr'], cv: 0 }, new MlflowStore(path.join(dir, 'mlruns')))).results;
    const b = await loadBundle(r.bundle!);
    const ref = b.bundle.reference!;
    assert.equal(ref.rows, 1047, 'the training split');
    assert.deepEqual(ref.columns.map((c) => `${c.name}:${c.kind}`), ['age:numeric', 'sex:categorical', 'passengerClass:categorical']);
    const age = ref.columns[0] as { count: number; sample: number[] };
    assert.equal(age.sample.length, age.count, 'fewer than 10,000 values: all of them');
    // Older passengers and more women than in training.
    const lines = fs.readFileSync(titanic, 'utf8').trim().split('\n');
    const shifted = path.join(dir, 'shifted.csv');
    fs.writeFileSync(shifted, [lines[0], ...lines.slice(1).map((l) => l.replace(/,"male",(\d+(?:\.\d+)?),/, (_, a) => `,"female",${Number(a) + 15},`))].join('\n') + '\n');
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const out = spawnSync(process.execPath, [cli, 'drift', path.dirname(r.bundle!), shifted, '--json', '--store', path.join(dir, 'mlruns')], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    const report = JSON.parse(out.stdout);
    assert.match(report.reference, /a sample of 1,047 training rows/);
    const byName = Object.fromEntries(report.columns.map((c: { name: string }) => [c.name, c]));
    assert.equal(byName.sex.drifted, true);
    assert.equal(byName.age.drifted, true);
    assert.equal(byName.age.referenceRows, age.count);
    assert.equal(byName.passengerClass.drifted, false);
    const run = new MlflowStore(path.join(dir, 'mlruns')).getRun(report.runId);
    assert.equal(run.tags['mlworkbench.driftOfRunId'], r.runId, 'linked to the model\'s run');
    assert.equal(report.experimentId, b.bundle.source!.experimentId, 'in the model\'s experiment');
    const old = spawnSync(process.execPath, [cli, 'drift', path.join(FIXTURES, 'bundles', 'titanic_lr_v1.bundle.json'), shifted, '--no-track'], { encoding: 'utf8' });
    assert.equal(old.status, 1);
    assert.match(old.stderr, /keeps no sample of its training data .* give its training CSV as the reference/);
  });
});
