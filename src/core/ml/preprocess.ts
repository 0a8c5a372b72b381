// Preprocessing fitted on the training rows only, as scikit-learn's ColumnTransformer of Pipelines
// would be: numeric and boolean columns imputed then standard-scaled, categorical columns imputed
// then one-hot encoded (categories unseen at fit give all zeros), datetime columns expanded to
// year, month, day of week, weekend and hour (or the parts asked for), then imputed and scaled.
// Numeric columns that hold codes (a precinct, a zip code) can be one-hot encoded as categories
// instead, as scikit-learn does with a column cast to str. This file is the recipe: which columns
// go through which column steps (transformers/); the ColumnTransformer fits and replays them, and
// its saved form (version 2) is what the bundle stores. Version 1 states, saved before the column
// steps, load by conversion into the same steps with the same numbers.
import { BOOL_MISSING, CODE_MISSING, Column, Frame } from '../frame';
import type { Matrix } from './matrix';
import { checkStateSchema, S } from './savedState';
import { categoriesOf } from './transformers/column';
import { ColumnPipeline, ColumnTransformer, InputKind, SavedColumnPipeline } from './transformers/columnTransformer';
import { DateParts, DATETIME_PARTS, DatetimePart } from './transformers/dateParts';
import { ImputeStrategy, SimpleImputer } from './transformers/imputer';
import { OneHotEncoder } from './transformers/oneHotEncoder';
import { StandardScaler } from './transformers/scaler';
import type { SavedStep } from './transformers/step';
import type { Task } from './task';

export type { DatetimePart } from './transformers/dateParts';

