// SVC against scikit-learn's (libsvm) on the same split of the reference pipeline, run live.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../src/core/csv/load';
import { trainTestData } from '../../src/core/ml/dataset';
import { accuracy } from '../../src/core/ml/metrics';
import { SVC } from '../../src/core/ml/models/svm';
import { loadEstimator } from '../../src/core/ml/registry';
import { dataset } from './paths';
import { sklearnScores } from './sklearnLive';

describe('SVC (RBF, gamma=scale) equals scikit-learn on the same split', () => {
  for (const [name, target, drop] of [['titanic_survival', 'survived', ['name']], ['letter_recognition', 'lettr', []]] as [string, string, string[]][]) {
    it(`${name}: test accuracy within one point; probabilities sum to one; JSON round trip`, async () => {
      const d = trainTestData(await loadCsv(dataset(`${name}.csv`)), target, { drop });
      const theirs = sklearnScores(d, { svc: 'SVC()' });
      const m = new SVC().fit(d.Xtrain, d.ytrain as Int32Array);
      const acc = accuracy(d.ytest, m.predict(d.Xtest));
      assert.ok(Math.abs(acc - theirs.svc) <= 0.01, `ours ${acc}, scikit-learn ${theirs.svc}`);
      const p = m.predictProba(d.Xtest.rows > 300 ? { ...d.Xtest, rows: 300, data: d.Xtest.data.subarray(0, 300 * d.Xtest.cols) } : d.Xtest);
      const k = m.nClasses;
      for (let i = 0; i < p.length / k; i++) {
        const s = p.subarray(i * k, (i + 1) * k).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(s - 1) < 1e-6, `row ${i} sums to ${s}`);
      }
      const again = loadEstimator(JSON.parse(JSON.stringify(m.toJSON()))) as unknown as SVC;
      const some = { ...d.Xtest, rows: 50, data: d.Xtest.data.subarray(0, 50 * d.Xtest.cols) };
      assert.deepEqual(again.predict(some), m.predict(some));
    });
  }

  it('linear kernel and a fixed gamma are accepted; bad C is refused', async () => {
    const d = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    const theirs = sklearnScores(d, { lin: "SVC(kernel='linear')", g: 'SVC(gamma=0.5)' });
    within(accuracy(d.ytest, new SVC({ kernel: 'linear' }).fit(d.Xtrain, d.ytrain as Int32Array).predict(d.Xtest)), theirs.lin);
    within(accuracy(d.ytest, new SVC({ gamma: 0.5 }).fit(d.Xtrain, d.ytrain as Int32Array).predict(d.Xtest)), theirs.g);
    assert.throws(() => new SVC({ C: 0 }).fit(d.Xtrain, d.ytrain as Int32Array), /C must be positive/);
  });
});

function within(ours: number, theirs: number): void {
  assert.ok(Math.abs(ours - theirs) <= 0.01, `ours ${ours}, scikit-learn ${theirs}`);
}
