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
import { groupsOf, inputColumn, numericColumn, Step, StepInput } from './step';

// The order is the same for every step on one frame (a lag and a rolling mean by the same keys):
// computed once per time column and key column, and kept while those columns live.
const orders = new WeakMap<Column, Map<Column | null, Int32Array[]>>();

/** Per group, its rows in time order (stable; rows without a time last): one group without groupBy; a row without a key in none. */
export function timeOrder(frame: Frame, orderBy: string, groupBy: string | null, step: string): Int32Array[] {
  const t = inputColumn(frame, orderBy, step);
  if (t.kind !== 'datetime' && t.kind !== 'numeric') throw new Error(`${frame.source}: column "${orderBy}" holds ${t.kind} values; ordering needs times or numbers`);
  const g = groupBy ? inputColumn(frame, groupBy, step) : null;
  const cached = orders.get(t)?.get(g);
  if (cached) return cached;
  const time = t.values;
  const n = frame.rows;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (time[i - 1] <= time[i]) continue;
    sorted = time[i - 1] === time[i - 1] && time[i] !== time[i] && restMissing(time, i); // missing times may end a sorted column
    break;
  }
  // Already in time order (a log) needs no sort; else a stable counting sort on each row's rank
  // among the distinct times: a comparator sort of flights' 3M rows took 1.2 s.
  const order = new Int32Array(n);
  if (sorted) for (let i = 0; i < n; i++) order[i] = i;
  else {
    // The distinct present times, ascending (a typed array sorts NaN last); rank u is "missing".
    const distinct = Float64Array.from(time).sort();
    let u = 0;
    for (let i = 0; i < n; i++) {
      const v = distinct[i];
      if (v !== v) break;
      if (u === 0 || v !== distinct[u - 1]) distinct[u++] = v;
    }
    const rank = new Int32Array(n);
    const starts = new Int32Array(u + 2);
    for (let i = 0; i < n; i++) {
      const v = time[i];
      let lo = u;
      if (v === v) {
        lo = 0;
        let hi = u - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (distinct[mid] < v) lo = mid + 1;
          else hi = mid;
        }
      }
      rank[i] = lo;
      starts[lo + 1]++;
    }
    for (let r = 0; r <= u; r++) starts[r + 1] += starts[r];
    for (let i = 0; i < n; i++) order[starts[rank[i]]++] = i;
  }
  let result: Int32Array[];
  if (!g) result = [order];
  else {
    const { group, keys } = groupsOf(g);
    const counts = new Int32Array(keys.length);
    for (let i = 0; i < n; i++) if (group[i] >= 0) counts[group[i]]++;
    const lists = Array.from(counts, (c) => new Int32Array(c));
    const filled = new Int32Array(keys.length);
    for (const i of order) {
      const k = group[i];
      if (k >= 0) lists[k][filled[k]++] = i; // a row without a key is in no group (pandas' groupby drops it): its features are missing
    }
    result = lists.filter((l) => l.length > 0);
  }
  let byGroup = orders.get(t);
  if (!byGroup) orders.set(t, (byGroup = new Map()));
  byGroup.set(g, result);
  return result;
}

