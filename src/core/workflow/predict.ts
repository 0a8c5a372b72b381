// Batch prediction and evaluation with a saved bundle on another CSV. Prediction writes the input's
// rows in order, every input field as it was, then `prediction` and one `proba_<class>` per class.
// Columns the bundle needs and the file lacks stop it with their names; extra columns are named
// in a warning and ignored.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Papa from 'papaparse';
import { loadCsv } from '../csv/load';
import type { CsvOptions } from '../csv/options';
import type { Frame } from '../frame';
import { prepareTarget } from '../ml/preprocess';
import { FileError } from '../io/fileErrors';
import { writeAtomic } from '../io/writeAtomic';
import { MlflowStore } from '../tracking/mlflowStore';
import { checkColumns, LoadedBundle, loadBundle } from './bundle';
import { Evaluation, evaluateModel } from './evaluation';
import { TAG } from '../tracking/tags';
import { isClassifier } from '../ml/estimator';

function checkedFrame(b: LoadedBundle, frame: Frame, warnings: string[]): void {
  const { missing, extra } = checkColumns(b.bundle, frame);
  if (missing.length) throw new Error(`${frame.source}: missing column${missing.length > 1 ? 's' : ''} the model needs: ${missing.join(', ')}`);
  if (extra.length) warnings.push(`${frame.source}: column${extra.length > 1 ? 's' : ''} not used by the model: ${extra.join(', ')}`);
}

/**
 * A probability as the file shows it: six significant digits (0.823412, 1.5e-7), not the 17 of a
 * double's repr, which no one reads and which suggest a precision the model does not have.
 */
export const formatProbability = (p: number): string => String(Number(p.toPrecision(6)));

/**
 * A bundle's predictions on a frame: its feature steps first, then its preprocessing, as in
 * training, then the model (class indexes or values, and class probabilities row by row). One
 * owner: mlw predict and mlw serve both call it, so a server answers exactly as the CLI writes.
 */
export function predictFrame(b: LoadedBundle, frame: Frame, o: { historyGiven?: boolean } = {}): { pred: Float64Array | Int32Array; proba?: Float64Array } {
  const X = b.preprocessor.transform(b.features.transform(frame, o));
  const pred = b.estimator.predict(X);
  const proba = isClassifier(b.estimator) ? b.estimator.predictProba(X) : undefined;
  return { pred, proba };
}

export interface PredictResult {
  out: string;
  rows: number;
  columns: string[];
  warnings: string[];
}

/**
 * Refuses an output that would destroy something: the input itself (under any name: a link, a
 * relative path) always, another existing file unless `replace`, a folder. Checked before any work.
 */
export function checkOutputPath(out: string, inputs: string[], replace: boolean): void {
  let outStat: fs.Stats;
  try {
    outStat = fs.statSync(out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new FileError(e, out, 'write');
  }
  if (outStat.isDirectory()) throw new Error(`${out}: is a folder; give a file path for the predictions`);
  for (const input of inputs) {
    const inStat = fs.statSync(input, { throwIfNoEntry: false });
    if (inStat && inStat.ino === outStat.ino && inStat.dev === outStat.dev) throw new Error(`${out}: is the input file ${input}; write the predictions to another file`);
  }
  if (!replace) throw new Error(`${out}: already exists; choose another file, or replace it with --force`);
}

/** The input again as text, so that every field is written back exactly as it was read. */
export function rowsAsText(csv: string, frame: Frame & { info: { delimiter: string } }): { header: string[]; rows: string[][] } {
  const text = fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { delimiter: frame.info.delimiter, skipEmptyLines: 'greedy' });
  const [header, ...rows] = parsed.data;
  if (rows.length !== frame.rows) throw new Error(`${csv}: read ${frame.rows} rows as data but ${rows.length} as text; is the file changing?`);
  return { header, rows };
}

