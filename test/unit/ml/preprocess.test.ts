// Splits, folds and preprocessing against scikit-learn and pandas, run live with /usr/bin/python3.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import { DEFAULT_PREPROCESS, prepareTarget, Preprocessor } from '../../../src/core/ml/preprocess';
import { datetimeParts } from '../../../src/core/ml/transformers/dateParts';
import { kFold, stratifiedKFold, trainTestSplit } from '../../../src/core/ml/split';
import { REFERENCE_SETUPS } from '../../referencePipeline';
import { dataset, FIXTURES } from '../../support/paths';

function python(code: string, input: unknown): unknown {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('splits and folds', () => {
  it('StratifiedKFold(5) gives scikit-learn\'s folds exactly', async () => {
    const frame = await loadCsv(dataset('letter_recognition.csv'));
    const t = prepareTarget(frame, 'lettr');
    const ours = stratifiedKFold(t.y as Int32Array, 5).map((f) => Array.from(f.test));
    const theirs = python(`
import json, sys
from sklearn.model_selection import StratifiedKFold
y = json.load(sys.stdin)
print(json.dumps([t.tolist() for _, t in StratifiedKFold(5).split(y, y)]))`, Array.from(t.y)) as number[][];
    assert.deepEqual(ours, theirs);
  });

  it('KFold(5) blocks equal scikit-learn\'s, shuffled ones too', () => {
    const folds = kFold(23, 5);
    assert.deepEqual(folds.map((f) => f.test.length), [5, 5, 5, 4, 4]);
    const shuffled = kFold(100, 4, { shuffle: true, seed: 3 }).map((f) => Array.from(f.test));
    const theirs = python(`
import json
from sklearn.model_selection import KFold
print(json.dumps([sorted(t.tolist()) for _, t in KFold(4, shuffle=True, random_state=3).split(list(range(100)))]))`, null);
    assert.deepEqual(shuffled, theirs);
  });

  it('train_test_split gives scikit-learn\'s rows, in its order, stratified or not', async () => {
    const cases: { name: string; y: Int32Array; testSize: number; seed: number; stratify: boolean }[] = [];
    for (const [file, target] of [['titanic_survival.csv', 'survived'], ['letter_recognition.csv', 'lettr'], ['mpls_stops.csv', 'personSearch']]) {
      const t = prepareTarget(await loadCsv(dataset(file)), target);
      cases.push({ name: file, y: t.y as Int32Array, testSize: 0.2, seed: 42, stratify: true });
    }
    // Small classes whose shares tie, so that the generator breaks the ties.
    const tied = Int32Array.from([0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4]);
    for (const seed of [0, 1, 2, 3]) cases.push({ name: `tied classes, seed ${seed}`, y: tied, testSize: 0.3, seed, stratify: true });
    cases.push({ name: 'not stratified', y: new Int32Array(101), testSize: 0.25, seed: 3, stratify: false });
    const theirs = python(`
import json, sys
import numpy as np
from sklearn.model_selection import train_test_split
out = []
for c in json.load(sys.stdin):
    rows = np.arange(len(c['y']))
    train, test = train_test_split(rows, test_size=c['testSize'], random_state=c['seed'], stratify=c['y'] if c['stratify'] else None)
    out.append([train.tolist(), test.tolist()])
print(json.dumps(out))`, cases.map((c) => ({ ...c, y: Array.from(c.y) }))) as number[][][];
    cases.forEach((c, i) => {
      const ours = trainTestSplit(c.y.length, { testSize: c.testSize, seed: c.seed, stratify: c.stratify ? c.y : undefined });
      assert.deepEqual(Array.from(ours.train), theirs[i][0], `${c.name}: training rows`);
      assert.deepEqual(Array.from(ours.test), theirs[i][1], `${c.name}: test rows`);
    });
  });

  it('a split refuses classes too small to split', () => {
    assert.throws(() => trainTestSplit(5, { testSize: 0.2, stratify: Int32Array.from([0, 0, 0, 0, 1]) }), /a class has a single row/);
    assert.throws(() => trainTestSplit(6, { testSize: 0.2, stratify: Int32Array.from([0, 0, 1, 1, 2, 2]) }), /test split \(2 rows\) is smaller than the number of classes \(3\)/);
  });
});

/**
 * The reference pipeline's ColumnTransformer (median + scale numbers, "missing" + one-hot
 * categories) fitted on the `train` rows of a CSV and applied to the `test` rows. `prepare` is
 * Python that turns the DataFrame `df` into `X`, `cats` and `nums`.
 */
function referenceColumnTransformer(file: string, prepare: string, train: ArrayLike<number>, test: ArrayLike<number>): { names: string[]; X: number[][] } {
  return python(`
import json, sys
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
args = json.load(sys.stdin)
df = pd.read_csv(args['file'])${prepare}
ct = ColumnTransformer([
  ('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), nums),
  ('cat', make_pipeline(SimpleImputer(strategy='constant', fill_value='missing'), OneHotEncoder(handle_unknown='ignore', sparse_output=False)), cats)])
ct.fit(X.iloc[args['train']])
print(json.dumps({'names': list(ct.get_feature_names_out()), 'X': ct.transform(X.iloc[args['test']]).tolist()}))`,
  { file, train: Array.from(train), test: Array.from(test) }) as { names: string[]; X: number[][] };
}

describe('preprocessing', () => {
  it('equals scikit-learn\'s ColumnTransformer (median+scale, missing+one-hot) fitted on the same training rows', async () => {
    const frame = await loadCsv(dataset('titanic_survival.csv'));
    const t = prepareTarget(frame, 'survived');
    const split = trainTestSplit(t.rows.length, { testSize: 0.2, stratify: t.y as Int32Array, seed: 42 });
    const pre = new Preprocessor().fit(frame, split.train, ['survived', 'name']);
    const Xte = pre.transform(frame, split.test);
    const theirs = referenceColumnTransformer(dataset('titanic_survival.csv'), `
X = df.drop(columns=['survived', 'name'])
cats = ['sex', 'passengerClass']; nums = ['age']`, split.train, split.test);
    // Numbers first, then categories in the file's order, as the reference ColumnTransformer.
    assert.deepEqual(pre.state!.outputNames, ['age', 'sex=female', 'sex=male', 'passengerClass=1st', 'passengerClass=2nd', 'passengerClass=3rd']);
    assert.equal(theirs.names.length, Xte.cols);
    theirs.X.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(Xte.data[i * Xte.cols + j] - v) < 1e-12, `X[${i}][${j}] ${Xte.data[i * Xte.cols + j]} vs ${v}`)));
  });

  it('mpls_stops as the reference script prepares it (hour/dayofweek/month of date, the precinct as text) equals its ColumnTransformer', async function () {
    this.timeout(120_000);
    const frame = await loadCsv(dataset('mpls_stops.csv'));
    const setup = REFERENCE_SETUPS.mpls_stops;
    const d = trainTestData(frame, setup.target, setup.options);
    // bench_sklearn.py's load('mpls_stops') and prep(), on our split's rows
    const theirs = referenceColumnTransformer(dataset('mpls_stops.csv'), `
dt = pd.to_datetime(df['date'])
df['hour'] = dt.dt.hour; df['dayofweek'] = dt.dt.dayofweek; df['month'] = dt.dt.month
df['policePrecinct'] = df['policePrecinct'].astype(str)
X = df.drop(columns=['personSearch', 'idNum', 'date', 'vehicleSearch', 'citationIssued'])
cats = ['problem', 'MDC', 'preRace', 'race', 'gender', 'policePrecinct', 'neighborhood']
nums = [c for c in X.columns if c not in cats]`, d.trainRows, d.testRows);
    // Our names in theirs: date.hour is num__hour, policePrecinct=4 is cat__policePrecinct_4.
    const ours = d.preprocessor.state!.outputNames.map((n) => (n.includes('=') ? `cat__${n.replace('=', '_')}` : `num__${n.replace(/^date\./, '')}`));
    assert.deepEqual([...ours].sort(), [...theirs.names].sort());
    assert.equal(d.Xtrain.cols, 120);
    const column = ours.map((n) => theirs.names.indexOf(n));
    const X = d.Xtest;
    theirs.X.forEach((row, i) => column.forEach((j, k) => {
      const v = X.data[i * X.cols + k];
      assert.ok(Math.abs(v - row[j]) < 1e-9, `row ${i}, ${ours[k]}: ours ${v}, scikit-learn ${row[j]}`);
    }));
  });

  it('encoding a numeric column as categories, and picking datetime parts, are checked and saved', async () => {
    const frame = await loadCsv(dataset('mpls_stops.csv'));
    const rows = Array.from({ length: 500 }, (_, i) => i);
    const pre = new Preprocessor({ ...DEFAULT_PREPROCESS, categoricalColumns: ['policePrecinct'], datetimeParts: ['weekend'] }).fit(frame, rows, ['idNum']);
    const names = pre.state!.outputNames;
    assert.deepEqual(names.filter((n) => n.startsWith('date.')), ['date.weekend']);
    assert.ok(names.includes('policePrecinct=1') && !names.includes('policePrecinct'));
    const again = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    assert.deepEqual(again.transform(frame, rows).data, pre.transform(frame, rows).data);
    assert.throws(() => new Preprocessor({ ...DEFAULT_PREPROCESS, categoricalColumns: ['precinct'] }).fit(frame, rows), /column "precinct" is missing \(named to be encoded as categories\)/);
    assert.throws(() => new Preprocessor({ ...DEFAULT_PREPROCESS, categoricalColumns: ['date'] }).fit(frame, rows), /"date" holds datetime values/);
    assert.throws(() => new Preprocessor({ ...DEFAULT_PREPROCESS, datetimeParts: ['minute' as never] }).fit(frame, rows), /not minute/);
    const state = JSON.parse(JSON.stringify(pre.toJSON()));
    const dateSteps = state.columns.find((c: { kind: string }) => c.kind === 'datetime').steps;
    dateSteps[0].params.parts = ['hour', 'month'];
    assert.throws(() => Preprocessor.fromJSON(state), /column "date" impute: statistics has 1 value where 2 are needed; column "date" scale: mean has 1 value where 2 are needed/);
  });

  it('a version 1 state (before column steps) loads as the same steps: all five date parts when it names none', async () => {
    const frame = await loadCsv(dataset('vega_seattle_weather.csv'));
    const rows = Array.from({ length: 300 }, (_, i) => i);
    const old = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bundles', 'seattle_rf_v1.bundle.json'), 'utf8')).preprocessor;
    assert.equal(old.version, 1);
    const date = old.features.find((f: { kind: string }) => f.kind === 'datetime');
    delete date.names; // as saved before part names: all five
    const pre = Preprocessor.fromJSON(old);
    assert.deepEqual(pre.state!.outputNames.slice(0, 5), ['date.year', 'date.month', 'date.dayofweek', 'date.weekend', 'date.hour']);
    const steps = pre.state!.columns[0].steps;
    assert.deepEqual(steps.map((s) => s.type), ['dateParts', 'impute', 'scale']);
    assert.deepEqual((steps[2].state as { mean: number[] }).mean, date.parts.map((p: { mean: number }) => p.mean));
    const X = pre.transform(frame, rows);
    for (const r of [0, 17, 299]) {
      const t = (frame.columns.find((c) => c.name === 'date') as { values: Float64Array }).values[r];
      const parts = datetimeParts(t);
      date.parts.forEach((p: { mean: number; scale: number }, k: number) => assert.equal(X.data[r * X.cols + k], (parts[k] - p.mean) / p.scale));
    }
    date.parts.pop();
    assert.throws(() => Preprocessor.fromJSON(old), /column "date" impute: statistics has 4 values where 5 are needed/);
  });

  it('unseen categories give all zeros; a missing column is named; state round-trips through JSON', async () => {
    const frame = await loadCsv(dataset('penguins.csv'));
    const pre = new Preprocessor().fit(frame, [0, 1, 2, 3, 4], ['species']); // only Adelie/Torgersen rows
    const X = pre.transform(frame);
    const islandCols = pre.state!.outputNames.map((n, j) => [n, j] as const).filter(([n]) => n.startsWith('island='));
    assert.deepEqual(islandCols.map(([n]) => n), ['island=Torgersen']);
    const biscoe = frame.columns.find((c) => c.name === 'island')!;
    const row = Array.from({ length: frame.rows }, (_, i) => i).find((i) => 'codes' in biscoe && biscoe.dictionary[biscoe.codes[i]] === 'Biscoe')!;
    assert.equal(X.data[row * X.cols + islandCols[0][1]], 0);
    const again = Preprocessor.fromJSON(JSON.parse(JSON.stringify(pre.toJSON())));
    assert.deepEqual(again.transform(frame).data, X.data);
    const without = { ...frame, columns: frame.columns.filter((c) => c.name !== 'island') };
    assert.throws(() => pre.transform(without), /column "island" is missing/);
  });

  it('datetime parts equal pandas\' dt.year, month, dayofweek and hour', async () => {
    const frame = await loadCsv(dataset('mpls_stops.csv'));
    const date = frame.columns.find((c) => c.name === 'date')!;
    assert.ok(date.kind === 'datetime');
    const sample = Array.from({ length: 400 }, (_, i) => date.values[i * 97]);
    const theirs = python(`
import json, sys
import pandas as pd
ms = json.load(sys.stdin)
d = pd.to_datetime(pd.Series(ms), unit='ms')
print(json.dumps([[int(a), int(b), int(c), int(c >= 5), int(e)] for a, b, c, e in zip(d.dt.year, d.dt.month, d.dt.dayofweek, d.dt.hour)]))`, sample) as number[][];
    assert.deepEqual(sample.map(datetimeParts), theirs);
  });

  it('targets: rows without one are dropped and counted; one class is refused', async () => {
    const frame = await loadCsv(dataset('penguins.csv'));
    const sex = prepareTarget(frame, 'sex');
    assert.equal(sex.dropped, 11);
    assert.deepEqual(sex.labels, ['female', 'male']);
    const one = { ...frame, columns: frame.columns.map((c) => (c.name === 'island' && 'codes' in c ? { ...c, codes: c.codes.map(() => 0) } : c)) };
    assert.throws(() => prepareTarget(one, 'island'), /single class/);
    assert.equal(prepareTarget(frame, 'body_mass_g').task, 'regression');
    assert.equal(prepareTarget(frame, 'year').task, 'classification');
  });
});
