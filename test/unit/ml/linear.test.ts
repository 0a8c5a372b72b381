// Linear models converge to scikit-learn's optimum: the same data (our preprocessing, passed to
// /usr/bin/python3) fitted by both, coefficients and probabilities compared.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadCsv } from '../../../src/core/csv/load';
import type { Matrix } from '../../../src/core/ml/matrix';
import { LinearRegression, LogisticRegression, Ridge } from '../../../src/core/ml/models/linear';
import { prepareTarget, Preprocessor } from '../../../src/core/ml/preprocess';
import { dataset } from '../../support/paths';

function python(code: string, input: unknown): any {
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function xy(name: string, target: string, drop: string[] = []) {
  const frame = await loadCsv(dataset(name));
  const t = prepareTarget(frame, target);
  const X = new Preprocessor().fitTransform(frame, t.rows, [target, ...drop]);
  return { X, y: t.y, t };
}

const rowsOf = (X: Matrix) => Array.from({ length: X.rows }, (_, i) => Array.from(X.data.subarray(i * X.cols, (i + 1) * X.cols)));

// scikit-learn's fit, and its penalised objective at its solution and at ours (lbfgs stops on a
// relative decrease of 64 eps, so ours may be closer to the optimum, never farther).
const SKLEARN_LR = `
import json, sys, warnings
import numpy as np
from scipy.special import logsumexp
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight
warnings.filterwarnings('ignore')
a = json.load(sys.stdin); X = np.array(a['X']); y = np.array(a['y'])
m = LogisticRegression(C=a['C'], class_weight=a['cw'], tol=1e-12, max_iter=20000).fit(X, y)
sw = compute_sample_weight(a['cw'], y) if a['cw'] else np.ones(len(y))
def objective(W, b):
    W = np.array(W); b = np.array(b)
    Z = X @ W.T + b
    if W.shape[0] == 1:
        z = Z[:, 0]; loss = np.logaddexp(0, z) - (y == 1) * z
    else:
        loss = logsumexp(Z, axis=1) - Z[np.arange(len(y)), y]
    return float(np.sum(sw * loss) + 0.5 / a['C'] * np.sum(W * W))
print(json.dumps({'proba': m.predict_proba(X).tolist(), 'pred': m.predict(X).tolist(),
                  'theirs': objective(m.coef_, m.intercept_), 'ours': objective(a['coef'], a['intercept'])}))`;

describe('linear models reach scikit-learn\'s optimum', () => {
  for (const [name, target, drop, C, cw] of [
    ['titanic_survival.csv', 'survived', ['name'], 1, null],
    ['sklearn_iris.csv', 'target', [], 1, null],
    ['penguins.csv', 'species', [], 0.1, 'balanced'],
    // One-hot features only (most cells zero): the multinomial loss over each row's non-zeros.
    ['penguins.csv', 'island', ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g', 'year'], 1, null],
  ] as [string, string, string[], number, 'balanced' | null][]) {
    it(`LogisticRegression on ${name} → ${target} (C=${C}${cw ? ', balanced' : ''})`, async () => {
      const { X, y } = await xy(name, target, drop);
      const ours = new LogisticRegression({ C, classWeight: cw, tol: 1e-10 }).fit(X, y as Int32Array);
      const s = ours.toJSON().state;
      assert.ok(s.converged, `not converged after ${s.iterations}`);
      const theirs = python(SKLEARN_LR, { X: rowsOf(X), y: Array.from(y), C, cw, coef: s.coef, intercept: s.intercept });
      assert.ok(theirs.ours <= theirs.theirs * (1 + 1e-9), `objective: ours ${theirs.ours}, scikit-learn ${theirs.theirs}`);
      const p = ours.predictProba(X);
      theirs.proba.forEach((row: number[], i: number) => row.forEach((v, c) => assert.ok(Math.abs(p[i * row.length + c] - v) < 1e-3, `proba[${i}][${c}] ${p[i * row.length + c]} vs ${v}`)));
      const pred = ours.predict(X);
      const same = theirs.pred.filter((v: number, i: number) => v === pred[i]).length;
      assert.ok(same >= X.rows - 1, `${X.rows - same} of ${X.rows} predictions differ`);
    });
  }

  it('LinearRegression and Ridge on diabetes', async () => {
    const { X, y } = await xy('sklearn_diabetes.csv', 'target');
    const theirs = python(`
import json, sys
import numpy as np
from sklearn.linear_model import LinearRegression, Ridge
a = json.load(sys.stdin); X = np.array(a['X']); y = np.array(a['y'])
print(json.dumps({'ols': LinearRegression().fit(X, y).predict(X).tolist(), 'ridge': Ridge(alpha=10).fit(X, y).predict(X).tolist()}))`, { X: rowsOf(X), y: Array.from(y) });
    const ols = new LinearRegression().fit(X, y as Float64Array).predict(X);
    const ridge = new Ridge({ alpha: 10 }).fit(X, y as Float64Array).predict(X);
    theirs.ols.forEach((v: number, i: number) => assert.ok(Math.abs(ols[i] - v) < 1e-8 * Math.max(1, Math.abs(v)), `ols[${i}]`));
    theirs.ridge.forEach((v: number, i: number) => assert.ok(Math.abs(ridge[i] - v) < 1e-8 * Math.max(1, Math.abs(v)), `ridge[${i}]`));
  });

  it('round-trips through JSON with identical predictions; the same data gives the same model', async () => {
    const { X, y } = await xy('sklearn_wine.csv', 'target');
    const m = new LogisticRegression().fit(X, y as Int32Array);
    const again = new LogisticRegression().restore(JSON.parse(JSON.stringify(m.toJSON())).state);
    assert.deepEqual(again.predictProba(X), m.predictProba(X));
    assert.deepEqual(new LogisticRegression().fit(X, y as Int32Array).toJSON(), m.toJSON());
  });

  it('refuses bad input with a clear message', () => {
    const X = { rows: 3, cols: 1, data: Float64Array.from([1, NaN, 3]) };
    assert.throws(() => new LogisticRegression().fit(X, Int32Array.from([0, 1, 0])), /X holds NaN at row 2, feature 1/);
    const ok = { rows: 3, cols: 1, data: Float64Array.from([1, 2, 3]) };
    assert.throws(() => new LogisticRegression().fit(ok, Int32Array.from([0, 0, 0])), /single class/);
    assert.throws(() => new LogisticRegression().setParams({ c: 1 } as never), /unknown parameter "c"/);
    const m = new LogisticRegression().fit(ok, Int32Array.from([0, 1, 1]));
    assert.throws(() => m.predict({ rows: 1, cols: 2, data: new Float64Array(2) }), /fitted on 1 features but X has 2/);
  });
});
