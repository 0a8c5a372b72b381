// Leakage checks before training: each kind found where it is, and nothing found in a clean file.
// A copy of the target, a window over the target that includes the row, test rows that repeat
// training rows, an ID column; through mlw train, a warning and the session's leakage tag.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import { averageRanks, fewValueRankSums, leakageAlerts } from '../../../src/core/ml/leakage';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { TAG } from '../../../src/core/tracking/tags';
import { dataset, ROOT, tempFile } from '../../support/paths';

const titanicLines = () => fs.readFileSync(dataset('titanic_survival.csv'), 'utf8').trim().split('\n');

async function alertsFor(file: string, target: string, o: Parameters<typeof trainTestData>[2] = {}) {
  const frame = await loadCsv(file);
  return leakageAlerts(frame, trainTestData(frame, target, o));
}

describe('leakage checks', () => {
  it('average ranks are scipy\'s rankdata: ties share their mean rank, -0 ties 0, NaN ranks last in row order', () => {
    const x = Float64Array.from([3, 1, 2, 2, -0, 0, 5, 2, 1e-300, -7]);
    const brute = Array.from(x, (v) => x.filter((u) => u < v).length + (x.filter((u) => u === v).length + 1) / 2);
    assert.deepEqual(Array.from(averageRanks(x)), brute);
    assert.deepEqual(Array.from(averageRanks(Float64Array.from([2, NaN, 1, NaN, 2]))), [2.5, 4, 1, 5, 2.5]);
    assert.deepEqual(Array.from(averageRanks(new Float64Array(0))), []);
    // Few distinct values (counted) and many (sorted) against the definition.
    for (const distinct of [2, 16, 17, 500]) {
      const y = Float64Array.from({ length: 3000 }, (_, i) => ((i * 7919) % distinct) - distinct / 3);
      assert.deepEqual(Array.from(averageRanks(y)), Array.from(y, (v) => y.filter((u) => u < v).length + (y.filter((u) => u === v).length + 1) / 2), `${distinct} distinct`);
    }
  });

  it('a few-valued column\'s rank sums per class, counted, are those of its average ranks, exactly; NaN or a 17th value declines', () => {
    for (const [distinct, k] of [[2, 2], [3, 26], [16, 5]]) {
      const x = Float64Array.from({ length: 5000 }, (_, i) => ((i * 7919) % distinct) * 0.5 - 1);
      const y = Int32Array.from({ length: 5000 }, (_, i) => (i * 104729 + (i >> 3)) % k);
      const ranks = averageRanks(x);
      const sums = fewValueRankSums(x, y, k)!;
      for (let c = 0; c < k; c++) {
        const rows = Array.from(y.keys()).filter((i) => y[i] === c);
        assert.equal(sums.positives[c], rows.length, `${distinct} values, class ${c}: rows`);
        assert.equal(sums.rankSums[c], rows.reduce((t, i) => t + ranks[i], 0), `${distinct} values, class ${c}: rank sum`);
      }
    }
    assert.equal(fewValueRankSums(Float64Array.from({ length: 100 }, (_, i) => i % 17), new Int32Array(100), 2), undefined);
    assert.equal(fewValueRankSums(Float64Array.from([0, 1, NaN]), new Int32Array(3), 2), undefined);
  });

  it('a clean file gives none; diamonds\' repeated rows are found (pandas counts 146 duplicated)', async () => {
    assert.deepEqual(await alertsFor(dataset('titanic_survival.csv'), 'survived', { drop: ['name'] }), []);
    assert.deepEqual(await alertsFor(dataset('penguins.csv'), 'species'), []);
    const d = await alertsFor(dataset('diamonds.csv'), 'price');
    assert.deepEqual(d.map((x) => x.kind), ['duplicate-rows']);
    assert.match(d[0].message, /^\d+ of 10788 test rows repeat a training row exactly/);
  });

  it('a feature that alone predicts the target: a class code (ROC AUC) and a scaled copy of a price (r)', async () => {
    const [head, ...rows] = titanicLines();
    const file = tempFile('t.csv', [`${head},"outcome"`, ...rows.map((r) => `${r},${/"yes"/.test(r.split(',').at(-4) ?? '') || r.includes('","yes",') ? 1 : 0}`)].join('\n') + '\n');
    const a = await alertsFor(file, 'survived', { drop: ['name'] });
    assert.equal(a.length, 1, JSON.stringify(a));
    assert.equal(a[0].kind, 'predictive-feature');
    assert.match(a[0].message, /feature "outcome" alone separates the classes of "survived" on the training split \(ROC AUC 1\.000\)/);
    const d = fs.readFileSync(dataset('diamonds.csv'), 'utf8').trim().split('\n');
    const priceAt = d[0].split(',').indexOf('"price"');
    const file2 = tempFile('d.csv', [`${d[0]},"price_eur"`, ...d.slice(1, 5001).map((r) => `${r},${Number(r.split(',')[priceAt]) * 0.92}`)].join('\n') + '\n');
    const b = await alertsFor(file2, 'price');
    assert.deepEqual(b.filter((x) => x.kind === 'predictive-feature').map((x) => [x.columns, x.drop]), [[['price_eur'], ['price_eur']]]);
    assert.match(b.find((x) => x.kind === 'predictive-feature')!.message, /r = 1\.000/);
  });

  it('a window over the target that includes the row is computed from the target; a lag of it is history', async () => {
    const file = dataset('vega_seattle_weather.csv');
    const leak = await alertsFor(file, 'temp_max', { drop: ['weather'], features: [{ type: 'rolling', column: 'temp_max', window: 3, orderBy: 'date', includeCurrent: true }] });
    assert.ok(leak.every((x) => x.kind !== 'from-target' || x.drop === undefined), 'a step\'s column is not the file\'s to drop');
    assert.ok(leak.some((x) => x.kind === 'from-target' && /temp_max_rolling_3_mean is computed from the target "temp_max" itself \(a rolling window that includes the current row\)/.test(x.message)), JSON.stringify(leak));
    const fine = await alertsFor(file, 'temp_max', { drop: ['weather'], features: [{ type: 'rolling', column: 'temp_max', window: 3, orderBy: 'date' }, { type: 'lag', column: 'temp_max', lags: [1], orderBy: 'date' }] });
    assert.ok(!fine.some((x) => x.kind === 'from-target'), JSON.stringify(fine));
  });

  it('a two-valued category that copies the target is one alert, naming the column to drop', async () => {
    const [head, ...rows] = titanicLines();
    const file = tempFile('t2.csv', [`${head},"note"`, ...rows.map((r) => `${r},${/"yes"/.test(r.split(',').at(-4) ?? '') || r.includes('","yes",') ? 'S' : 'D'}`)].join('\n') + '\n');
    const a = await alertsFor(file, 'survived', { drop: ['name'] });
    assert.deepEqual(a.map((x) => [x.kind, x.columns, x.drop]), [['predictive-feature', ['note=D'], ['note']]], JSON.stringify(a));
  });

  it('a multiclass target under another name (penguins\' species as codes) is found by its values', async () => {
    const lines = fs.readFileSync(dataset('penguins.csv'), 'utf8').trim().split('\n');
    const code = { '"Adelie"': 'A1', '"Gentoo"': 'G7', '"Chinstrap"': 'C3' } as Record<string, string>;
    const file = tempFile('p.csv', [`${lines[0]},"kind"`, ...lines.slice(1).map((l) => `${l},${code[l.split(',')[0]]}`)].join('\n') + '\n');
    const a = await alertsFor(file, 'species');
    assert.deepEqual(a.map((x) => [x.kind, x.columns, x.drop]), [['predictive-feature', ['kind'], ['kind']]]);
    assert.match(a[0].message, /column "kind" names the class of "species" on 100\.0% of the training rows \(each of its 3 values one class\)/);
  });

  it('test rows that repeat training rows, and an ID column, are named', async () => {
    const [head, ...rows] = titanicLines();
    const doubled = tempFile('dup.csv', [head, ...rows, ...rows.slice(0, 300)].join('\n') + '\n');
    const dup = await alertsFor(doubled, 'survived', { drop: ['name'] });
    assert.ok(dup.some((x) => x.kind === 'duplicate-rows' && /^\d+ of 322 test rows repeat a training row exactly/.test(x.message)), JSON.stringify(dup));
    const withId = tempFile('id.csv', [`"passenger_id",${head}`, ...rows.map((r, i) => `${1000 + i},${r}`)].join('\n') + '\n');
    const id = await alertsFor(withId, 'survived', { drop: ['name'] });
    assert.deepEqual(id.map((x) => [x.kind, x.columns]), [['id-like', ['passenger_id']]]);
  });

  it('mlw train warns and records them on the session', () => {
    const [head, ...rows] = titanicLines();
    const dir = path.dirname(tempFile('x', ''));
    const file = path.join(dir, 'id.csv');
    fs.writeFileSync(file, [`"passenger_id",${head}`, ...rows.map((r, i) => `${1000 + i},${r}`)].join('\n') + '\n');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', file, '--target', 'survived', '--drop', 'name', '--models', 'lr', '--cv', '0', '--store', path.join(dir, 'mlruns')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout + r.stderr, /warning: possible leak: column "passenger_id" looks like a row identifier/);
    const store = new MlflowStore(path.join(dir, 'mlruns'));
    const session = store.listRuns(store.listExperiments()[0].id).find((x) => x.tags[TAG.kind] === 'train')!;
    assert.deepEqual(JSON.parse(session.tags[TAG.leakage]).map((x: { kind: string }) => x.kind), ['id-like']);
  });
});
