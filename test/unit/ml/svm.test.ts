// SVC against scikit-learn's (libsvm) on the same split of the reference pipeline, run live.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import { accuracy } from '../../../src/core/ml/metrics';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SVC } from '../../../src/core/ml/models/svm';
import { ApproxSVC } from '../../../src/core/ml/models/svmApprox';
import { matrixChecksum } from '../../support/checksum';
import { loadEstimator } from '../../../src/core/ml/registry';
import { referenceData } from '../../referencePipeline';
import { dataset, FIXTURES } from '../../support/paths';
import { sklearnScores } from '../../support/sklearnLive';

describe('SVC (RBF, gamma=scale) equals scikit-learn on the same split', () => {
  for (const [name, target, drop] of [['titanic_survival', 'survived', ['name']], ['letter_recognition', 'lettr', []]] as [string, string, string[]][]) {
    it(`${name}: test accuracy within one point; probabilities sum to one; JSON round trip`, async () => {
      const d = trainTestData(await loadCsv(dataset(`${name}.csv`)), target, { drop });
      const theirs = sklearnScores(d, { svc: 'SVC()' });
      const m = await new SVC().fit(d.Xtrain, d.ytrain as Int32Array);
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
    within(accuracy(d.ytest, (await new SVC({ kernel: 'linear' }).fit(d.Xtrain, d.ytrain as Int32Array)).predict(d.Xtest)), theirs.lin);
    within(accuracy(d.ytest, (await new SVC({ gamma: 0.5 }).fit(d.Xtrain, d.ytrain as Int32Array)).predict(d.Xtest)), theirs.g);
    await assert.rejects(new SVC({ C: 0 }).fit(d.Xtrain, d.ytrain as Int32Array), /C must be positive/);
  });

  it('the one-vs-one pairs fitted on two threads give the model of one thread', async () => {
    const d = trainTestData(await loadCsv(dataset('letter_recognition.csv')), 'lettr');
    const n = 3000;
    const X = { ...d.Xtrain, rows: n, data: d.Xtrain.data.subarray(0, n * d.Xtrain.cols) }, y = (d.ytrain as Int32Array).subarray(0, n);
    const progress: number[] = [];
    const two = await new SVC({ nJobs: 2 }).fit(X, y, { onProgress: (f) => progress.push(f) });
    const one = await new SVC({ nJobs: 1 }).fit(X, y);
    assert.deepEqual(two.toJSON().state, one.toJSON().state);
    assert.equal(progress.length, 325);
    assert.equal(progress[progress.length - 1], 1);
  });

  it('cancel stops a multiclass fit on worker threads', async () => {
    const d = trainTestData(await loadCsv(dataset('letter_recognition.csv')), 'lettr');
    const ac = new AbortController();
    const fit = new SVC({ nJobs: 2 }).fit(d.Xtrain, d.ytrain as Int32Array, { signal: ac.signal, onProgress: () => ac.abort() });
    await assert.rejects(fit, /cancelled/);
  });
});

function within(ours: number, theirs: number): void {
  assert.ok(Math.abs(ours - theirs) <= 0.01, `ours ${ours}, scikit-learn ${theirs}`);
}

describe('ApproxSVC, the fast path for large data (random Fourier features + linear SVM)', () => {
  it('mpls_stops (35k rows): test accuracy within one point of scikit-learn\'s exact SVC (stored: libsvm needs minutes)', async () => {
    const fixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sklearn_slow_parity.json'), 'utf8'));
    const d = await referenceData('mpls_stops', dataset('mpls_stops.csv'));
    assert.equal(matrixChecksum(d), fixture.checksum, 'our split changed: run npm run fixtures:sklearn-slow');
    const m = new ApproxSVC().fit(d.Xtrain, d.ytrain as Int32Array);
    const acc = accuracy(d.ytest, m.predict(d.Xtest));
    assert.ok(Math.abs(acc - fixture.accuracy.svc) <= 0.01, `ours ${acc}, scikit-learn SVC ${fixture.accuracy.svc}`);
    const again = loadEstimator(JSON.parse(JSON.stringify(m.toJSON()))) as unknown as ApproxSVC;
    assert.deepEqual(again.predictProba(d.Xtest), m.predictProba(d.Xtest));
  });

  it('titanic and iris: close to the exact SVC; probabilities sum to one; bad shapes refused on load', async () => {
    for (const [name, target, drop, tol] of [['titanic_survival', 'survived', ['name'], 0.02], ['sklearn_iris', 'target', [], 0.05]] as [string, string, string[], number][]) {
      const d = trainTestData(await loadCsv(dataset(`${name}.csv`)), target, { drop });
      const exact = accuracy(d.ytest, (await new SVC().fit(d.Xtrain, d.ytrain as Int32Array)).predict(d.Xtest));
      const m = new ApproxSVC().fit(d.Xtrain, d.ytrain as Int32Array);
      const acc = accuracy(d.ytest, m.predict(d.Xtest));
      assert.ok(Math.abs(acc - exact) <= tol, `${name}: approximate ${acc}, exact ${exact}`);
      const p = m.predictProba(d.Xtest);
      for (let i = 0; i < d.Xtest.rows; i++) {
        const s = p.subarray(i * m.nClasses, (i + 1) * m.nClasses).reduce((a, b) => a + b, 0);
        assert.ok(Math.abs(s - 1) < 1e-9);
      }
      const saved = JSON.parse(JSON.stringify(m.toJSON()));
      saved.state.offsets.pop();
      assert.throws(() => loadEstimator(saved), /ApproxSVC: saved state does not fit together: projection has \d+ values where \d+ are needed/);
    }
  });
});
