// The kit every tracked session shares (training, tuning): the hooks a caller passes, progress,
// the session's experiment and common tags, loading and splitting the data as a spec says, and
// saving a fitted model with its preprocessing as a bundle. train.ts and tune.ts are the sessions.
import * as path from 'node:path';
import { loadCsv } from '../csv/load';
import type { CsvOptions } from '../csv/options';
import { columnList, Frame } from '../frame';
import { trainTestData, TrainTestData } from '../ml/dataset';
import type { Model } from '../ml/estimator';
import { LeakageAlert, leakageAlerts } from '../ml/leakage';
import { TrainingReference, trainingReference } from '../monitoring/reference';
import type { EpochLog } from '../ml/models/mlp/mlp';
import type { Task } from '../ml/task';
import type { MlflowStore } from '../tracking/mlflowStore';
import { TAG } from '../tracking/tags';
import { inputSchema, MODEL_ARTIFACT_DIR, saveBundle } from './bundle';
import type { ModelKey, TrainSpec } from './spec';

export interface Progress {
  stage: string;
  model?: ModelKey;
  fold?: number;
  folds?: number;
  epoch?: number;
  epochs?: number;
  /** 0..1 of the whole session, when known. */
  fraction?: number;
}

export interface SessionHooks {
  onProgress?: (p: Progress) => void;
  /** Each MLP epoch as it ends, for live curves. */
  onEpoch?: (model: ModelKey, runId: string, log: EpochLog) => void;
  /** A run was created or ended: the sidebar refreshes. */
  onRunChanged?: (runId: string) => void;
  signal?: AbortSignal;
  /** Tagged on every run, so that the caller can mark them KILLED if the work is stopped hard. */
  sessionId?: string;
  csv?: CsvOptions;
  /** The data is split and prepared (before the leakage check): a session starts its models' threads here. */
  onPrepared?: (data: TrainTestData) => void;
}

/** A session's experiment (one per file and target unless the spec names one) and the tags all its runs carry. */
export function sessionContext(spec: Pick<TrainSpec, 'data' | 'target' | 'experiment'>, store: MlflowStore, task: Task, hooks: SessionHooks) {
  const exp = store.getOrCreateExperiment(spec.experiment ?? defaultExperimentName(spec.data, spec.target), { [TAG.data]: spec.data, [TAG.target]: spec.target });
  const common: Record<string, string> = { ...(hooks.sessionId ? { [TAG.session]: hooks.sessionId } : {}), [TAG.data]: spec.data, [TAG.target]: spec.target, [TAG.task]: task };
  return { exp, common };
}

/** Saves a fitted model with the session's preprocessing as a bundle in the run's artifacts/model. */
export function saveModelBundle(store: MlflowStore, runId: string, model: ModelKey, estimator: Model, data: TrainTestData, spec: Pick<TrainSpec, 'data' | 'target'>, experimentId: string, reference?: TrainingReference): Promise<string> {
  const pre = data.preprocessor.toJSON();
  const features = data.features.steps.length ? data.features.toJSON() : undefined;
  return saveBundle(path.join(store.artifactDir(runId), MODEL_ARTIFACT_DIR), {
    model, task: data.target.task, target: spec.target, labels: data.target.labels, input: inputSchema(data.preprocessor, data.features), preprocessor: pre, ...(features ? { features } : {}),
    estimator: estimator.toJSON(), source: { file: spec.data, runId, experimentId }, ...(reference ? { reference } : {}),
  }, estimator);
}

/** A session's training reference for drift checks: a sample of its training rows' inputs (src/core/monitoring/reference.ts). */
export function sessionReference(frame: Frame, data: TrainTestData): TrainingReference {
  return trainingReference(frame, data.trainRows, inputSchema(data.preprocessor, data.features).map((c) => c.name));
}

/**
 * A session's run name, by what tells it apart in tabs, the tree and the run pickers: the data
 * file, what kind of session and which one (a counter per experiment), and the models. Every
 * session was "train lr+rf+svm+mlp", and told apart only by a truncated time.
 */
