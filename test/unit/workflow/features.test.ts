// Feature steps through the workflow: a model trained with them saves them in its bundle and
// predicts through it as in training; bundles saved before steps existed, and before the
// preprocessor became column steps, load and predict exactly as they did (fixtures); `mlw features` materialises a spec's steps on a
// whole file as pandas and scikit-learn compute them, through a pipe too, with clear failures.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import { trainTestData } from '../../../src/core/ml/dataset';
import { loadCsv } from '../../../src/core/csv/load';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { isClassifier } from '../../../src/core/ml/estimator';
import { loadBundle } from '../../../src/core/workflow/bundle';
import { formatProbability, predictCsv } from '../../../src/core/workflow/predict';
import { train } from '../../../src/core/workflow/train';
import { dataset, FIXTURES, ROOT } from '../../support/paths';
import { python } from '../../support/python';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-fe-'));
const cli = path.join(ROOT, 'dist', 'cli.js');
const readCsv = (file: string) => Papa.parse<string[]>(fs.readFileSync(file, 'utf8').trim(), {}).data;

describe('feature steps in the workflow', () => {
  const weather = dataset('vega_seattle_weather.csv');
  const steps = [
    { type: 'timeFeatures', column: 'date', features: ['month', 'dayofyear', 'month_sin', 'month_cos'] },
    { type: 'polynomial', columns: ['temp_max', 'temp_min', 'precipitation'], degree: 2, interactionOnly: true },
  ];

  it('a model trained with steps saves them, and mlw predict replays them: the test rows predict as in training', async () => {
    const dir = tmp();
    const spec = { kind: 'train' as const, data: weather, target: 'weather', drop: ['date'], models: ['lr' as const, 'rf' as const], cv: 0, features: steps };
    const result = await train(spec, new MlflowStore(path.join(dir, 'mlruns')));
    const data = trainTestData(await loadCsv(weather), 'weather', { drop: ['date'], features: steps });
    assert.ok(data.preprocessor.state!.outputNames.includes('date_month_sin') && data.preprocessor.state!.outputNames.includes('temp_max temp_min'));
    for (const r of result.results) {
      assert.equal(r.status, 'FINISHED', r.error);
      const b = await loadBundle(r.bundle!);
      assert.deepEqual(b.features.outputNames(), ['date_month', 'date_dayofyear', 'date_month_sin', 'date_month_cos', 'temp_max temp_min', 'temp_max precipitation', 'temp_min precipitation']);
      // The date is dropped as a feature but read by its step: the bundle asks for it.
      assert.deepEqual(b.bundle.input.find((c) => c.name === 'date'), { name: 'date', kind: 'datetime' });
      const out = path.join(dir, `${r.model}.csv`);
      await predictCsv(r.bundle!, weather, out);
      const predicted = readCsv(out).slice(1).map((row) => row[row.length - 6]);
      const inSession = b.estimator.predict(data.Xtest);
      data.testRows.forEach((row, i) => assert.equal(predicted[row], data.target.labels![inSession[i]], `${r.model}, row ${row}`));
    }
  });

  // Each step alone: trained, saved, and replayed by mlw predict on the whole file. The test rows'
  // predictions equal the session's, to the probability: the step's saved state is all it needs.
  const EACH_STEP: [string, Record<string, unknown>][] = [
    ['polynomial', { type: 'polynomial', columns: ['temp_max', 'wind'], degree: 2 }],
    ['bin (edges, labels)', { type: 'bin', column: 'temp_max', edges: [-10, 5, 15, 25, 40], labels: ['cold', 'cool', 'mild', 'hot'] }],
    ['bin (kmeans, one-hot)', { type: 'bin', column: 'wind', strategy: 'kmeans', nBins: 4, encode: 'onehot' }],
    ['targetEncode', { type: 'targetEncode', columns: ['month_name'], cv: 3 }],
    ['timeFeatures', { type: 'timeFeatures', column: 'date', features: ['month', 'dayofweek', 'month_sin', 'hour_cos'] }],
    ['aggregate', { type: 'aggregate', groupBy: 'month_name', column: 'precipitation', stats: ['mean', 'std', 'max', 'nunique'] }],
    ['lag', { type: 'lag', column: 'temp_max', lags: [1, 3], orderBy: 'date' }],
    ['rolling', { type: 'rolling', column: 'precipitation', window: 5, stats: ['mean', 'sum', 'std', 'min', 'max'], orderBy: 'date' }],
    ['formula', { type: 'formula', name: 'spread', expression: 'log1p(`temp_max` - `temp_min` + 20) / sqrt(wind + 1)' }],
  ];
  for (const [name, step] of EACH_STEP) {
    it(`a model trained with a${/^[aeiou]/.test(name) ? 'n' : ''} ${name} step predicts through mlw predict as in training`, async () => {
      const dir = tmp();
      // Seattle's weather with a month name to encode and group by.
      const lines = fs.readFileSync(weather, 'utf8').trim().split('\n');
      const file = path.join(dir, 'weather.csv');
      fs.writeFileSync(file, [`${lines[0]},"month_name"`, ...lines.slice(1).map((l) => `${l},m${Number(l.slice(5, 7))}`)].join('\n') + '\n');
      const features = [step];
      const spec = { kind: 'train' as const, data: file, target: 'weather', drop: ['date'], models: ['lr' as const], cv: 0, features };
      const [r] = (await train(spec, new MlflowStore(path.join(dir, 'mlruns')))).results;
      assert.equal(r.status, 'FINISHED', r.error);
      const b = await loadBundle(r.bundle!);
      assert.deepEqual(b.features.steps.map((s) => s.type), [step.type]);
      const data = trainTestData(await loadCsv(file), 'weather', { drop: ['date'], features });
      const out = path.join(dir, 'p.csv');
      await predictCsv(r.bundle!, file, out);
      const k = data.target.labels!.length;
      const rows = readCsv(out).slice(1).map((row) => row.slice(row.length - k - 1));
      const inSession = b.estimator.predict(data.Xtest);
      const proba = isClassifier(b.estimator) ? b.estimator.predictProba(data.Xtest) : undefined;
      data.testRows.forEach((row, i) => {
        assert.equal(rows[row][0], data.target.labels![inSession[i]], `row ${row}`);
        for (let c = 0; c < k; c++) assert.equal(rows[row][1 + c], formatProbability(proba![i * k + c]), `row ${row}, class ${c}`);
      });
    });
  }

  it('target encoding in a session: its training rows out of fold, and mlw predict replays the full encoding', async () => {
    const dir = tmp();
    const titanic = dataset('titanic_survival.csv');
    const features = [{ type: 'targetEncode', columns: ['sex', 'passengerClass'] }];
    const spec = { kind: 'train' as const, data: titanic, target: 'survived', drop: ['name', 'sex', 'passengerClass'], models: ['lr' as const], cv: 0, features };
    const [r] = (await train(spec, new MlflowStore(path.join(dir, 'mlruns')))).results;
    assert.equal(r.status, 'FINISHED', r.error);
    const b = await loadBundle(r.bundle!);
    assert.deepEqual(b.bundle.input.map((c) => `${c.name}:${c.kind}`), ['age:numeric', 'sex:categorical', 'passengerClass:categorical']);
    assert.deepEqual(b.preprocessor.state!.outputNames, ['age', 'sex_te', 'passengerClass_te']);
    const data = trainTestData(await loadCsv(titanic), 'survived', { drop: spec.drop, features });
    const out = path.join(dir, 'p.csv');
    await predictCsv(r.bundle!, titanic, out);
    const predicted = readCsv(out).slice(1).map((row) => row[row.length - 3]);
    const inSession = b.estimator.predict(data.Xtest);
    data.testRows.forEach((row, i) => assert.equal(predicted[row], data.target.labels![inSession[i]], `row ${row}`));
  });

  // Written by the version before the preprocessor became column steps (412a67f): its predictions
  // as mlw predict wrote them, and for the first 100 rows the matrix and model output to the last bit.
  const OLD_BUNDLES = [
    ['titanic_lr_v1', 'titanic_survival.csv'], ['seattle_rf_v1', 'vega_seattle_weather.csv'], ['penguins_svm_v1', 'penguins.csv'],
    ['titanic_mlp_v1', 'titanic_survival.csv'], ['diabetes_linear_v1', 'sklearn_diabetes.csv'], ['seattle_steps_lr_v1', 'vega_seattle_weather.csv'],
  ];
  for (const [name, data] of OLD_BUNDLES) {
    it(`a bundle saved with the version 1 preprocessor (${name}) loads and predicts exactly as it did`, async () => {
      const bundleFile = path.join(FIXTURES, 'bundles', `${name}.bundle.json`);
      const out = path.join(tmp(), 'p.csv');
      await predictCsv(bundleFile, dataset(data), out);
      const expected = readCsv(path.join(FIXTURES, 'bundles', `${name}.predictions.csv`));
      const got = readCsv(out).map((row) => row.slice(row.length - expected[0].length));
      assert.deepEqual(got, expected);
      const exact = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'bundles', `${name}.exact.json`), 'utf8'));
      const b = await loadBundle(bundleFile);
      const frame = await loadCsv(dataset(data));
      const X = b.preprocessor.transform(b.features.transform(frame), Array.from({ length: exact.X.rows }, (_, i) => i));
      assert.deepEqual(Array.from(X.data), exact.X.data, 'the matrix, bit for bit');
      const output = isClassifier(b.estimator) ? b.estimator.predictProba(X) : b.estimator.predict(X);
      assert.deepEqual(Array.from(output), exact.output, 'the model output, bit for bit');
      assert.equal(b.preprocessor.toJSON().version, 2, 'loaded as column steps');
    });
  }

  describe('mlw features', () => {
    const PANDAS = `
import json, sys
import numpy as np
import pandas as pd
from sklearn.preprocessing import PolynomialFeatures
a = json.load(sys.stdin)
df = pd.read_csv(a['file'])
t = pd.to_datetime(df['date'])
out = {'date_month': t.dt.month, 'date_dayofyear': t.dt.dayofyear, 'date_month_sin': np.sin(2 * np.pi * t.dt.month / 12), 'date_month_cos': np.cos(2 * np.pi * t.dt.month / 12)}
cols = ['temp_max', 'temp_min', 'precipitation']
pf = PolynomialFeatures(degree=2, interaction_only=True, include_bias=False)
Z = pf.fit_transform(df[cols].to_numpy())
for i, n in enumerate(pf.get_feature_names_out(cols)):
    if n not in cols: out[n] = Z[:, i]
print(json.dumps({k: [float(v) for v in out[k]] for k in out}))
`;
    let dir: string, specFile: string;
    before(() => {
      dir = tmp();
      specFile = path.join(dir, 'spec.json');
      fs.writeFileSync(specFile, JSON.stringify({ kind: 'train', data: weather, target: 'weather', models: ['lr'], features: steps }));
    });

    it('writes every input field as it was, then the steps\' columns, equal to pandas and scikit-learn', () => {
      const out = path.join(dir, 'engineered.csv');
      const r = spawnSync(process.execPath, [cli, 'features', weather, '--spec', specFile, '--out', out], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^wrote 1461 rows with 7 new columns \(date_month, date_dayofyear, .*\) to /);
      const rows = readCsv(out);
      const input = readCsv(weather);
      assert.deepEqual(rows.map((row) => row.slice(0, input[0].length)), input);
      const ref = python<Record<string, number[]>>(PANDAS, { file: weather });
      const header = rows[0];
      for (const [col, values] of Object.entries(ref)) {
        const k = header.indexOf(col);
        assert.ok(k >= input[0].length, `no column ${col}`);
        values.forEach((v, i) => assert.ok(Math.abs(Number(rows[i + 1][k]) - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${col} row ${i}: ${rows[i + 1][k]} vs ${v}`));
      }
    });

    it('--json through a pipe carries the whole answer; a bare list of steps is a spec too', async () => {
      const list = path.join(dir, 'steps.json');
      fs.writeFileSync(list, JSON.stringify(steps));
      const child = spawn(process.execPath, [cli, 'features', weather, '--spec', list, '--out', path.join(dir, 'e2.csv'), '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (d: string) => (text += d));
      const code = await new Promise<number>((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      const r = JSON.parse(text);
      assert.equal(r.rows, 1461);
      assert.equal(r.columns.length, 7);
    });

    it('refuses, exit 1, naming the step and the problem: an unknown step, a missing column, an existing output', () => {
      const run = (stepsJson: unknown, out = path.join(dir, `x${Math.random()}.csv`)) => {
        const f = path.join(dir, `s${Math.random()}.json`);
        fs.writeFileSync(f, JSON.stringify(stepsJson));
        return spawnSync(process.execPath, [cli, 'features', weather, '--spec', f, '--out', out], { encoding: 'utf8' });
      };
      let r = run([{ type: 'pca', columns: ['a'] }]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /\/0\/type must be equal to one of the allowed values \(polynomial, bin, targetEncode, aggregate, lag, rolling, formula, timeFeatures\)/);
      r = run([{ type: 'polynomial', columns: ['temp_max', 'humidity'] }]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /features\[0\] \(polynomial\): .*column "humidity" is missing \(the polynomial step reads it\)/);
      fs.writeFileSync(path.join(dir, 'exists.csv'), 'keep me\n');
      r = run(steps, path.join(dir, 'exists.csv'));
      assert.equal(r.status, 1);
      assert.match(r.stderr, /exists\.csv: already exists; choose another file, or replace it with --force/);
      assert.equal(fs.readFileSync(path.join(dir, 'exists.csv'), 'utf8'), 'keep me\n');
    });
  });
});
