// A drift check recorded as an MLflow run: in the checked model's experiment (or "drift checks ·
// <reference>"), tagged as a drift check and linked to the model's run, with the dataset verdict and
// a metric per column (its p-value, or its distance for the distance tests) and the whole report as
// drift.json. It shows in the Experiments view like any run.
import * as path from 'node:path';
import type { MlflowStore } from '../tracking/mlflowStore';
import { TAG } from '../tracking/tags';
import type { DriftReport } from './drift';

/** MLflow metric keys allow letters, digits and _-./ and spaces. */
const metricKey = (name: string) => `drift.${name.replace(/[^\w\-./ ]/g, '_')}`;

export function recordDrift(store: MlflowStore, report: DriftReport, o: { reference: string; model?: { runId?: string; experimentId?: string } }): { runId: string; experimentId: string } {
  const expId = o.model?.experimentId;
  const exp = expId && store.listExperiments().some((e) => e.id === expId) ? store.getExperiment(expId) : store.getOrCreateExperiment(`drift checks · ${path.basename(o.reference)}`);
  const run = store.createRun(exp.id, {
    runName: `drift: ${path.basename(report.current)} against ${path.basename(o.reference)}`, sourceName: report.current,
    tags: { [TAG.kind]: 'drift', [TAG.data]: report.current, [TAG.driftReference]: o.reference, ...(o.model?.runId ? { [TAG.driftOfRunId]: o.model.runId } : {}) },
  });
  try {
    store.logParams(run.runId, { reference: path.basename(o.reference), current: path.basename(report.current), columns: report.columns.length });
    store.logMetrics(run.runId, {
      dataset_drift: report.datasetDrift ? 1 : 0, drifted_share: report.driftedShare,
      ...Object.fromEntries(report.columns.map((c) => [metricKey(c.name), c.pValue ?? c.distance ?? c.statistic])),
    });
    store.writeArtifact(run.runId, 'drift.json', JSON.stringify(report));
    store.endRun(run.runId, 'FINISHED');
  } catch (e) {
    store.setTag(run.runId, TAG.error, (e as Error).message);
    store.endRun(run.runId, 'FAILED');
    throw e;
  }
  return { runId: run.runId, experimentId: exp.id };
}