export interface PreprocessParams {
  numericImpute: ImputeStrategy;
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

export interface PreprocessorState {
  version: 2;
  params: PreprocessParams;
  /** Each input column the model reads, with the column steps it goes through. */
  columns: SavedColumnPipeline[];
  /** Columns left out, with why (free text, the target, asked to drop). */
  ignored: { column: string; reason: string }[];
  outputNames: string[];
}

/** An input column the preprocessor reads: its kind, and for categories those it knows (the one-hot encoder's). */
export interface PreprocessorInput {
  column: string;
  kind: InputKind;
  categories?: string[];
}

/** Columns by name, with a clear error when the frame lacks one. */
function columnOf(frame: Frame, name: string, what: string): Column {
  const c = frame.columns.find((x) => x.name === name);
  if (!c) throw new Error(`${frame.source}: column "${name}" is missing (${what})`);
  return c;
}

const PARAMS = S.object({
  numericImpute: { enum: ['mean', 'median', 'most_frequent', 'constant'] }, numericFill: S.number, categoricalImpute: { enum: ['most_frequent', 'constant'] },
  categoricalFill: S.string, scale: S.boolean, dropFirst: S.boolean, categoricalColumns: S.vector(S.string), datetimeParts: S.vector({ enum: [...DATETIME_PARTS] }, 1),
}, ['categoricalColumns', 'datetimeParts']);
const KIND = { enum: ['numeric', 'boolean', 'categorical', 'datetime'] };
const SAVED_STEP = S.object({ type: S.string, version: S.whole(1), params: { type: 'object' }, state: {} });
const STATE_V2 = S.object({
  version: { const: 2 },
  params: PARAMS,
  columns: S.vector(S.object({ column: S.string, kind: KIND, steps: S.vector(SAVED_STEP) })),
  ignored: S.vector(S.object({ column: S.string, reason: S.string })),
  outputNames: S.vector(S.string),
});

/** Version 1: each column's fill, mean and scale (or categories) in one flat record. */
const SCALED = { fill: S.number, mean: S.number, scale: { type: 'number', exclusiveMinimum: 0 } };
const STATE_V1 = S.object({
  version: { const: 1 },
  params: PARAMS,
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

type ScaledV1 = { fill: number; mean: number; scale: number };
type FeatureV1 =
  | ({ kind: 'numeric' | 'boolean'; column: string } & ScaledV1)
  | { kind: 'categorical'; column: string; fill: string | null; categories: string[]; dropFirst: boolean }
  /** Saved without `names`: all of DATETIME_PARTS. */
  | { kind: 'datetime'; column: string; parts: ScaledV1[]; names?: DatetimePart[] };

const saved = (type: string, params: Record<string, unknown>, state: object): SavedStep => ({ type, version: 1, params, state });

/** A version 1 state as the column steps that compute the same numbers: imputer, scaler (with its mean and scale), one-hot encoder, date parts. */
function fromVersion1(old: { params: PreprocessParams; features: FeatureV1[]; ignored: PreprocessorState['ignored']; outputNames: string[] }): PreprocessorState {
  const p = old.params;
  const numeric = (fills: ScaledV1[]) => [
    saved('impute', { strategy: p.numericImpute, fillValue: p.numericFill }, { statistics: fills.map((f) => f.fill) }),
    saved('scale', { withMean: true, withStd: true }, { mean: fills.map((f) => f.mean), scale: fills.map((f) => f.scale) }),
  ];
  const columns = old.features.map((f): SavedColumnPipeline => {
    if (f.kind === 'categorical') {
      return {
        column: f.column, kind: 'categorical', steps: [
          saved('impute', { strategy: p.categoricalImpute, fillValue: p.categoricalFill }, { statistics: [f.fill] }),
          saved('oneHot', { dropFirst: f.dropFirst }, { categories: f.categories }),
        ],
      };
    }
    if (f.kind === 'datetime') return { column: f.column, kind: 'datetime', steps: [saved('dateParts', { parts: f.names ?? [...DATETIME_PARTS] }, {}), ...numeric(f.parts)] };
    return { column: f.column, kind: f.kind, steps: numeric([f]) };
  });
  return { version: 2, params: p, columns, ignored: old.ignored, outputNames: old.outputNames };
}

export class Preprocessor {
  state?: PreprocessorState;
  private pipeline?: ColumnTransformer;

  constructor(readonly params: PreprocessParams = DEFAULT_PREPROCESS) {}

  /** The column steps of a numeric (or boolean, or date part) column under these params. */
  private numericSteps() {
    const p = this.params;
    return [new SimpleImputer({ strategy: p.numericImpute, fillValue: p.numericFill }), ...(p.scale ? [new StandardScaler()] : [])];
  }

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
    const columns: ColumnPipeline[] = [];
    const ignored: { column: string; reason: string }[] = exclude.map((column) => ({ column, reason: 'excluded' }));
    for (const col of frame.columns) {
      if (exclude.includes(col.name)) continue;
      if (col.kind === 'text') {
        ignored.push({ column: col.name, reason: 'free text (no text features yet)' });
        continue;
      }
      if ((col.kind === 'numeric' && !asCategories.has(col.name)) || col.kind === 'boolean') {
        columns.push({ column: col.name, kind: col.kind, steps: this.numericSteps() });
      } else if (col.kind === 'datetime') {
        columns.push({ column: col.name, kind: 'datetime', steps: [new DateParts({ parts: [...wanted] }), ...this.numericSteps()] });
      } else {
        const why = identifierLike(col, rows);
        if (why) {
          ignored.push({ column: col.name, reason: why });
          continue;
        }
        columns.push({ column: col.name, kind: 'categorical', steps: [new SimpleImputer({ strategy: p.categoricalImpute, fillValue: p.categoricalFill }), new OneHotEncoder({ dropFirst: p.dropFirst })] });
      }
    }
    // Numbers first, then categories, as the reference ColumnTransformer (num, cat) orders them.
    columns.sort((a, b) => Number(a.kind === 'categorical') - Number(b.kind === 'categorical'));
    const pipeline = new ColumnTransformer(columns).fit(frame, rows);
    this.pipeline = pipeline;
    this.state = { version: 2, params: p, columns: pipeline.toJSON(), ignored, outputNames: pipeline.outputNames() };
    return this;
  }

  /** The feature matrix of the given rows (all rows by default). */
  transform(frame: Frame, rows?: ArrayLike<number>): Matrix {
    return this.fitted().transform(frame, rows);
  }

  fitTransform(frame: Frame, rows: ArrayLike<number>, exclude: string[] = []): Matrix {
    return this.fit(frame, rows, exclude).transform(frame, rows);
  }

  /** The input columns it reads, in the matrix's order, with the categories it knows. */
  inputs(): PreprocessorInput[] {
    return this.fitted().columns.map((p) => {
      const oneHot = p.steps.find((s): s is OneHotEncoder => s instanceof OneHotEncoder);
      return { column: p.column, kind: p.kind, ...(oneHot ? { categories: oneHot.learnedState.categories } : {}) };
    });
  }

  /** The fitted column pipelines (for export). */
  get columnTransformer(): ColumnTransformer {
    return this.fitted();
  }

  toJSON(): PreprocessorState {
    this.fitted();
    return this.state!;
  }

  /**
   * A saved state, checked whole first (see savedState.ts): version 2 as saved now, or version 1
   * (before the column steps) converted into the steps that compute the same numbers.
   */
  static fromJSON(saved: unknown): Preprocessor {
    const version = saved && typeof saved === 'object' ? (saved as { version?: unknown }).version : undefined;
    let state: PreprocessorState;
    if (version === 1) {
      checkStateSchema('preprocessor', STATE_V1, saved);
      state = fromVersion1(saved as Parameters<typeof fromVersion1>[0]);
    } else {
      checkStateSchema('preprocessor', STATE_V2, saved);
      state = saved as PreprocessorState;
    }
    const pipeline = ColumnTransformer.fromJSON(state.columns, 'preprocessor');
    const names = pipeline.outputNames();
    if (names.length !== state.outputNames.length) throw new Error(`preprocessor: saved state does not fit together: outputNames has ${state.outputNames.length} value${state.outputNames.length === 1 ? '' : 's'} where ${names.length} are needed`);
    const differ = names.findIndex((n, i) => n !== state.outputNames[i]);
    if (differ >= 0) throw new Error(`preprocessor: saved state does not fit together: outputNames[${differ}] is "${state.outputNames[differ]}" where its steps make "${names[differ]}"`);
    const p = new Preprocessor(state.params);
    p.state = state;
    p.pipeline = pipeline;
    return p;
  }

  private fitted(): ColumnTransformer {
    if (!this.pipeline) throw new Error('the preprocessor is not fitted yet');
    return this.pipeline;
  }
}

/**
 * Why a categorical column is left out as an identifier, if it is: a column that names rows (an
 * ID, a ticket number) one-hot encodes into a column per row: 35,000 ids made 35,000 features over
 * 35,000 rows, 9.8 GB. More than MAX_IDENTIFIER_CATEGORIES distinct values for over half the rows.
 */
function identifierLike(col: Column, rows: ArrayLike<number>): string | undefined {
  const b = categoriesOf(col, rows);
  const seen = new Uint8Array(b.dictionary.length);
  let distinct = 0, present = 0;
  for (const c of b.codes) {
    if (c < 0) continue;
    present++;
    if (!seen[c]) (seen[c] = 1), distinct++;
  }
  if (distinct > MAX_IDENTIFIER_CATEGORIES && distinct > 0.5 * present) return `identifier-like: ${distinct} distinct values in ${present} rows; drop it, or encode it yourself`;
  return undefined;
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