export async function predictCsv(bundlePath: string, csv: string, out: string, o: { csv?: CsvOptions; signal?: AbortSignal; replace?: boolean } = {}): Promise<PredictResult> {
  checkOutputPath(out, [csv, bundlePath], o.replace ?? false);
  const b = await loadBundle(bundlePath);
  const frame = await loadCsv(csv, { ...o.csv, signal: o.signal });
  const warnings = [...frame.warnings];
  checkedFrame(b, frame, warnings);
  const { pred, proba } = predictFrame(b, frame);
  const classify = b.bundle.task === 'classification';
  const labels = b.bundle.labels ?? [];
  const { header, rows } = rowsAsText(csv, frame);
  const k = labels.length;
  const added = ['prediction', ...(classify ? labels.map((l) => `proba_${l}`) : [])];
  const clash = added.filter((c) => header.includes(c));
  if (clash.length) warnings.push(`${csv}: the input already has ${clash.join(', ')}; the output repeats the name`);
  const outRows = rows.map((r, i) => [
    ...r,
    classify ? labels[pred[i]] : String(pred[i]),
    ...(classify ? Array.from({ length: k }, (_, c) => formatProbability(proba![i * k + c])) : []),
  ]);
  writeAtomic(out, Papa.unparse([[...header, ...added], ...outRows], { newline: '\n' }) + '\n', { replace: o.replace ?? false });
  return { out, rows: frame.rows, columns: added, warnings };
}

export interface EvaluateResult {
  bundle: string;
  data: string;
  runId?: string;
  experimentId?: string;
  rows: number;
  dropped: number;
  evaluation: Evaluation;
  warnings: string[];
}

/** Scores a bundle on a labelled CSV; with a store, records it as an evaluation run beside the model's. */
export async function evaluateCsv(bundlePath: string, csv: string, o: { store?: MlflowStore; csv?: CsvOptions; signal?: AbortSignal; sessionId?: string } = {}): Promise<EvaluateResult> {
  const b = await loadBundle(bundlePath);
  const frame = await loadCsv(csv, { ...o.csv, signal: o.signal });
  const warnings = [...frame.warnings];
  checkedFrame(b, frame, warnings);
  if (!frame.columns.some((c) => c.name === b.bundle.target)) throw new Error(`${csv}: no column "${b.bundle.target}" (the model's target) to score against`);
  const target = prepareTarget(frame, b.bundle.target, b.bundle.task, b.bundle.labels);
  if (target.warning) warnings.push(target.warning);
  const X = b.preprocessor.transform(b.features.transform(frame), target.rows);
  const evaluation = evaluateModel(b.bundle.task, b.estimator, X, target.y, b.bundle.labels);
  const result: EvaluateResult = { bundle: b.file, data: csv, rows: target.rows.length, dropped: target.dropped, evaluation, warnings };
  if (o.store) {
    const expId = b.bundle.source?.experimentId;
    const exp = expId && o.store.listExperiments().some((e) => e.id === expId) ? o.store.getExperiment(expId) : o.store.getOrCreateExperiment(`evaluations · ${b.bundle.target}`);
    const run = o.store.createRun(exp.id, {
      runName: `evaluate ${b.bundle.model} on ${path.basename(csv)}`, sourceName: csv,
      tags: { [TAG.kind]: 'evaluation', ...(o.sessionId ? { [TAG.session]: o.sessionId } : {}), [TAG.model]: b.bundle.model, [TAG.task]: b.bundle.task, [TAG.bundle]: b.file, [TAG.data]: csv, ...(b.bundle.source?.runId ? { [TAG.evaluatedRunId]: b.bundle.source.runId } : {}) },
    });
    try {
      o.store.logParams(run.runId, { data: path.basename(csv), bundle: b.file, model: b.bundle.model, rows: target.rows.length });
      o.store.logMetrics(run.runId, evaluation.metrics);
      o.store.writeArtifact(run.runId, 'evaluation.json', JSON.stringify(evaluation));
      o.store.endRun(run.runId, 'FINISHED');
    } catch (e) {
      o.store.setTag(run.runId, TAG.error, (e as Error).message);
      o.store.endRun(run.runId, 'FAILED');
      throw e;
    }
    result.runId = run.runId;
    result.experimentId = exp.id;
  }
  return result;
}
