// What a results panel shows for a run, read from the store: a training session (its models as a
// leaderboard, each with its evaluation, importances and curves), one model, a tuning search (its
// cv_results table) or an evaluation. Kept in the core so the CLI and the tests read it the same way.
import * as fs from 'node:fs';
import type { EpochLog } from '../ml/models/mlp/mlp';
import type { CvResultRow } from '../ml/modelSelection';
import { MlflowStore, Run } from '../tracking/mlflowStore';
import { runBundleFile } from './bundlePaths';
import type { Evaluation } from './evaluation';
import { primaryMetric, Task } from '../ml/task';
import { TAG } from '../tracking/tags';

/** What panels need of a run: plain data that crosses to the webview (no paths). */
export interface RunSummary extends Pick<Run, 'runId' | 'experimentId' | 'runName' | 'status' | 'startTime' | 'endTime' | 'params' | 'metrics' | 'parentRunId'> {
  kind?: string;
  model?: string;
  error?: string;
  hasBundle: boolean;
}

export interface ModelDetail {
  run: RunSummary;
  evaluation?: Evaluation;
  importances?: { feature: string; importance: number }[];
  curve?: EpochLog[];
}

export interface TuningTable {
  scoring: string;
  cv: number;
  bestIndex: number;
  bestParams: Record<string, unknown>;
  rows: CvResultRow[];
}

export interface RunView {
  kind: 'session' | 'model' | 'tuning' | 'evaluation' | 'other';
  run: RunSummary;
  task?: Task;
  primaryMetric: string;
  models: ModelDetail[];
  tuning?: TuningTable;
  warnings: string[];
}

export function summarize(run: Run): RunSummary {
  const hasBundle = fs.existsSync(runBundleFile(run.artifactDir));
  return {
    runId: run.runId, experimentId: run.experimentId, runName: run.runName, status: run.status, startTime: run.startTime, endTime: run.endTime,
    params: run.params, metrics: run.metrics, kind: run.tags[TAG.kind], model: run.tags[TAG.model], parentRunId: run.parentRunId,
    error: run.tags[TAG.error], hasBundle,
  };
}

function json<T>(store: MlflowStore, runId: string, rel: string): T | undefined {
  try {
    const text = store.readArtifact(runId, rel);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  } catch {
    return undefined; // a half-written or foreign artifact is left out rather than breaking the panel
  }
}

function detail(store: MlflowStore, run: Run): ModelDetail {
  const curve = json<EpochLog[]>(store, run.runId, 'training_curve.json') ?? liveCurve(store, run);
  return {
    run: summarize(run),
    evaluation: json<Evaluation>(store, run.runId, 'evaluation.json'),
    importances: json(store, run.runId, 'feature_importances.json'),
    curve: curve?.length ? curve : undefined,
  };
}

/** While an MLP trains, its curve is only in the metric files. */
function liveCurve(store: MlflowStore, run: Run): EpochLog[] | undefined {
  if (!('loss' in run.metrics)) return undefined;
  const loss = store.metricHistory(run.runId, 'loss');
  const series = (key: string) => (key in run.metrics ? new Map(store.metricHistory(run.runId, key).map((p) => [p.step, p.value])) : undefined);
  const val = series('val_loss'), acc = series('train_accuracy');
  return loss.map((p) => ({ epoch: p.step, loss: p.value, ...(acc?.has(p.step) ? { accuracy: acc.get(p.step) } : {}), ...(val?.has(p.step) ? { valLoss: val.get(p.step) } : {}) }));
}

export function runView(store: MlflowStore, runId: string): RunView {
  const run = store.getRun(runId);
  const kindTag = run.tags[TAG.kind];
  const task = run.tags[TAG.task] as RunView['task'];
  const primary = primaryMetric(task ?? 'classification');
  const warnings = run.tags[TAG.warnings]?.split('\n') ?? [];
  if (kindTag === 'train') {
    const children = store.listRuns(run.experimentId).filter((r) => r.parentRunId === run.runId).sort((a, b) => a.startTime - b.startTime);
    return { kind: 'session', run: summarize(run), task, primaryMetric: primary, models: children.map((c) => detail(store, c)), warnings };
  }
  if (kindTag === 'tuning') {
    const tuning = json<TuningTable>(store, run.runId, 'cv_results.json');
    return { kind: 'tuning', run: summarize(run), task, primaryMetric: primary, models: [detail(store, run)], tuning, warnings };
  }
  const kind = kindTag === 'model' ? 'model' : kindTag === 'evaluation' ? 'evaluation' : 'other';
  return { kind, run: summarize(run), task, primaryMetric: primary, models: [detail(store, run)], warnings };
}
