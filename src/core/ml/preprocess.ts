// Preprocessing fitted on the training rows only, as scikit-learn's ColumnTransformer would:
// numeric and boolean columns are imputed then standard-scaled, categorical columns imputed then
// one-hot encoded (categories unseen at fit give all zeros), datetime columns expanded to year,
// month, day of week, weekend and hour (or the parts asked for). Numeric columns that hold codes
// (a precinct, a zip code) can be one-hot encoded as categories instead, as scikit-learn does with a
// column cast to str. Its learned state is plain JSON, saved with the model.
import { BOOL_MISSING, CODE_MISSING, Column, Frame } from '../frame';
import { quantiles } from '../profile/stats';
import { Matrix, matrix } from './matrix';
import { calendar } from './transformers/calendar';
import { checkStateSchema, checkStateShapes, S, sized } from './savedState';
import type { Task } from './task';

export type NumericImpute = 'mean' | 'median' | 'most_frequent' | 'constant';

export interface PreprocessParams {
  numericImpute: NumericImpute;
  /** The value for numericImpute 'constant'. */
  numericFill: number;
  /** 'constant' fills with categoricalFill (scikit-learn's usual "missing" category). */
  categoricalImpute: 'most_frequent' | 'constant';
  categoricalFill: string;
  scale: boolean;
  /** One-hot without the first category (drop='first'). */
  dropFirst: boolean;
  /** Numeric columns whose values are codes, one-hot encoded by their text ("4"), like pandas' astype(str). */
  categoricalColumns?: string[];
  /** The parts a datetime column becomes; all of DATETIME_PARTS by default. */
  datetimeParts?: DatetimePart[];
}

export const DEFAULT_PREPROCESS: PreprocessParams = {
  numericImpute: 'median', numericFill: 0, categoricalImpute: 'constant', categoricalFill: 'missing', scale: true, dropFirst: false,
};

interface ScaledInput {
  fill: number;
  mean: number;
  scale: number;
}

export type FeatureSpec =
  | ({ kind: 'numeric' | 'boolean'; column: string } & ScaledInput)
  | { kind: 'categorical'; column: string; fill: string | null; categories: string[]; dropFirst: boolean }
  /** `names` says which part each of `parts` is; states saved without it hold all of DATETIME_PARTS. */
  | { kind: 'datetime'; column: string; parts: ScaledInput[]; names?: DatetimePart[] };

export interface PreprocessorState {
  version: 1;
  params: PreprocessParams;
  features: FeatureSpec[];
  /** Columns left out, with why (free text, the target, asked to drop). */
  ignored: { column: string; reason: string }[];
  outputNames: string[];
}

export const DATETIME_PARTS = ['year', 'month', 'dayofweek', 'weekend', 'hour'] as const;
export type DatetimePart = (typeof DATETIME_PARTS)[number];

const partNames = (f: { names?: DatetimePart[] }): readonly DatetimePart[] => f.names ?? DATETIME_PARTS;

/** Year, month (1-12), day of week (Monday 0, as pandas), weekend (0/1), hour of a UTC epoch-ms time. */
export function datetimeParts(ms: number): number[] {
  const c = calendar(ms);
  return [c.year, c.month, c.dayofweek, c.weekend, c.hour];
}

function numericValues(col: Column, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (col.kind === 'numeric' || col.kind === 'datetime') out[i] = col.values[r];
    else if (col.kind === 'boolean') out[i] = col.values[r] === BOOL_MISSING ? NaN : col.values[r];
    else throw new Error(`internal: ${col.name} is not numeric`);
  }
  return out;
}

