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
import { range } from '../ml/split';
import { FeaturePipeline } from '../ml/transformers/pipeline';
import { CODE_MISSING, Column, ColumnKind } from '../frame';
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

/**
 * The steps fitted on a whole file (the rows with a target when one is named) and the columns they
 * add, with the input's rows as text: what mlw features writes and the panel previews.
 */
async function engineerWhole(csv: string, steps: Record<string, unknown>[], o: { target?: string; seed?: number; csv?: CsvOptions }) {
  const pipeline = FeaturePipeline.fromSpec(steps, { seed: o.seed ?? 42 });
  const frame = await loadCsv(csv, o.csv);
  const target = o.target ? prepareTarget(frame, o.target) : undefined;
  const engineered = pipeline.fitTransform(frame, target?.rows ?? range(frame.rows), target);
  return { frame, added: engineered.columns.slice(frame.columns.length), ...rowsAsText(csv, frame) };
}

export async function engineerCsv(csv: string, steps: Record<string, unknown>[], out: string, o: { target?: string; seed?: number; csv?: CsvOptions; replace?: boolean } = {}): Promise<FeaturesResult> {
  checkOutputPath(out, [csv], o.replace ?? false);
  const { frame, added, header, rows } = await engineerWhole(csv, steps, o);
  const outRows = rows.map((r, i) => [...r, ...added.map((c) => cell(c, i))]);
  writeAtomic(out, Papa.unparse([[...header, ...added.map((c) => c.name)], ...outRows], { newline: '\n' }) + '\n', { replace: o.replace ?? false });
  return { out, rows: frame.rows, columns: added.map((c) => c.name), warnings: [...frame.warnings] };
}

/** A new column's small profile, as the preview shows it beside the rows. */
export interface NewColumnStats {
  name: string;
  kind: 'numeric' | 'categorical';
  count: number;
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  /** Categorical: distinct values. */
  distinct?: number;
}

export interface FeaturesPreview {
  file: string;
  /** The input's columns and what the reader made of them, for the panel's step templates. */
  inputs: { name: string; kind: ColumnKind }[];
  /** The input's columns, then the new ones. */
  columns: string[];
  added: string[];
  /** The first rows, every cell as the output file would write it. */
  rows: string[][];
  totalRows: number;
  stats: NewColumnStats[];
}

/**
 * What the steps make on a file, for the Engineer Features panel: they learn from every row (or
 * the rows with a target), as mlw features does, and the panel shows the first `limit` rows and
 * a profile of each new column over all rows.
 */
export async function previewFeatures(csv: string, steps: Record<string, unknown>[], o: { target?: string; seed?: number; limit?: number; csv?: CsvOptions } = {}): Promise<FeaturesPreview> {
  const { frame, added, header, rows } = await engineerWhole(csv, steps, o);
  const limit = Math.min(o.limit ?? 20, frame.rows);
  const stats = added.map((c): NewColumnStats => {
    if (c.kind === 'numeric') {
      let n = 0, sum = 0, min = Infinity, max = -Infinity;
      for (const v of c.values) if (v === v) {
        n++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const mean = n ? sum / n : undefined;
      let ss = 0;
      if (mean !== undefined) for (const v of c.values) if (v === v) ss += (v - mean) ** 2;
      return { name: c.name, kind: 'numeric', count: n, missing: frame.rows - n, mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : undefined, min: n ? min : undefined, max: n ? max : undefined };
    }
    const codes = 'codes' in c ? c.codes : new Int32Array(0);
    let n = 0;
    const seen = new Set<number>();
    for (const code of codes) if (code !== CODE_MISSING) {
      n++;
      seen.add(code);
    }
    return { name: c.name, kind: 'categorical', count: n, missing: frame.rows - n, distinct: seen.size };
  });
  return {
    file: csv, inputs: frame.columns.map((c) => ({ name: c.name, kind: c.kind })), columns: [...header, ...added.map((c) => c.name)], added: added.map((c) => c.name), totalRows: frame.rows, stats,
    rows: rows.slice(0, limit).map((r, i) => [...r, ...added.map((c) => cell(c, i))]),
  };
}