export function sessionName(store: MlflowStore, experimentId: string, kind: 'train' | 'tuning', data: string, models: string[]): string {
  const n = store.listRuns(experimentId, { includeDeleted: true }).filter((r) => r.tags[TAG.kind] === kind).length + 1;
  return `${path.basename(data).replace(/\.csv$/i, '')} · ${kind === 'train' ? 'train' : 'tune'} #${n} · ${models.join('+')}`;
}

export function defaultExperimentName(file: string, target: string): string {
  return `${path.basename(file)} · ${target}`;
}

/**
 * Loads the data and splits it as the spec says; shared by train and tune. `leakage` checks the
 * split for leaks once, on its first call, adding a warning per alert: train calls it while its
 * first model's threads work (a third of a second on mpls_stops that the main thread would
 * otherwise spend before the fit).
 */
export async function prepareData(spec: Omit<TrainSpec, 'kind' | 'models'>, hooks: SessionHooks): Promise<{ frame: Frame; data: TrainTestData; warnings: string[]; leakage: () => LeakageAlert[] }> {
  hooks.onProgress?.({ stage: `Reading ${path.basename(spec.data)}`, fraction: 0 });
  const frame = await loadCsv(spec.data, { ...hooks.csv, signal: hooks.signal });
  for (const d of spec.drop ?? []) if (!frame.columns.some((c) => c.name === d)) throw new Error(`${spec.data}: cannot drop column "${d}": no such column`);
  if (!frame.columns.some((c) => c.name === spec.target)) {
    throw new Error(`${spec.data}: no column "${spec.target}" to predict (columns: ${columnList(frame)})`);
  }
  const data = trainTestData(frame, spec.target, {
    drop: spec.drop, testSize: spec.testSize ?? 0.2, seed: spec.seed ?? 42, task: spec.task,
    preprocess: { categoricalColumns: spec.categorical, datetimeParts: spec.dateParts }, features: spec.features,
  });
  const warnings = [...frame.warnings, ...(data.target.warning ? [data.target.warning] : [])];
  if (data.timeColumn) warnings.push(`split by time: lag or rolling features read earlier rows, so the test rows are the last ${Math.round(100 * (spec.testSize ?? 0.2))}% by "${data.timeColumn}" and cross-validation folds follow TimeSeriesSplit`);
  const ignored = data.preprocessor.state!.ignored.filter((i) => i.reason !== 'excluded');
  if (data.Xtrain.cols === 0) {
    const unused = ignored.filter((i) => i.column !== spec.target).map((i) => `${i.column} (${i.reason})`);
    throw new Error(`${spec.data}: nothing to learn from: a model needs at least one feature column besides the target "${spec.target}"${unused.length ? `; not usable: ${unused.join(', ')}` : ''}${spec.drop?.length ? `; dropped: ${spec.drop.join(', ')}` : ''}`);
  }
  if (ignored.length) warnings.push(`not used as features: ${ignored.map((i) => `${i.column} (${i.reason})`).join(', ')}`);
  hooks.onPrepared?.(data);
  let alerts: LeakageAlert[] | undefined;
  const leakage = () => {
    if (alerts) return alerts;
    hooks.onProgress?.({ stage: 'Checking for leakage', fraction: 0 });
    alerts = leakageAlerts(frame, data);
    for (const a of alerts) warnings.push(`possible leak: ${a.message}`);
    return alerts;
  };
  return { frame, data, warnings, leakage };
}

/** Records a session's warnings and leakage alerts on its parent run (the results panel and mlw runs read them). */
export function tagWarnings(store: MlflowStore, runId: string, warnings: string[], leakage: LeakageAlert[]): void {
  if (warnings.length) store.setTag(runId, TAG.warnings, warnings.join('\n'));
  if (leakage.length) store.setTag(runId, TAG.leakage, JSON.stringify(leakage));
}
