// Target encoding of categorical columns, with scikit-learn's TargetEncoder semantics (1.3, and
// 1.4's one-vs-rest for multiclass targets): each category becomes the mean of the target over its
// rows, shrunk towards the overall mean: λ·mean_i + (1 − λ)·mean with λ = n_i / (n_i + m), m the
// smooth number, or for smooth "auto" σ_i² / σ² (empirical Bayes: a noisy category borrows more).
// The training rows are encoded out of fold (cv folds, stratified for classes, shuffled with the
// seed), each by encodings learned without its own fold: a category seen once cannot leak its row's
// target into its feature (a random ID otherwise looks perfectly predictive). Every other row, and
// every later frame, gets the encoding learned on all the training rows; unseen categories get the
// target mean. A missing value is a category of its own. Output <col>_te, or <col>_te_<class> for
// each class of a multiclass target.
import { CODE_MISSING, Column, Frame } from '../../frame';
import { oneOf, rule, Rule, seed as seedRule, wholeIn } from '../params';
import type { Target } from '../preprocess';
import { checkStateSchema, S } from '../savedState';
import { kFold, stratifiedKFold } from '../split';
import { inputColumn, numericColumn, Step, StepInput } from './step';

export interface TargetEncoderParams {
  columns: string[];
  smooth: 'auto' | number;
  cv: number;
  shuffle: boolean;
  randomState: number;
}

/** Per column: its categories (null: missing) and, per output (class or target), an encoding per category and the fallback mean. */
interface ColumnEncoding {
  column: string;
  categories: (string | null)[];
  encodings: number[][];
  means: number[];
}

interface TargetEncoderState {
  /** The output per target column: one ('' for a binary or continuous target) or a class name each. */
  outputs: string[];
  columns: ColumnEncoding[];
}

const STATE = S.object({
  outputs: S.vector(S.string, 1),
  columns: S.vector(S.object({ column: S.string, categories: S.vector({ type: ['string', 'null'] }), encodings: S.vector(S.vector()), means: S.vector() })),
});

/** A column's category per row: text as it is, numbers as their text ("4"), missing as null. */
function categoriesOf(c: Column): (i: number) => string | null {
  if (c.kind === 'categorical' || c.kind === 'text') return (i) => (c.codes[i] === CODE_MISSING ? null : c.dictionary[c.codes[i]]);
  if (c.kind === 'numeric') return (i) => (c.values[i] === c.values[i] ? String(c.values[i]) : null);
  throw new Error(`column "${c.name}" holds ${c.kind} values; target encoding needs categories`);
}

/**
 * One output's encodings: per category index (codes[i] of each row, y[i] its target), learned from
 * the rows `rows` (positions into codes and y). As scikit-learn's _fit_encoding_fast(_auto_smooth).
 */
function encode(codes: Int32Array, y: Float64Array, rows: ArrayLike<number>, nCategories: number, smooth: 'auto' | number): { encoding: number[]; mean: number } {
  let mean = 0;
  for (let r = 0; r < rows.length; r++) mean += y[rows[r]];
  mean /= rows.length;
  const sums = new Float64Array(nCategories), counts = new Float64Array(nCategories);
  if (smooth !== 'auto') {
    sums.fill(smooth * mean);
    counts.fill(smooth);
    for (let r = 0; r < rows.length; r++) {
      sums[codes[rows[r]]] += y[rows[r]];
      counts[codes[rows[r]]]++;
    }
    return { encoding: Array.from(sums, (s, c) => s / counts[c]), mean };
  }
  let variance = 0;
  for (let r = 0; r < rows.length; r++) variance += (y[rows[r]] - mean) ** 2;
  variance /= rows.length;
  for (let r = 0; r < rows.length; r++) {
    sums[codes[rows[r]]] += y[rows[r]];
    counts[codes[rows[r]]]++;
  }
  const means = Array.from(sums, (s, c) => (counts[c] === 0 ? mean : s / counts[c]));
  const squares = new Float64Array(nCategories);
  for (let r = 0; r < rows.length; r++) squares[codes[rows[r]]] += (y[rows[r]] - means[codes[rows[r]]]) ** 2;
  const encoding = means.map((m, c) => {
    const lambda = (variance * counts[c]) / (variance * counts[c] + squares[c] / counts[c]);
    return Number.isNaN(lambda) ? mean : lambda * m + (1 - lambda) * mean;
  });
  return { encoding, mean };
}

export class TargetEncoder extends Step<TargetEncoderParams, TargetEncoderState> {
  readonly type = 'targetEncode';
  readonly version = 1;
  /** Set by fitTransform: the training rows' out-of-fold values, per output column. */
  private outOfFold?: { rows: Int32Array; values: Float64Array[] };