function fitScaled(values: Float64Array, p: PreprocessParams, column: string): ScaledInput {
  const present = values.filter((v) => v === v);
  if (present.some((v) => !Number.isFinite(v))) throw new Error(`column "${column}" holds an infinite value; replace it or drop the column`);
  let fill: number;
  if (present.length === 0) fill = p.numericImpute === 'constant' ? p.numericFill : 0; // all missing: a constant feature
  else if (p.numericImpute === 'median') fill = quantiles(present.slice(), [0.5])[0];
  else if (p.numericImpute === 'mean') fill = present.reduce((a, b) => a + b, 0) / present.length;
  else if (p.numericImpute === 'constant') fill = p.numericFill;
  else fill = mostFrequentNumber(present);
  // The scaler sees the imputed column, as it does after SimpleImputer in a scikit-learn pipeline.
  let mean = 0;
  for (const v of values) mean += v === v ? v : fill;
  mean /= values.length;
  let ss = 0;
  for (const v of values) ss += ((v === v ? v : fill) - mean) ** 2;
  const std = Math.sqrt(ss / values.length);
  return p.scale ? { fill, mean, scale: std > 0 ? std : 1 } : { fill, mean: 0, scale: 1 };
}

function mostFrequentNumber(values: Float64Array): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = NaN, bestCount = -1;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  return best;
}

/** A column's category per row, null when missing; numbers as their text ("4"), like pandas' astype(str). */
function categoryReader(col: Column): (row: number) => string | null {
  if (col.kind === 'categorical' || col.kind === 'text') return (r) => (col.codes[r] === CODE_MISSING ? null : col.dictionary[col.codes[r]]);
  if (col.kind === 'numeric') return (r) => (col.values[r] === col.values[r] ? String(col.values[r]) : null);
  throw new Error(`internal: ${col.name} holds no categories`);
}

/** Columns by name, with a clear error when the frame lacks one. */
function columnOf(frame: Frame, name: string, what: string): Column {
  const c = frame.columns.find((x) => x.name === name);
  if (!c) throw new Error(`${frame.source}: column "${name}" is missing (${what})`);
  return c;
}

const SCALED = { fill: S.number, mean: S.number, scale: { type: 'number', exclusiveMinimum: 0 } };
const PREPROCESSOR_STATE = S.object({
  version: { const: 1 },
  params: S.object({
    numericImpute: { enum: ['mean', 'median', 'most_frequent', 'constant'] }, numericFill: S.number, categoricalImpute: { enum: ['most_frequent', 'constant'] },
    categoricalFill: S.string, scale: S.boolean, dropFirst: S.boolean, categoricalColumns: S.vector(S.string), datetimeParts: S.vector({ enum: [...DATETIME_PARTS] }, 1),
  }, ['categoricalColumns', 'datetimeParts']),
  features: S.vector({
    oneOf: [
      S.object({ kind: { enum: ['numeric', 'boolean'] }, column: S.string, ...SCALED }),
      S.object({ kind: { const: 'categorical' }, column: S.string, fill: { type: ['string', 'null'] }, categories: S.vector(S.string), dropFirst: S.boolean }),
      S.object({ kind: { const: 'datetime' }, column: S.string, parts: S.vector(S.object(SCALED), 1), names: S.vector({ enum: [...DATETIME_PARTS] }, 1) }, ['names']),
    ],
  }),
  ignored: S.vector(S.object({ column: S.string, reason: S.string })),
  outputNames: S.vector(S.string),
});

/** A saved preprocessor state whose every feature is well formed and whose output names count its columns. */
function checkedPreprocessorState(saved: unknown): PreprocessorState {
  checkStateSchema('preprocessor', PREPROCESSOR_STATE, saved);
  const s = saved as PreprocessorState;
  const width = (f: FeatureSpec) => (f.kind === 'categorical' ? f.categories.length - (f.dropFirst ? 1 : 0) : f.kind === 'datetime' ? f.parts.length : 1);
  checkStateShapes('preprocessor', [
    ...s.features.filter((f) => f.kind === 'datetime').map((f) => sized(`datetime column "${f.column}" parts`, f.parts.length, partNames(f).length)),
    sized('outputNames', s.outputNames.length, s.features.reduce((n, f) => n + width(f), 0)),
  ]);
  return s;
}

export class Preprocessor {
  state?: PreprocessorState;

  constructor(readonly params: PreprocessParams = DEFAULT_PREPROCESS) {}

