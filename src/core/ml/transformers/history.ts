// Lags and rolling windows: features from a column's earlier rows, in the order of a time column
// and, with groupBy, within each group (a store's sales lag that store's, not the previous row's
// of another store). Rows are ordered by the time column with ties in file order (a stable sort),
// rows without a time last. Nothing is learned: each frame is its own history, so a CSV to predict
// must hold the rows before the ones it predicts (a server answers a row without them with 422).
// By default a window covers the previous rows only, pandas'
// groupby(key)[col].transform(lambda s: s.shift(1).rolling(w).stat()); includeCurrent: true gives
// rolling(w) as a course writes it, which on the target itself puts the answer in the features.
// A window needs all w values (pandas' min_periods = w, missing values not counted).
// Output <col>_lag_<k> and <col>_rolling_<w>_<stat>. A session with these steps splits and folds
// by time (session.ts): test rows after training rows, folds as TimeSeriesSplit.
import { BOOL_MISSING, Column, Frame } from '../../frame';
import { oneOf, rule, Rule, wholeIn } from '../params';
import { checkStateSchema, S } from '../savedState';
import { inputColumn, numericColumn, Step, StepInput, textOf } from './step';

/** Per group, its rows in time order (stable; rows without a time last): one group without groupBy; a row without a key in none. */
export function timeOrder(frame: Frame, orderBy: string, groupBy: string | null, step: string): Int32Array[] {
  const t = inputColumn(frame, orderBy, step);
  if (t.kind !== 'datetime' && t.kind !== 'numeric') throw new Error(`${frame.source}: column "${orderBy}" holds ${t.kind} values; ordering needs times or numbers`);
  const order = Int32Array.from({ length: frame.rows }, (_, i) => i).sort((a, b) => {
    const x = t.values[a], y = t.values[b];
    if (x !== x) return y !== y ? a - b : 1;
    if (y !== y) return -1;
    return x - y || a - b;
  });
  if (!groupBy) return [order];
  const keyOf = textOf(inputColumn(frame, groupBy, step));
  const groups = new Map<string, number[]>();
  for (const i of order) {
    const k = keyOf(i);
    if (k === null) continue; // a row without a key is in no group (pandas' groupby drops it): its features are missing
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(i);
  }
  return [...groups.values()].map((l) => Int32Array.from(l));
}

function numbers(frame: Frame, name: string, step: string): Float64Array {
  const c = inputColumn(frame, name, step);
  if (c.kind === 'numeric') return c.values;
  if (c.kind === 'boolean') return Float64Array.from(c.values, (v) => (v === BOOL_MISSING ? NaN : v));
  throw new Error(`${frame.source}: column "${name}" holds ${c.kind} values; ${step} features need numbers`);
}

const NAMES = S.object({ names: S.vector(S.string, 1) });

export interface LagParams {
  column: string;
  lags: number[];
  orderBy: string;
  groupBy: string | null;
}

export class Lag extends Step<LagParams, { names: string[] }> {
  readonly type = 'lag';
  readonly version = 1;

  constructor(params: Partial<LagParams> = {}) {
    super({ column: '', lags: [1], orderBy: '', groupBy: null }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    return [
      rule(typeof p.column === 'string' && p.column.length > 0, 'column', 'a column name', p.column),
      rule(Array.isArray(p.lags) && p.lags.length > 0 && p.lags.every((k) => Number.isInteger(k) && k >= 1 && k <= 10_000) && new Set(p.lags).size === p.lags.length, 'lags', 'distinct whole numbers from 1 to 10,000', p.lags),
      rule(typeof p.orderBy === 'string' && p.orderBy.length > 0, 'orderBy', 'the time column', p.orderBy),
      rule(p.groupBy === null || (typeof p.groupBy === 'string' && p.groupBy.length > 0), 'groupBy', 'a column name or null', p.groupBy),
    ];
  }

  inputColumns(): StepInput[] {
    const p = this.params;
    return [{ name: p.column, kind: 'numeric' }, { name: p.orderBy, kind: 'datetime' }, ...(p.groupBy ? [{ name: p.groupBy, kind: 'categorical' as const }] : [])];
  }

  fit(frame: Frame): this {
    this.checkParams();
    numbers(frame, this.params.column, this.type);
    timeOrder(frame, this.params.orderBy, this.params.groupBy, this.type);
    this.learned = { names: this.outputNames() };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    const x = numbers(frame, this.params.column, this.type);
    const groups = timeOrder(frame, this.params.orderBy, this.params.groupBy, this.type);
    return this.params.lags.map((k, j) => {
      const out = new Float64Array(frame.rows).fill(NaN);
      for (const rows of groups) for (let p = k; p < rows.length; p++) out[rows[p]] = x[rows[p - k]];
      return numericColumn(this.outputNames()[j], out);
    });
  }

  outputNames(): string[] {
    return this.params.lags.map((k) => `${this.params.column}_lag_${k}`);
  }

  protected checkedState(saved: unknown): { names: string[] } {
    checkStateSchema(this.type, NAMES, saved);
    return saved as { names: string[] };
  }
}

export const ROLLING_STATS = ['mean', 'sum', 'std', 'min', 'max'] as const;
export type RollingStat = (typeof ROLLING_STATS)[number];

export interface RollingParams {
  column: string;
  window: number;
  stats: RollingStat[];
  orderBy: string;
  groupBy: string | null;
  includeCurrent: boolean;
}

export class Rolling extends Step<RollingParams, { names: string[] }> {
  readonly type = 'rolling';
  readonly version = 1;

