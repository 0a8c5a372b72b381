// Accuracy parity with scikit-learn on the reference pipeline of ../shared/reference/bench_sklearn.py
// (median impute + scale numerics, one-hot categoricals, stratified 80/20 split, seed 42; its own
// date parts and precinct categories on mpls_stops, see referencePipeline.ts): on the
// same split, test accuracy within one point for each model, R² within 0.01 for the forest
// regressor on diamonds. scikit-learn runs live on our matrices (sklearnLive.ts).
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import { accuracy, r2 } from '../../../src/core/ml/metrics';
import { LogisticRegression } from '../../../src/core/ml/models/linear';
import { RandomForestClassifier, RandomForestRegressor } from '../../../src/core/ml/models/forest/forest';
import { loadEstimator } from '../../../src/core/ml/registry';
import { referenceData, ReferenceDataset, REFERENCE_SETUPS } from '../../referencePipeline';
import { dataset } from '../../support/paths';
import { sklearnScores } from '../../support/sklearnLive';

const within = (ours: number, theirs: number, tol: number, what: string) =>
  assert.ok(Math.abs(ours - theirs) <= tol, `${what}: ours ${ours.toFixed(4)}, scikit-learn ${theirs.toFixed(4)}`);

describe('accuracy parity with scikit-learn', () => {
  for (const name of Object.keys(REFERENCE_SETUPS) as ReferenceDataset[]) {
    describe(name, () => {
      let data: ReturnType<typeof trainTestData>;
      let theirs: Record<string, number>;
      before(async () => {
        data = await referenceData(name, dataset(`${name}.csv`));
        theirs = sklearnScores(data, { lr: 'LogisticRegression(max_iter=1000)', rf: 'RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=-1)' });
      });
      it('logistic regression within one point', () => {
        const m = new LogisticRegression().fit(data.Xtrain, data.ytrain as Int32Array);
        within(accuracy(data.ytest, m.predict(data.Xtest)), theirs.lr, 0.01, `${name} LR`);
      });
      it('random forest (100 trees) within one point, and round-trips through JSON', async () => {
        const m = await new RandomForestClassifier({ nEstimators: 100 }).fit(data.Xtrain, data.ytrain as Int32Array);
        within(accuracy(data.ytest, m.predict(data.Xtest)), theirs.rf, 0.01, `${name} RF`);
        const again = loadEstimator(JSON.parse(JSON.stringify(m.toJSON()))) as unknown as RandomForestClassifier;
        assert.deepEqual(again.predictProba(data.Xtest), m.predictProba(data.Xtest));
      });
    });
  }

  it('random forest regressor on diamonds: R² within 0.01', async () => {
    const data = trainTestData(await loadCsv(dataset('diamonds.csv')), 'price');
    assert.equal(data.target.task, 'regression');
    const theirs = sklearnScores(data, { rf: 'RandomForestRegressor(n_estimators=100, random_state=42, n_jobs=-1)' });
    const m = await new RandomForestRegressor({ nEstimators: 100 }).fit(data.Xtrain, data.ytrain as Float64Array);
    within(r2(data.ytest, m.predict(data.Xtest)), theirs.rf, 0.01, 'diamonds RF R²');
  });
});
