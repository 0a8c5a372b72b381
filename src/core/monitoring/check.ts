// One drift check from files: the reference (a CSV, or a model whose bundle keeps a sample of its
// training rows), the current CSV, the report, and its run in a store. mlw drift and the
// extension's "ML: Check Data Drift…" both call it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../csv/load';
import type { CsvOptions } from '../csv/options';
import { BUNDLE_FILE, loadBundle, MODEL_ARTIFACT_DIR } from '../workflow/bundle';
import { MlflowStore } from '../tracking/mlflowStore';
import { DriftOptions, DriftReference, DriftReport, driftReport } from './drift';
import { recordDrift } from './record';

/** A bundle file from a run's folder, its artifacts/model folder or the file itself; undefined for anything else (a CSV). */
export function bundleAt(where: string): string | undefined {
  for (const candidate of [path.join(where, 'artifacts', MODEL_ARTIFACT_DIR, BUNDLE_FILE), path.join(where, BUNDLE_FILE)]) if (fs.existsSync(candidate)) return candidate;
  return where.endsWith('.json') ? where : undefined;
}

async function referenceOf(where: string, csv: CsvOptions): Promise<{ from: DriftReference; model?: { runId?: string; experimentId?: string } }> {
  const bundle = bundleAt(where);
  if (!bundle) return { from: await loadCsv(where, csv) };
  const b = await loadBundle(bundle);
  if (!b.bundle.reference) throw new Error(`${b.file}: this model keeps no sample of its training data (trained before drift checks); give its training CSV as the reference`);
  return { from: { source: `${b.file} (a sample of ${b.bundle.reference.rows.toLocaleString('en-US')} training rows)`, reference: b.bundle.reference }, model: b.bundle.source ?? {} };
}

export async function checkDrift(reference: string, current: string, o: DriftOptions & { store?: string; csv?: CsvOptions } = {}): Promise<{ report: DriftReport; runId?: string; experimentId?: string }> {
  const [ref, cur] = await Promise.all([referenceOf(reference, o.csv ?? {}), loadCsv(current, o.csv)]);
  const report = driftReport(ref.from, cur, o);
  if (!o.store) return { report };
  return { report, ...recordDrift(new MlflowStore(o.store), report, { reference, model: ref.model }) };
}