  constructor(params: Partial<RollingParams> = {}) {
    super({ column: '', window: 7, stats: ['mean'], orderBy: '', groupBy: null, includeCurrent: false }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    return [
      rule(typeof p.column === 'string' && p.column.length > 0, 'column', 'a column name', p.column),
      wholeIn('window', p.window, 1, 10_000),
      rule(Array.isArray(p.stats) && p.stats.length > 0 && p.stats.every((s) => (ROLLING_STATS as readonly string[]).includes(s)) && new Set(p.stats).size === p.stats.length, 'stats', `distinct statistics from ${ROLLING_STATS.join(', ')}`, p.stats),
      rule(typeof p.orderBy === 'string' && p.orderBy.length > 0, 'orderBy', 'the time column', p.orderBy),
      rule(p.groupBy === null || (typeof p.groupBy === 'string' && p.groupBy.length > 0), 'groupBy', 'a column name or null', p.groupBy),
      oneOf('includeCurrent', p.includeCurrent, [true, false]),
    ];
  }

  inputColumns(): StepInput[] {
    const p = this.params;
    return [{ name: p.column, kind: 'numeric' }, { name: p.orderBy, kind: 'datetime' }, ...(p.groupBy ? [{ name: p.groupBy, kind: 'categorical' as const }] : [])];
  }

  fit(frame: Frame): this {
    this.checkParams();
    numbers(frame, this.params.column, this.type);
    timeOrder(frame, this.params.orderBy, this.params.groupBy, this.type);
    this.learned = { names: this.outputNames() };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    const { window: w, stats, includeCurrent } = this.params;
    const x = numbers(frame, this.params.column, this.type);
    const groups = timeOrder(frame, this.params.orderBy, this.params.groupBy, this.type);
    const outs = stats.map(() => new Float64Array(frame.rows).fill(NaN));
    const shift = includeCurrent ? 0 : 1;
    const win: number[] = [];
    for (const rows of groups) {
      for (let p = 0; p < rows.length; p++) {
        // The window: positions p − shift − w + 1 … p − shift of this group, every value present.
        const end = p - shift;
        if (end - w + 1 < 0) continue;
        win.length = 0;
        for (let q = end - w + 1; q <= end; q++) win.push(x[rows[q]]);
        if (win.some((v) => v !== v)) continue;
        stats.forEach((s, j) => (outs[j][rows[p]] = rollingStat(win, s)));
      }
    }
    return outs.map((values, j) => numericColumn(this.outputNames()[j], values));
  }

  outputNames(): string[] {
    return this.params.stats.map((s) => `${this.params.column}_rolling_${this.params.window}_${s}`);
  }

  protected checkedState(saved: unknown): { names: string[] } {
    checkStateSchema(this.type, NAMES, saved);
    return saved as { names: string[] };
  }
}

function rollingStat(v: number[], s: RollingStat): number {
  const n = v.length;
  let sum = 0;
  for (const x of v) sum += x;
  switch (s) {
    case 'sum': return sum;
    case 'mean': return sum / n;
    case 'min': return Math.min(...v);
    case 'max': return Math.max(...v);
    case 'std': {
      if (n < 2) return NaN;
      const mean = sum / n;
      let ss = 0;
      for (const x of v) ss += (x - mean) ** 2;
      return Math.sqrt(ss / (n - 1));
    }
  }
}
