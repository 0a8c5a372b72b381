// A training session: one CSV, one target, several models, tracked in an MLflow file store. The
// session is a parent run; each model is a child run with its parameters, cross-validated scores on
// the training split, test-set metrics, per-epoch curves (MLP), and artifacts: the model bundle,
// evaluation.json (report, confusion matrix, ROC/PR points), feature importances. The CLI, the
// extension's worker thread and the tests all run this same function.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasFeatureImportances, isClassifier, Model, prestartsThreads } from '../ml/estimator';
import { checkSearchMemory, crossValScore, fitShape, meanStd } from '../ml/modelSelection';
import type { EpochLog } from '../ml/models/mlp/mlp';
import type { TrainTestData } from '../ml/dataset';
import type { TrainingReference } from '../monitoring/reference';
import { createEstimator } from '../ml/registry';
import type { Scoring } from '../ml/scoring';
import { MlflowStore, Run } from '../tracking/mlflowStore';
import { evaluateModel } from './evaluation';
import { prepareData, saveModelBundle, sessionContext, SessionHooks, sessionName, sessionReference, tagWarnings } from './session';
import { estimatorType, modelName, seededParams } from './models';
import type { ModelKey, TrainSpec } from './spec';
import { primaryMetric, Task } from '../ml/task';
import { TAG } from '../tracking/tags';

export interface ModelResult {
  model: ModelKey;
  estimator: string;
  runId: string;
  status: 'FINISHED' | 'FAILED';
  error?: string;
  metrics: Record<string, number>;
  fitSeconds: number;
  predictSeconds: number;
  bundle?: string;
}

export interface TrainResult {
  experimentId: string;
  parentRunId: string;
  task: Task;
  target: string;
  primaryMetric: string;
  bestRunId?: string;
  warnings: string[];
  results: ModelResult[];
}

function checkCancel(signal?: AbortSignal): void {
  if (signal?.aborted) throw new Error('cancelled');
}

/** Starts the threads the models' fits will want for `rows` training rows (see PrestartsThreads). */
function prestartModels(spec: TrainSpec, task: Task, rows: number): void {
  for (const key of spec.models) {
    try {
      const type = estimatorType(key, task, rows, spec.svmSolver);
      const m = createEstimator(type, seededParams(type, spec.seed ?? 42, spec.params?.[key]));
      if (prestartsThreads(m)) m.prestartThreads(rows);
    } catch {
      // parameters the fit will refuse, with its message, in the model's run
    }
  }
}

/** A CSV row takes at least this many bytes, as far as guessing the rows from the file's size goes. */
const LEAST_ROW_BYTES = 32;

