// Target encoding equals an independent NumPy reference of scikit-learn's TargetEncoder written
// from its documentation (test/scripts/target_encoder_reference.py; Debian's scikit-learn 1.2
// lacks the class), to 1e-12: binary, multiclass and regression targets, smooth "auto" and a
// number, out-of-fold training rows and fully encoded others. And why out of fold: a random
// ID-like column looks predictive on the training rows without it, and does not with it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../../../../src/core/csv/load';
import type { Frame, NumericColumn } from '../../../../src/core/frame';
import { LogisticRegression } from '../../../../src/core/ml/models/linear';
import { prepareTarget } from '../../../../src/core/ml/preprocess';
import { trainTestSplit } from '../../../../src/core/ml/split';
import { TargetEncoder } from '../../../../src/core/ml/transformers/targetEncoder';
import { dataset, ROOT } from '../../../support/paths';
import { python } from '../../../support/python';

const REFERENCE = path.join(ROOT, 'test', 'scripts', 'target_encoder_reference.py');

/** The training split's frame rows, as trainTestData takes them. */
function trainRowsOf(frame: Frame, targetName: string) {
  const target = prepareTarget(frame, targetName);
  const split = trainTestSplit(target.rows.length, { testSize: 0.25, seed: 7, stratify: target.task === 'classification' ? (target.y as Int32Array) : undefined });
  return { target, train: Int32Array.from(split.train, (i) => target.rows[i]) };
}

describe('target encoding', () => {
  const cases: [string, string, string[], 'auto' | number, number][] = [
    ['titanic_survival.csv', 'survived', ['sex', 'passengerClass'], 'auto', 5],
    ['penguins.csv', 'species', ['island', 'sex'], 'auto', 5],
    ['diamonds.csv', 'price', ['cut', 'color', 'clarity'], 'auto', 3],
    ['diamonds.csv', 'price', ['cut', 'clarity'], 10, 4],
  ];
  for (const [file, targetName, columns, smooth, cv] of cases) {
    it(`${file} → ${targetName}, smooth ${smooth}, ${cv} folds: equal to the NumPy reference to 1e-12`, async () => {
      const frame = await loadCsv(dataset(file));
      const { target, train } = trainRowsOf(frame, targetName);
      const step = new TargetEncoder({ columns, smooth, cv, randomState: 3 });
      const out = step.fitTransform(frame, train, target);
      const ref = python<Record<string, number[]>>(fs.readFileSync(REFERENCE, 'utf8'), {
        file: dataset(file), target: targetName, task: target.task, columns, smooth, cv, seed: 3, train: Array.from(train),
      });
      assert.deepEqual(step.outputNames(), Object.keys(ref));
      for (const [name, values] of Object.entries(ref)) {
        const ours = (out.columns.find((c) => c.name === name) as NumericColumn).values;
        values.forEach((v, i) => assert.ok(Math.abs(ours[i] - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${name} row ${i}: ours ${ours[i]}, reference ${v}`));
      }
      // Later frames (prediction) get the full encoding on every row, training rows included.
      const again = step.transform(frame);
      const notTrain = new Set(Array.from({ length: frame.rows }, (_, i) => i));
      for (const r of train) notTrain.delete(r);
      for (const name of step.outputNames()) {
        const a = (again.columns.find((c) => c.name === name) as NumericColumn).values, b = (out.columns.find((c) => c.name === name) as NumericColumn).values;
        for (const r of notTrain) assert.equal(a[r], b[r]);
      }
    });
  }

  it('why out of fold: a random ID-like column encoded without it looks predictive on the training rows; with it, it does not', async () => {
    const frame = await loadCsv(dataset('titanic_survival.csv'));
    // A column of 600 random "IDs", about two rows each: nothing to learn from.
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const ids = Array.from({ length: frame.rows }, () => `id${Math.floor(rand() * 600)}`);
    const dictionary = [...new Set(ids)];
    const index = new Map(dictionary.map((d, i) => [d, i]));
    const withId: Frame = { ...frame, columns: [...frame.columns, { kind: 'categorical', name: 'ticket', length: frame.rows, codes: Int32Array.from(ids, (v) => index.get(v)!), dictionary }] };
    const { target, train } = trainRowsOf(withId, 'survived');
    const trainSet = new Set(train);
    const test = Int32Array.from(target.rows.filter((r) => !trainSet.has(r)));
    const yAt = new Map(Array.from(target.rows, (r, i) => [r, target.y[i]]));
    const accuracyOf = (encoded: Float64Array) => {
      const X = (rows: Int32Array) => ({ rows: rows.length, cols: 1, data: Float64Array.from(rows, (r) => encoded[r]) });
      const y = (rows: Int32Array) => Int32Array.from(rows, (r) => yAt.get(r)!);
      const model = new LogisticRegression().fit(X(train), y(train));
      const acc = (rows: Int32Array) => model.predict(X(rows)).reduce((n, p, i) => n + (p === y(rows)[i] ? 1 : 0), 0) / rows.length;
      return { train: acc(train), test: acc(test) };
    };
    const step = new TargetEncoder({ columns: ['ticket'] });
    const outOfFold = (step.fitTransform(withId, train, target).columns.at(-1) as NumericColumn).values;
    const leaky = (step.transform(withId).columns.at(-1) as NumericColumn).values; // the training rows' own targets inside
    const majority = Math.max(...[0, 1].map((c) => Array.from(train).filter((r) => yAt.get(r) === c).length)) / train.length;
    const a = accuracyOf(leaky), b = accuracyOf(outOfFold);
    assert.ok(a.train > majority + 0.1, `without out of fold the training rows look predictive: ${a.train.toFixed(3)} against ${majority.toFixed(3)} for the majority class`);
    assert.ok(b.train < majority + 0.03, `out of fold they do not: ${b.train.toFixed(3)} against ${majority.toFixed(3)}`);
    assert.ok(a.train - a.test > 0.1, `and the leak does not carry to unseen rows: train ${a.train.toFixed(3)}, test ${a.test.toFixed(3)}`);
  });

  it('needs the target, and names a column that is not there', async () => {
    const frame = await loadCsv(dataset('titanic_survival.csv'));
    const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
    assert.throws(() => new TargetEncoder({ columns: ['sex'] }).fit(frame, all), /target encoding needs the target \(give --target\)/);
    assert.throws(() => new TargetEncoder({ columns: ['cabin'] }).fit(frame, all, prepareTarget(frame, 'survived')), /column "cabin" is missing \(the targetEncode step reads it\)/);
    assert.throws(() => new TargetEncoder({ columns: ['sex'], smooth: -1 }).checkParams(), /smooth must be "auto" or a number ≥ 0/);
  });
});
