// One drift check from files: the reference (a CSV, or a model whose bundle keeps a sample of its
// training rows), the current CSV, the report, and its run in a store. mlw drift and the
// extension's "ML: Check Data Drift…" both call it.
import { loadCsv } from '../csv/load';
import type { CsvOptions } from '../csv/options';
import { bundleFileAt, loadBundle } from '../workflow/bundle';
import { MlflowStore } from '../tracking/mlflowStore';
import { DriftOptions, DriftReference, DriftReport, driftReport } from './drift';
import { recordDrift } from './record';

async function referenceOf(where: string, csv: CsvOptions): Promise<{ from: DriftReference; model?: { runId?: string; experimentId?: string } }> {
  const bundle = bundleFileAt(where);
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