export async function train(spec: TrainSpec, store: MlflowStore, hooks: SessionHooks = {}): Promise<TrainResult> {
  // A forest's worker threads start, and warm up, while the file is read on this thread: for as
  // many training rows as the file's size suggests at most, the task guessed if not given (both
  // forests grow on the same threads); then again, exactly, once the data is split (a no-op if
  // the threads are already there).
  let bytes = 0;
  try {
    bytes = fs.statSync(spec.data).size;
  } catch {
    // reading the file says what is wrong
  }
  prestartModels(spec, spec.task ?? 'classification', Math.floor((bytes / LEAST_ROW_BYTES) * (1 - (spec.testSize ?? 0.2))));
  const onPrepared = (d: TrainTestData) => prestartModels(spec, d.target.task, d.Xtrain.rows);
  const { frame, data, warnings, leakage } = await prepareData(spec, { ...hooks, onPrepared });
  // The drift reference the bundles carry, made once, beside the first model's threads (whileChecking).
  let sampled: TrainingReference | undefined;
  const reference = () => (sampled ??= sessionReference(frame, data));
  checkCancel(hooks.signal);
  const task = data.target.task;
  const seed = spec.seed ?? 42;
  const cv = spec.cv ?? 5;
  const primary = primaryMetric(task);
  const scoring: Scoring = spec.scoring ?? primary;
  // Refuse what cannot run before any run is written.
  const types = spec.models.map((m) => estimatorType(m, task, data.Xtrain.rows, spec.svmSolver));
  // Each model's fit, and its folds on worker threads, within the memory budget (memory.ts).
  // Parameters its fit would refuse are left to the fit, which records the model's run FAILED.
  const shape = fitShape(data.Xtrain, data.ytrain, task === 'classification');
  spec.models.forEach((key, m) => {
    const params = seededParams(types[m], seed, spec.params?.[key]);
    try {
      createEstimator(types[m], params).checkParams();
    } catch {
      return;
    }
    checkSearchMemory(types[m], [params], { shape, cv });
  });
  const { exp, common } = sessionContext(spec, store, task, hooks);
  const parent = store.createRun(exp.id, { runName: sessionName(store, exp.id, 'train', spec.data, spec.models), sourceName: spec.data, tags: { ...common, [TAG.kind]: 'train' } });
  hooks.onRunChanged?.(parent.runId);
  store.logParams(parent.runId, {
    data: path.basename(spec.data), target: spec.target, task, models: spec.models.join(','), test_size: spec.testSize ?? 0.2, cv, seed,
    ...(spec.drop?.length ? { drop: spec.drop.join(',') } : {}),
    n_train: data.Xtrain.rows, n_test: data.Xtest.rows, n_features: data.Xtrain.cols,
  });
  // The leakage check runs once the first model's work is on its way (see whileChecking), and
  // its alerts and the warnings are then recorded on the parent run.
  let checked = false;
  const checkLeakage = () => {
    if (checked) return;
    checked = true;
    tagWarnings(store, parent.runId, warnings, leakage());
  };
  /** `work`, started: the main thread checks for leakage and samples the drift reference while worker threads (a forest's, the folds') run it. */
  const whileChecking = <T>(work: T | Promise<T>): T | Promise<T> => {
    checkLeakage();
    reference();
    return work;
  };
  const results: ModelResult[] = [];
  let current: Run | undefined;
  try {
    for (let m = 0; m < spec.models.length; m++) {
      const key = spec.models[m];
      const type = types[m];
      const share = (f: number) => (m + f) / spec.models.length;
      const params = seededParams(type, seed, spec.params?.[key]);
      const estimator = createEstimator(type, params);
      current = store.createRun(exp.id, { runName: modelName(key, task), parentRunId: parent.runId, sourceName: spec.data, tags: { ...common, [TAG.kind]: 'model', [TAG.model]: key, [TAG.estimator]: type } });
      hooks.onRunChanged?.(current.runId);
      store.logParams(current.runId, { model: key, estimator: type, ...estimator.getParams() });
      try {
        results.push(await fitOne(key, type, params, estimator, current.runId, share));
      } catch (e) {
        if (hooks.signal?.aborted) throw e;
        const message = e instanceof Error ? e.message : String(e);
        store.setTag(current.runId, TAG.error, message);
        store.endRun(current.runId, 'FAILED');
        results.push({ model: key, estimator: type, runId: current.runId, status: 'FAILED', error: message, metrics: {}, fitSeconds: 0, predictSeconds: 0 });
      }
      hooks.onRunChanged?.(current.runId);
      current = undefined;
      hooks.onProgress?.({ stage: 'Trained', model: key, fraction: share(1) });
    }
    checkLeakage();
  } catch (e) {
    checkLeakage();
    const status = hooks.signal?.aborted ? 'KILLED' : 'FAILED';
    if (current) store.endRun(current.runId, status);
    store.setTag(parent.runId, TAG.error, e instanceof Error ? e.message : String(e));
    store.endRun(parent.runId, status);
    hooks.onRunChanged?.(parent.runId);
    throw e;
  }

  const ok = results.filter((r) => r.status === 'FINISHED');
  const best = ok.slice().sort((a, b) => (b.metrics[primary] ?? -Infinity) - (a.metrics[primary] ?? -Infinity))[0];
  if (best) {
    store.logMetrics(parent.runId, { [`best_${primary}`]: best.metrics[primary] });
    store.setTag(parent.runId, TAG.bestRunId, best.runId);
  }
  const result: TrainResult = { experimentId: exp.id, parentRunId: parent.runId, task, target: spec.target, primaryMetric: primary, bestRunId: best?.runId, warnings, results };
  store.writeArtifact(parent.runId, 'leaderboard.json', JSON.stringify(result, null, 2));
  store.endRun(parent.runId, ok.length ? 'FINISHED' : 'FAILED');
  hooks.onRunChanged?.(parent.runId);
  return result;

  /** Cross-validates (cv ≥ 2), fits, evaluates, logs and saves one model; `share` maps its progress into the session's. */
  async function fitOne(key: ModelKey, type: string, params: Record<string, unknown>, estimator: Model, runId: string, share: (f: number) => number): Promise<ModelResult> {
    if (cv >= 2) {
      hooks.onProgress?.({ stage: `Cross-validating (${cv} folds)`, model: key, fraction: share(0) });
      const scores = await whileChecking(crossValScore(type, params, data.Xtrain, data.ytrain, {
        cv, scoring, signal: hooks.signal, timeOrdered: data.timeColumn !== undefined,
        onProgress: (done, total) => hooks.onProgress?.({ stage: 'Cross-validating', model: key, fold: done, folds: total, fraction: share((0.5 * done) / total) }),
      }));
      const { mean, std } = meanStd(scores);
      store.logMetrics(runId, { [`cv_${scoring}_mean`]: mean, [`cv_${scoring}_std`]: std });
      scores.forEach((s, i) => store.logMetrics(runId, { [`cv_${scoring}`]: s }, i));
    }
    checkCancel(hooks.signal);
    const fitFrom = cv >= 2 ? 0.5 : 0;
    hooks.onProgress?.({ stage: 'Fitting', model: key, fraction: share(fitFrom) });
    const epochs: EpochLog[] = [];
    const t0 = performance.now();
    await whileChecking(estimator.fit(data.Xtrain, data.ytrain, {
      signal: hooks.signal,
      onProgress: (f: number) => hooks.onProgress?.({ stage: 'Fitting', model: key, fraction: share(fitFrom + (0.95 - fitFrom) * f) }),
      onEpoch: (log: EpochLog) => {
        epochs.push(log);
        // Not "accuracy": that key holds the test accuracy, and MLflow reports a metric's last step.
        const point: Record<string, number> = { loss: log.loss };
        if (log.accuracy !== undefined) point.train_accuracy = log.accuracy;
        if (log.valLoss !== undefined) point.val_loss = log.valLoss;
        if (log.valMetric !== undefined) point[task === 'classification' ? 'val_accuracy' : 'val_r2'] = log.valMetric;
        store.logMetrics(runId, point, log.epoch);
        hooks.onEpoch?.(key, runId, log);
        const total = (params.epochs as number | undefined) ?? 50;
        hooks.onProgress?.({ stage: 'Fitting', model: key, epoch: log.epoch, epochs: total, fraction: share(fitFrom + ((0.95 - fitFrom) * log.epoch) / total) });
      },
    }));
    const fitSeconds = (performance.now() - t0) / 1000;
    checkCancel(hooks.signal);
    hooks.onProgress?.({ stage: 'Evaluating', model: key, fraction: share(0.96) });
    // The bundle is written by libuv's threads while this one scores the test rows (a forest's is
    // 20 MB: in a fresh `mlw train --models rf` on mpls_stops the two took 220 + 220 ms one after
    // the other). Awaited below; should scoring throw, the write still finishes (its own failure
    // then unreported: the run fails on the scoring's error).
    const saving = saveModelBundle(store, runId, key, estimator, data, spec, exp.id, reference());
    saving.catch(() => undefined);
    const t1 = performance.now();
    // A classifier's labels and probabilities at once (predict_seconds then covers both).
    const both = isClassifier(estimator) ? estimator.predictWithProba(data.Xtest) : undefined;
    const pred = both?.pred ?? estimator.predict(data.Xtest);
    const predictSeconds = (performance.now() - t1) / 1000;
    const evaluation = evaluateModel(task, estimator, data.Xtest, data.ytest, data.target.labels, pred, both?.proba);
    const metrics = { ...evaluation.metrics, fit_seconds: fitSeconds, predict_seconds: predictSeconds };
    store.logMetrics(runId, metrics);
    store.writeArtifact(runId, 'metrics.json', JSON.stringify(metrics, null, 2));
    store.writeArtifact(runId, 'evaluation.json', JSON.stringify(evaluation));
    if (hasFeatureImportances(estimator)) {
      const importances = estimator.featureImportances;
      const names = data.preprocessor.state!.outputNames;
      store.writeArtifact(runId, 'feature_importances.json', JSON.stringify(names.map((name, i) => ({ feature: name, importance: importances[i] })).sort((a, b) => b.importance - a.importance)));
    }
    if (epochs.length) store.writeArtifact(runId, 'training_curve.json', JSON.stringify(epochs));
    const bundle = await saving;
    store.endRun(runId, 'FINISHED');
    return { model: key, estimator: type, runId, status: 'FINISHED', metrics: evaluation.metrics, fitSeconds, predictSeconds, bundle };
  }
}
