// `mlw features`: a run spec's feature steps materialised on a whole file, as a data scientist
// checks them in pandas before training: every input field written back as it was read, in order,
// then the steps' columns. Steps learn from every row here (there is no split), which is what a
// materialised file means; training fits them on the training rows only.
import * as fs from 'node:fs';
import Papa from 'papaparse';
import { loadCsv } from '../csv/load';
import type { CsvOptions } from '../csv/options';
import { FileError, parseJsonText } from '../io/fileErrors';
import { writeAtomic } from '../io/writeAtomic';
import { prepareTarget } from '../ml/preprocess';
import { FeaturePipeline } from '../ml/transformers/pipeline';
import { CODE_MISSING, Column } from '../frame';
import { checkOutputPath, rowsAsText } from './predict';
import { checkSpec } from './spec';

/** The steps of a spec file: a run spec's `features`, or a bare list of steps. */
export function readFeatureSteps(file: string): Record<string, unknown>[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileError(e, file, 'read');
  }
  const raw = parseJsonText(text, file, 'a run spec or a list of feature steps');
  if (Array.isArray(raw)) {
    checkSpec({ kind: 'train', data: '-', target: '-', models: ['lr'], features: raw }, file); // the run spec's rules for its steps
    return raw as Record<string, unknown>[];
  }
  const spec = checkSpec(raw, file);
  if (!spec.features?.length) throw new Error(`${file}: the spec has no "features" steps`);
  return spec.features;
}

/** A value as the file shows it: the shortest text that reads back to it (as pandas' to_csv), empty when missing. */
function cell(c: Column, i: number): string {
  if (c.kind === 'numeric') return c.values[i] === c.values[i] ? String(c.values[i]) : '';
  if (c.kind === 'categorical') return c.codes[i] === CODE_MISSING ? '' : c.dictionary[c.codes[i]];
  throw new Error(`internal: a feature step made a ${c.kind} column`);
}

export interface FeaturesResult {
  out: string;
  rows: number;
  columns: string[];
  warnings: string[];
}

export async function engineerCsv(csv: string, steps: Record<string, unknown>[], out: string, o: { target?: string; seed?: number; csv?: CsvOptions; replace?: boolean } = {}): Promise<FeaturesResult> {
  checkOutputPath(out, [csv], o.replace ?? false);
  const pipeline = FeaturePipeline.fromSpec(steps, { seed: o.seed ?? 42 });
  const frame = await loadCsv(csv, o.csv);
  const target = o.target ? prepareTarget(frame, o.target) : undefined;
  const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
  const engineered = pipeline.fitTransform(frame, target?.rows ?? all, target);
  const added = engineered.columns.slice(frame.columns.length);
  const { header, rows } = rowsAsText(csv, frame);
  const outRows = rows.map((r, i) => [...r, ...added.map((c) => cell(c, i))]);
  writeAtomic(out, Papa.unparse([[...header, ...added.map((c) => c.name)], ...outRows], { newline: '\n' }) + '\n', { replace: o.replace ?? false });
  return { out, rows: frame.rows, columns: added.map((c) => c.name), warnings: [...frame.warnings] };
}
