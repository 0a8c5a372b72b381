// A tuning session: grid or random search of one model with k-fold cross-validation on the
// training split. The search is a parent run (the cv_results table, the best parameters, the best
// candidate refitted, scored on the test split and saved as a bundle); each candidate is a child
// run with its parameters and fold scores, as MLflow users know from GridSearchCV autologging.
import * as path from 'node:path';
import { checkCandidates, fitShape, parameterGrid, sampleParams, searchCandidates, SearchResult } from '../ml/modelSelection';
import { checkScoring, Scoring } from '../ml/scoring';
import { MlflowStore } from '../tracking/mlflowStore';
import { evaluateModel } from './evaluation';
import { DEFAULT_GRIDS, estimatorType, modelName, seededParams } from './models';
import type { ModelKey, TuneSpec } from './spec';
import { prepareData, saveModelBundle, sessionContext, SessionHooks, sessionName, sessionReference, tagWarnings } from './session';
import { primaryMetric, Task } from '../ml/task';
import { TAG } from '../tracking/tags';

export interface TuneResult {
  experimentId: string;
  parentRunId: string;
  task: Task;
  target: string;
  model: ModelKey;
  scoring: Scoring;
  bestParams: Record<string, unknown>;
  bestScore: number;
  testMetrics: Record<string, number>;
  cvResults: SearchResult['cvResults'];
  candidateRunIds: string[];
  bundle: string;
  warnings: string[];
}

export async function tune(spec: TuneSpec, store: MlflowStore, hooks: SessionHooks = {}): Promise<TuneResult> {
  const { frame, data, warnings, leakage } = await prepareData(spec, hooks);
  const reference = sessionReference(frame, data);
  const task = data.target.task;
  const seed = spec.seed ?? 42;
  const cv = Math.max(2, spec.cv ?? 5);
  const scoring: Scoring = spec.scoring ?? primaryMetric(task);
  checkScoring(scoring, task);
  const type = estimatorType(spec.model, task, data.Xtrain.rows, spec.svmSolver);
  const base = seededParams(type, seed, spec.params?.[spec.model]);
  if (spec.space && !spec.nIter) throw new Error('a random search (space) needs nIter, the number of candidates');
  // Neither grid nor space: the model's default grid, as the extension offers it.
  const grid = spec.grid ?? (spec.space ? undefined : DEFAULT_GRIDS[spec.model]);
  // Refuse what cannot run before any run is written: a grid past the size a search runs, a range
  // that cannot be sampled, a candidate whose parameters its fit would refuse.
  const candidates = (grid ? parameterGrid(grid, cv) : sampleParams(spec.space!, spec.nIter!, seed, cv)).map((p) => ({ ...base, ...p }));
  checkCandidates(type, candidates, { shape: fitShape(data.Xtrain, data.ytrain, task === 'classification'), cv });
  const context = sessionContext(spec, store, task, hooks);
  const exp = context.exp;
  const common = { ...context.common, [TAG.model]: spec.model, [TAG.estimator]: type };
  const parent = store.createRun(exp.id, { runName: sessionName(store, exp.id, 'tuning', spec.data, [spec.model]), sourceName: spec.data, tags: { ...common, [TAG.kind]: 'tuning' } });
  hooks.onRunChanged?.(parent.runId);
  tagWarnings(store, parent.runId, warnings, leakage());
  store.logParams(parent.runId, {
    data: path.basename(spec.data), target: spec.target, task, model: spec.model, estimator: type, cv, scoring, seed, search: grid ? 'grid' : 'random',
    ...(grid ? { grid } : { space: spec.space, n_iter: spec.nIter }),
  });
  try {
    const options = {
      cv, scoring, signal: hooks.signal, timeOrdered: data.timeColumn !== undefined,
      onProgress: (done: number, total: number) => hooks.onProgress?.({ stage: `Searching: fit ${done} of ${total}`, model: spec.model, fold: done, folds: total, fraction: (0.9 * done) / total }),
    };
    hooks.onProgress?.({ stage: 'Searching', model: spec.model, fraction: 0 });
    const search = await searchCandidates(type, candidates, data.Xtrain, data.ytrain, options);
    const candidateRunIds: string[] = [];
    search.cvResults.forEach((row, i) => {
      const run = store.createRun(exp.id, { runName: `${spec.model} #${i + 1}`, parentRunId: parent.runId, sourceName: spec.data, tags: { ...common, [TAG.kind]: 'candidate' } });
      store.logParams(run.runId, row.params);
      store.logMetrics(run.runId, { [`mean_test_${scoring}`]: row.meanTestScore, [`std_test_${scoring}`]: row.stdTestScore, rank_test_score: row.rankTestScore, mean_fit_seconds: row.meanFitSeconds });
      row.splitScores.forEach((s, fold) => store.logMetrics(run.runId, { [`split_test_${scoring}`]: s }, fold));
      store.endRun(run.runId, 'FINISHED');
      candidateRunIds.push(run.runId);
    });
    hooks.onProgress?.({ stage: 'Scoring the best on the test split', model: spec.model, fraction: 0.95 });
    const best = search.bestEstimator!;
    const evaluation = evaluateModel(task, best, data.Xtest, data.ytest, data.target.labels);
    store.logParams(parent.runId, Object.fromEntries(Object.entries(search.bestParams).map(([k, v]) => [`best_${k}`, v])));
    store.logMetrics(parent.runId, { [`best_cv_${scoring}`]: search.bestScore, ...evaluation.metrics });
    store.writeArtifact(parent.runId, 'cv_results.json', JSON.stringify({ scoring, cv, bestIndex: search.bestIndex, bestParams: search.bestParams, rows: search.cvResults }));
    store.writeArtifact(parent.runId, 'evaluation.json', JSON.stringify(evaluation));
    const bundle = await saveModelBundle(store, parent.runId, spec.model, best, data, spec, exp.id, reference);
    store.setTag(parent.runId, TAG.note, `${modelName(spec.model, task)}: best ${scoring} ${search.bestScore.toFixed(4)} with ${JSON.stringify(search.bestParams)}`);
    store.endRun(parent.runId, 'FINISHED');
    hooks.onRunChanged?.(parent.runId);
    return {
      experimentId: exp.id, parentRunId: parent.runId, task, target: spec.target, model: spec.model, scoring, bestParams: search.bestParams, bestScore: search.bestScore,
      testMetrics: evaluation.metrics, cvResults: search.cvResults, candidateRunIds, bundle, warnings,
    };
  } catch (e) {
    store.setTag(parent.runId, TAG.error, e instanceof Error ? e.message : String(e));
    store.endRun(parent.runId, hooks.signal?.aborted ? 'KILLED' : 'FAILED');
    hooks.onRunChanged?.(parent.runId);
    throw e;
  }
}
