// Grid and random search: the same folds and scores as scikit-learn's GridSearchCV for a
// deterministic model, the cv_results table, refit, and a prompt stop on cancel.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import { crossValScore, gridSearch, parameterGrid, randomSearch } from '../../../src/core/ml/modelSelection';
import { dataset } from '../../support/paths';

describe('model selection', () => {
  let data: ReturnType<typeof trainTestData>;
  before(async () => {
    data = trainTestData(await loadCsv(dataset('titanic_survival.csv')), 'survived', { drop: ['name'] });
  });

  it('ParameterGrid order', () => {
    assert.deepEqual(parameterGrid({ b: [1, 2], a: ['x'] }), [{ a: 'x', b: 1 }, { a: 'x', b: 2 }]);
    assert.throws(() => parameterGrid({ a: [] }), /non-empty/);
  });

  it('grid search of logistic regression equals scikit-learn\'s GridSearchCV on the same data', async () => {
    const res = await gridSearch('LogisticRegression', {}, { C: [0.01, 1, 100] }, data.Xtrain, data.ytrain, { cv: 5 });
    const X = Array.from({ length: data.Xtrain.rows }, (_, i) => Array.from(data.Xtrain.data.subarray(i * data.Xtrain.cols, (i + 1) * data.Xtrain.cols)));
    const r = spawnSync('/usr/bin/python3', ['-c', `
import json, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
a = json.load(sys.stdin)
gs = GridSearchCV(LogisticRegression(tol=1e-10, max_iter=10000), {'C': [0.01, 1, 100]}, cv=5).fit(np.array(a['X']), np.array(a['y']))
print(json.dumps({'mean': gs.cv_results_['mean_test_score'].tolist(), 'rank': gs.cv_results_['rank_test_score'].tolist(), 'best': gs.best_params_}))`],
    { input: JSON.stringify({ X, y: Array.from(data.ytrain) }), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const theirs = JSON.parse(r.stdout);
    res.cvResults.forEach((row, i) => assert.ok(Math.abs(row.meanTestScore - theirs.mean[i]) < 1e-9, `C=${row.params.C}: ${row.meanTestScore} vs ${theirs.mean[i]}`));
    assert.deepEqual(res.cvResults.map((r) => r.rankTestScore), theirs.rank);
    assert.deepEqual(res.bestParams, theirs.best);
    assert.ok(res.bestEstimator?.fitted);
    assert.equal(res.cvResults[0].splitScores.length, 5);
  });

  it('random search samples within its ranges, repeatably; cross_val_score gives one score per fold', async () => {
    const res = await randomSearch('RandomForestClassifier', { nEstimators: 10 }, { maxDepth: { low: 2, high: 8, integer: true }, minSamplesLeaf: [1, 5] }, 4, data.Xtrain, data.ytrain, { cv: 3, scoring: 'roc_auc', refit: false, seed: 1 });
    assert.equal(res.cvResults.length, 4);
    for (const r of res.cvResults) {
      assert.ok(Number.isInteger(r.params.maxDepth) && (r.params.maxDepth as number) >= 2 && (r.params.maxDepth as number) <= 8);
      assert.ok(r.meanTestScore > 0.7 && r.meanTestScore <= 1);
    }
    const again = await randomSearch('RandomForestClassifier', { nEstimators: 10 }, { maxDepth: { low: 2, high: 8, integer: true }, minSamplesLeaf: [1, 5] }, 4, data.Xtrain, data.ytrain, { cv: 3, scoring: 'roc_auc', refit: false, seed: 1 });
    assert.deepEqual(again.cvResults.map((r) => r.params), res.cvResults.map((r) => r.params));
    assert.equal((await crossValScore('LogisticRegression', {}, data.Xtrain, data.ytrain, { cv: 4, scoring: 'f1_macro' })).length, 4);
  });

  it('stops promptly when cancelled', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const run = gridSearch('RandomForestClassifier', {}, { nEstimators: [300, 400], maxDepth: [null, 20] }, data.Xtrain, data.ytrain, { cv: 5, signal: ac.signal });
    setTimeout(() => ac.abort(), 300);
    await assert.rejects(run, /cancelled/);
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
  });
});