  constructor(params: Partial<TargetEncoderParams> = {}) {
    super({ columns: [], smooth: 'auto', cv: 5, shuffle: true, randomState: 42 }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    return [
      rule(Array.isArray(p.columns) && p.columns.length > 0 && p.columns.every((c) => typeof c === 'string') && new Set(p.columns).size === p.columns.length, 'columns', 'a list of distinct column names', p.columns),
      rule(p.smooth === 'auto' || (typeof p.smooth === 'number' && Number.isFinite(p.smooth) && p.smooth >= 0), 'smooth', '"auto" or a number ≥ 0', p.smooth),
      wholeIn('cv', p.cv, 2, 100), oneOf('shuffle', p.shuffle, [true, false]), seedRule('randomState', p.randomState),
    ];
  }

  inputColumns(): StepInput[] {
    return this.params.columns.map((name) => ({ name, kind: 'categorical' }));
  }

  /** The target of each frame row as the outputs' y (NaN where a row has none), and the outputs. */
  private targets(frame: Frame, target: Target | undefined): { outputs: string[]; ys: Float64Array[] } {
    if (!target) throw new Error(`${frame.source}: target encoding needs the target (give --target)`);
    const at = (fill: (y: Float64Array, i: number, v: number) => void, count: number) => {
      const ys = Array.from({ length: count }, () => new Float64Array(frame.rows).fill(NaN));
      target.rows.forEach((row, i) => ys.forEach((y) => fill(y, row, target.y[i])));
      return ys;
    };
    if (target.task === 'regression') return { outputs: [''], ys: at((y, row, v) => (y[row] = v), 1) };
    const labels = target.labels!;
    if (labels.length === 2) return { outputs: [''], ys: at((y, row, v) => (y[row] = v), 1) }; // positive: the second label, as LabelEncoder orders them
    const ys = Array.from({ length: labels.length }, () => new Float64Array(frame.rows).fill(NaN));
    target.rows.forEach((row, i) => ys.forEach((y, k) => (y[row] = target.y[i] === k ? 1 : 0)));
    return { outputs: labels, ys };
  }

  private codes(frame: Frame, column: string, categories: (string | null)[]): Int32Array {
    const read = categoriesOf(inputColumn(frame, column, this.type));
    const index = new Map(categories.map((c, i) => [c, i]));
    return Int32Array.from({ length: frame.rows }, (_, i) => index.get(read(i)) ?? -1);
  }

  fit(frame: Frame, rows: ArrayLike<number>, target?: Target): this {
    this.fitTransformValues(frame, rows, target);
    return this;
  }

  private fitTransformValues(frame: Frame, rowsIn: ArrayLike<number>, target?: Target): void {
    this.checkParams();
    const { outputs, ys } = this.targets(frame, target);
    const rows = Int32Array.from(rowsIn).filter((r) => ys[0][r] === ys[0][r]); // rows with a target
    const { cv, smooth, shuffle, randomState } = this.params;
    if (rows.length < cv) throw new Error(`${frame.source}: ${rows.length} training rows cannot make ${cv} folds for target encoding`);
    // Folds over the training rows in their order, as scikit-learn's fit_transform(X_train, y_train).
    const classify = target!.task === 'classification';
    const folds = classify
      ? stratifiedKFold(Int32Array.from(rows, (r) => ys.length === 1 ? ys[0][r] : ys.findIndex((y) => y[r] === 1)), cv, { shuffle, seed: randomState })
      : kFold(rows.length, cv, { shuffle, seed: randomState });
    const columns: ColumnEncoding[] = [];
    const oof = outputs.flatMap(() => this.params.columns.map(() => new Float64Array(frame.rows).fill(NaN)));
    this.params.columns.forEach((column, j) => {
      const read = categoriesOf(inputColumn(frame, column, this.type));
      const seen = new Set<string | null>();
      for (const r of rows) seen.add(read(r));
      // np.unique's order: sorted text, the missing category last.
      const categories = [...seen].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
      const codes = this.codes(frame, column, categories);
      const full = ys.map((y) => encode(codes, y, rows, categories.length, smooth));
      columns.push({ column, categories, encodings: full.map((f) => f.encoding), means: full.map((f) => f.mean) });
      ys.forEach((y, k) => {
        const out = oof[j * outputs.length + k];
        for (const f of folds) {
          const trainRows = Int32Array.from(f.train, (p) => rows[p]);
          // Categories are the whole training split's, as scikit-learn's: one absent from this
          // fold's other rows gets what its encoder gives no rows (the fold's mean).
          const { encoding } = encode(codes, y, trainRows, categories.length, smooth);
          for (const p of f.test) out[rows[p]] = encoding[codes[rows[p]]];
        }
      });
    });
    this.learned = { outputs, columns };
    this.outOfFold = { rows, values: oof };
  }

  /** The training rows encoded out of fold; every other row with the full encoding. */
  fitTransform(frame: Frame, rows: ArrayLike<number>, target?: Target): Frame {
    this.fitTransformValues(frame, rows, target);
    const out = this.transform(frame);
    const { rows: trainRows, values } = this.outOfFold!;
    const added = out.columns.slice(frame.columns.length);
    added.forEach((c, k) => {
      if (c.kind !== 'numeric') return;
      for (const r of trainRows) c.values[r] = values[k][r];
    });
    this.outOfFold = undefined;
    return out;
  }

  protected columns(frame: Frame): Column[] {
    const s = this.state();
    const names = this.outputNames();
    return s.columns.flatMap((c, j) => {
      const codes = this.codes(frame, c.column, c.categories);
      return s.outputs.map((_, k) => numericColumn(names[j * s.outputs.length + k], Float64Array.from(codes, (code) => (code < 0 ? c.means[k] : c.encodings[k][code]))));
    });
  }

  outputNames(): string[] {
    const s = this.state();
    return s.columns.flatMap((c) => s.outputs.map((o) => (o === '' ? `${c.column}_te` : `${c.column}_te_${o}`)));
  }

  protected checkedState(saved: unknown): TargetEncoderState {
    checkStateSchema(this.type, STATE, saved);
    const s = saved as TargetEncoderState;
    const problems: string[] = [];
    if (s.columns.map((c) => c.column).join('\u0000') !== this.params.columns.join('\u0000')) problems.push('its columns are not its options\' columns');
    for (const c of s.columns) {
      if (c.encodings.length !== s.outputs.length || c.means.length !== s.outputs.length) problems.push(`column "${c.column}" has ${c.encodings.length} encodings for ${s.outputs.length} outputs`);
      if (c.encodings.some((e) => e.length !== c.categories.length)) problems.push(`column "${c.column}" has an encoding per category missing`);
    }
    if (problems.length) throw new Error(`${this.type}: saved state: ${problems.join('; ')}`);
    return s;
  }
}