/** Whether every value from i on is missing (missing times sort last, so a sorted column may end in them). */
function restMissing(time: Float64Array, i: number): boolean {
  for (let j = i; j < time.length; j++) if (time[j] === time[j]) return false;
  return true;
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

/** What a lag and a rolling window share: a numeric column read in a time column's order, within groups; nothing learned but names. */
abstract class HistoryStep<P extends { column: string; orderBy: string; groupBy: string | null }> extends Step<P, { names: string[] }> {
  /** The rules of the options the two share. */
  protected historyRules(): Rule[] {
    const p = this.params;
    return [
      rule(typeof p.column === 'string' && p.column.length > 0, 'column', 'a column name', p.column),
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

  protected checkedState(saved: unknown): { names: string[] } {
    checkStateSchema(this.type, NAMES, saved);
    return saved as { names: string[] };
  }
}

export class Lag extends HistoryStep<LagParams> {
  readonly type = 'lag';
  readonly version = 1;

  constructor(params: Partial<LagParams> = {}) {
    super({ column: '', lags: [1], orderBy: '', groupBy: null }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    return [
      ...this.historyRules(),
      rule(Array.isArray(p.lags) && p.lags.length > 0 && p.lags.every((k) => Number.isInteger(k) && k >= 1 && k <= 10_000) && new Set(p.lags).size === p.lags.length, 'lags', 'distinct whole numbers from 1 to 10,000', p.lags),
    ];
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

export class Rolling extends HistoryStep<RollingParams> {
  readonly type = 'rolling';
  readonly version = 1;

  constructor(params: Partial<RollingParams> = {}) {
    super({ column: '', window: 7, stats: ['mean'], orderBy: '', groupBy: null, includeCurrent: false }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    return [
      ...this.historyRules(),
      wholeIn('window', p.window, 1, 10_000),
      rule(Array.isArray(p.stats) && p.stats.length > 0 && p.stats.every((s) => (ROLLING_STATS as readonly string[]).includes(s)) && new Set(p.stats).size === p.stats.length, 'stats', `distinct statistics from ${ROLLING_STATS.join(', ')}`, p.stats),
      oneOf('includeCurrent', p.includeCurrent, [true, false]),
    ];
  }

  protected columns(frame: Frame): Column[] {
    const { window: w, stats, includeCurrent } = this.params;
    const x = numbers(frame, this.params.column, this.type);
    const groups = timeOrder(frame, this.params.orderBy, this.params.groupBy, this.type);
    const outs = stats.map(() => new Float64Array(frame.rows).fill(NaN));
    const shift = includeCurrent ? 0 : 1;
    for (const rows of groups) {
      // A running sum over the window and a count of its missing values; min, max and std read
      // the window's w values (pandas' min_periods = w: a window with a missing value is missing).
      // The running sum is compensated (Kahan), as pandas' rolling sums are.
      let sum = 0, carry = 0, missing = 0;
      const add = (v: number) => {
        const y = v - carry, t = sum + y;
        carry = t - sum - y;
        sum = t;
      };
      for (let p = 0; p < rows.length; p++) {
        const end = p - shift;
        if (end >= 0) {
          const v = x[rows[end]];
          if (v === v) add(v);
          else missing++;
          const leaving = end - w;
          if (leaving >= 0) {
            const u = x[rows[leaving]];
            if (u === u) add(-u);
            else missing--;
          }
        }
        if (end - w + 1 < 0 || missing > 0) continue;
        for (let j = 0; j < stats.length; j++) outs[j][rows[p]] = rollingStat(x, rows, end - w + 1, end, stats[j], sum);
      }
    }
    return outs.map((values, j) => numericColumn(this.outputNames()[j], values));
  }

  outputNames(): string[] {
    return this.params.stats.map((s) => `${this.params.column}_rolling_${this.params.window}_${s}`);
  }
}

/** A statistic of x over rows[from..to] (w present values), the window's running sum given. */
function rollingStat(x: Float64Array, rows: Int32Array, from: number, to: number, s: RollingStat, sum: number): number {
  const n = to - from + 1;
  switch (s) {
    case 'sum': return sum;
    case 'mean': return sum / n;
    case 'min': {
      let m = Infinity;
      for (let q = from; q <= to; q++) if (x[rows[q]] < m) m = x[rows[q]];
      return m;
    }
    case 'max': {
      let m = -Infinity;
      for (let q = from; q <= to; q++) if (x[rows[q]] > m) m = x[rows[q]];
      return m;
    }
    case 'std': {
      if (n < 2) return NaN;
      let mean = 0;
      for (let q = from; q <= to; q++) mean += x[rows[q]];
      mean /= n;
      let ss = 0;
      for (let q = from; q <= to; q++) ss += (x[rows[q]] - mean) ** 2;
      return Math.sqrt(ss / (n - 1));
    }
  }
}