  /** Learns from the given rows of the frame (the training split), every column but `exclude`. */
  fit(frame: Frame, rows: ArrayLike<number>, exclude: string[] = []): this {
    const p = this.params;
    const asCategories = new Set(p.categoricalColumns ?? []);
    for (const name of asCategories) {
      const kind = columnOf(frame, name, 'named to be encoded as categories').kind;
      if (kind !== 'numeric' && kind !== 'categorical') throw new Error(`${frame.source}: column "${name}" holds ${kind} values; only numeric codes can be encoded as categories`);
    }
    const wanted = p.datetimeParts ?? DATETIME_PARTS;
    const unknown = wanted.filter((w) => !DATETIME_PARTS.includes(w));
    if (wanted.length === 0 || unknown.length) throw new Error(`datetime parts must be some of ${DATETIME_PARTS.join(', ')}${unknown.length ? `, not ${unknown.join(', ')}` : ''}`);
    const features: FeatureSpec[] = [];
    const ignored: { column: string; reason: string }[] = exclude.map((column) => ({ column, reason: 'excluded' }));
    for (const col of frame.columns) {
      if (exclude.includes(col.name)) continue;
      if (col.kind === 'text') {
        ignored.push({ column: col.name, reason: 'free text (no text features yet)' });
        continue;
      }
      if ((col.kind === 'numeric' && !asCategories.has(col.name)) || col.kind === 'boolean') {
        features.push({ kind: col.kind, column: col.name, ...fitScaled(numericValues(col, rows), p, col.name) });
      } else if (col.kind === 'datetime') {
        const perRow = Array.from(numericValues(col, rows), (ms) => (ms === ms ? datetimeParts(ms) : null));
        const names = [...wanted];
        const parts = names.map((part) => {
          const k = DATETIME_PARTS.indexOf(part);
          return fitScaled(Float64Array.from(perRow, (all) => (all ? all[k] : NaN)), p, `${col.name}.${part}`);
        });
        features.push({ kind: 'datetime', column: col.name, parts, names });
      } else {
        const counts = new Map<string, number>();
        const categoryAt = categoryReader(col);
        let missing = 0;
        for (let i = 0; i < rows.length; i++) {
          const c = categoryAt(rows[i]);
          if (c === null) missing++;
          else counts.set(c, (counts.get(c) ?? 0) + 1);
        }
        // A column that names rows (an ID, a ticket number) one-hot encodes into a column per row:
        // 35,000 ids made 35,000 features over 35,000 rows, 9.8 GB. It is left out, and said.
        if (counts.size > MAX_IDENTIFIER_CATEGORIES && counts.size > 0.5 * (rows.length - missing)) {
          ignored.push({ column: col.name, reason: `identifier-like: ${counts.size} distinct values in ${rows.length - missing} rows; drop it, or encode it yourself` });
          continue;
        }
        let fill: string | null = null;
        if (missing > 0 || p.categoricalImpute === 'constant') {
          fill = p.categoricalImpute === 'constant' ? p.categoricalFill
            : [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? p.categoricalFill;
        }
        if (missing > 0 && fill !== null) counts.set(fill, (counts.get(fill) ?? 0) + missing);
        const categories = [...counts.keys()].sort(); // scikit-learn sorts categories
        features.push({ kind: 'categorical', column: col.name, fill, categories, dropFirst: p.dropFirst });
      }
    }
    // Numbers first, then categories, as the reference ColumnTransformer (num, cat) orders them.
    features.sort((a, b) => Number(a.kind === 'categorical') - Number(b.kind === 'categorical'));
    const outputNames = features.flatMap((f) => {
      if (f.kind === 'categorical') return f.categories.slice(f.dropFirst ? 1 : 0).map((c) => `${f.column}=${c}`);
      if (f.kind === 'datetime') return partNames(f).map((part) => `${f.column}.${part}`);
      return [f.column];
    });
    this.state = { version: 1, params: p, features, ignored, outputNames };
    return this;
  }

  /** The feature matrix of the given rows (all rows by default). */
  transform(frame: Frame, rows?: ArrayLike<number>): Matrix {
    const s = this.fitted();
    const n = rows ? rows.length : frame.rows;
    const at = (i: number) => (rows ? rows[i] : i);
    const out = matrix(n, s.outputNames.length);
    let offset = 0;
    for (const f of s.features) {
      const col = columnOf(frame, f.column, 'the model was trained with it');
      if (f.kind === 'categorical') {
        if (col.kind !== 'categorical' && col.kind !== 'text' && col.kind !== 'numeric') throw new Error(`${frame.source}: column "${f.column}" held categories at training but holds ${col.kind} values here`);
        const first = f.dropFirst ? 1 : 0;
        const index = new Map(f.categories.map((c, i) => [c, i - first]));
        const fillSlot = f.fill === null ? -1 : index.get(f.fill) ?? -1;
        let slotAt: (row: number) => number;
        if (col.kind === 'numeric') {
          const categoryAt = categoryReader(col);
          slotAt = (r) => {
            const c = categoryAt(r);
            return c === null ? fillSlot : index.get(c) ?? -1;
          };
        } else {
          const slot = col.dictionary.map((v) => index.get(v) ?? -1); // one lookup per distinct value
          slotAt = (r) => (col.codes[r] === CODE_MISSING ? fillSlot : slot[col.codes[r]]);
        }
        for (let i = 0; i < n; i++) {
          const k = slotAt(at(i));
          if (k >= 0) out.data[i * out.cols + offset + k] = 1; // unseen category or dropped first: all zeros
        }
        offset += f.categories.length - first;
      } else {
        if (col.kind === 'categorical' || col.kind === 'text') throw new Error(`${frame.source}: column "${f.column}" was ${f.kind} at training but holds text here`);
        const rowsList = Int32Array.from({ length: n }, (_, i) => at(i));
        const values = numericValues(col, rowsList);
        const parts = f.kind === 'datetime' ? f.parts : [f];
        const partIndex = f.kind === 'datetime' ? partNames(f).map((part) => DATETIME_PARTS.indexOf(part)) : [];
        const pick = (all: number[]) => partIndex.map((k) => all[k]);
        for (let i = 0; i < n; i++) {
          const v = values[i];
          if (v === Infinity || v === -Infinity) throw new Error(`${frame.source}: column "${f.column}" holds an infinite value on data row ${at(i) + 1}`);
          const xs = f.kind === 'datetime' ? (v === v ? pick(datetimeParts(v)) : parts.map(() => NaN)) : [v];
          parts.forEach((q, k) => {
            const x = xs[k] === xs[k] ? xs[k] : q.fill;
            out.data[i * out.cols + offset + k] = (x - q.mean) / q.scale;
          });
        }
        offset += parts.length;
      }
    }
    return out;
  }

  fitTransform(frame: Frame, rows: ArrayLike<number>, exclude: string[] = []): Matrix {
    return this.fit(frame, rows, exclude).transform(frame, rows);
  }

  toJSON(): PreprocessorState {
    return this.fitted();
  }

  /** A saved state, checked whole first (types, finite numbers, sizes; see savedState.ts). */
  static fromJSON(saved: unknown): Preprocessor {
    const state = checkedPreprocessorState(saved);
    const p = new Preprocessor(state.params);
    p.state = state;
    return p;
  }

  private fitted(): PreprocessorState {
    if (!this.state) throw new Error('the preprocessor is not fitted yet');
    return this.state;
  }
}

export interface Target {
  task: Task;
  /** Rows that have a target value (rows without one are dropped). */
  rows: Int32Array;
  dropped: number;
  /** classification: class index per kept row; regression: the value. */
  y: Int32Array | Float64Array;
  /** classification: labels in scikit-learn's sorted order. */
  labels?: string[];
  /** Said to the user when rows were dropped. */
  warning?: string;
}

/** Above this many categories, a feature whose values are mostly one row each is left out as an identifier. */
export const MAX_IDENTIFIER_CATEGORIES = 50;

/** Above this many classes, a target whose classes are mostly one row each is refused. */
export const MAX_UNIQUE_CLASSES = 50;

/**
 * Refuses a classification target that names rows rather than classes (an ID or a name picked by
 * mistake): more than MAX_UNIQUE_CLASSES classes for more than half the rows. Every model then
 * holds a value per class per node or unit; a forest on 10,000 such classes ran to 11.8 GB.
 */
function checkClassCount(source: string, name: string, classes: number, rows: number, numeric: boolean): void {
  if (classes <= MAX_UNIQUE_CLASSES || classes <= 0.5 * rows) return;
  throw new Error(`${source}: the target "${name}" has ${classes.toLocaleString('en-US')} classes in ${rows.toLocaleString('en-US')} rows, most of them a class of their own: ` +
    `it looks like an identifier, not something to predict. Pick another target${numeric ? ', or train a regression if it is a quantity' : ''}`);
}

/**
 * The target column as y: categorical, boolean and whole-number columns with few values are
 * classes (sorted labels), other numbers regression. Rows without a target are dropped and counted.
 * With `known` (a trained model's labels), classes are indexed by those; a label it lacks is an error.
 */
export function prepareTarget(frame: Frame, name: string, task?: Task, known?: string[]): Target {
  const col = columnOf(frame, name, 'the target');
  const keep: number[] = [];
  for (let i = 0; i < frame.rows; i++) {
    const missing = col.kind === 'numeric' || col.kind === 'datetime' ? Number.isNaN(col.values[i]) : col.kind === 'boolean' ? col.values[i] === BOOL_MISSING : col.codes[i] === CODE_MISSING;
    if (!missing) keep.push(i);
  }
  const rows = Int32Array.from(keep);
  if (rows.length === 0) throw new Error(`${frame.source}: the target "${name}" is missing on every row`);
  const dropped = frame.rows - rows.length;
  const warning = dropped ? `${dropped} of ${frame.rows} rows have no value for the target "${name}" and were left out` : undefined;
  if (col.kind === 'datetime') throw new Error(`${frame.source}: the target "${name}" holds dates; pick a category or number to predict`);
  const distinctNumbers = col.kind === 'numeric' ? new Set(Array.from(rows, (r) => col.values[r])) : undefined;
  const inferred = col.kind !== 'numeric' ? 'classification' : col.integer && distinctNumbers!.size <= 20 ? 'classification' : 'regression';
  const t = task ?? inferred;
  if (t === 'regression') {
    if (col.kind !== 'numeric') throw new Error(`${frame.source}: the target "${name}" is ${col.kind}, not numbers: it cannot be a regression target`);
    const y = Float64Array.from(rows, (r) => col.values[r]);
    const bad = y.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${frame.source}: the target "${name}" holds ${y[bad]} on data row ${rows[bad] + 1}`);
    return { task: t, rows, dropped, warning, y };
  }
  let raw: string[];
  let labels: string[];
  if (col.kind === 'numeric') {
    const sorted = [...distinctNumbers!].sort((a, b) => a - b);
    labels = sorted.map(String);
    raw = Array.from(rows, (r) => String(col.values[r]));
  } else if (col.kind === 'boolean') {
    raw = Array.from(rows, (r) => (col.values[r] ? 'True' : 'False'));
    labels = [...new Set(raw)].sort();
  } else {
    raw = Array.from(rows, (r) => col.dictionary[col.codes[r]]);
    labels = [...new Set(raw)].sort();
  }
  if (known) {
    const unknown = labels.filter((l) => !known.includes(l));
    if (unknown.length) throw new Error(`${frame.source}: the target "${name}" holds classes the model never saw: ${unknown.slice(0, 10).join(', ')} (it knows ${known.join(', ')})`);
    labels = known;
  } else if (labels.length < 2) throw new Error(`${frame.source}: the target "${name}" has a single class ("${labels[0]}"): there is nothing to learn`);
  else checkClassCount(frame.source, name, labels.length, rows.length, col.kind === 'numeric');
  const index = new Map(labels.map((l, i) => [l, i]));
  return { task: t, rows, dropped, warning, y: Int32Array.from(raw, (v) => index.get(v)!), labels };
}
