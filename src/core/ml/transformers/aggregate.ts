// Group aggregations: per value of a key column, a statistic of another column (mean, sum, count,
// std, min, max, nunique), learned from the training rows only and given to every row by its key,
// as pandas' df.groupby(key)[col].transform(stat) on the training rows: values missing in the
// column are skipped, std has ddof 1, a missing key belongs to no group. A key the training rows
// never had (or a missing key) gives a missing value, imputed later as any numeric column.
// Output <col>_<stat>_by_<key>.
import type { Column, Frame } from '../../frame';
import { rule, Rule } from '../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../savedState';
import { inputColumn, numericColumn, Step, StepInput, textOf } from './step';

export const AGGREGATE_STATS = ['mean', 'sum', 'count', 'std', 'min', 'max', 'nunique'] as const;
export type AggregateStat = (typeof AGGREGATE_STATS)[number];

export interface AggregateParams {
  groupBy: string;
  column: string;
  stats: AggregateStat[];
}

interface AggregateState {
  keys: string[];
  /** Per stat, its value per key (null where pandas gives NaN: the std of one value). */
  values: (number | null)[][];
}

const STATE = S.object({ keys: S.vector(S.string), values: S.vector(S.vector({ type: ['number', 'null'] })) });

class Group {
  n = 0;
  sum = 0;
  private c = 0; // Kahan compensation, as pandas' grouped sums and means
  min = Infinity;
  max = -Infinity;
  values: number[] = [];
  distinct = new Set<string>();
  add(v: number): void {
    this.n++;
    const y = v - this.c, t = this.sum + y;
    this.c = t - this.sum - y;
    this.sum = t;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.values.push(v);
  }
  stat(s: AggregateStat): number | null {
    switch (s) {
      case 'count': return this.n;
      case 'nunique': return this.distinct.size;
      case 'sum': return this.sum;
      case 'mean': return this.n ? this.sum / this.n : null;
      case 'min': return this.n ? this.min : null;
      case 'max': return this.n ? this.max : null;
      case 'std': {
        if (this.n < 2) return null;
        const mean = this.sum / this.n;
        let ss = 0;
        for (const v of this.values) ss += (v - mean) ** 2;
        return Math.sqrt(ss / (this.n - 1));
      }
    }
  }
}

export class Aggregate extends Step<AggregateParams, AggregateState> {
  readonly type = 'aggregate';
  readonly version = 1;

  constructor(params: Partial<AggregateParams> = {}) {
    super({ groupBy: '', column: '', stats: ['mean'] }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    return [
      rule(typeof p.groupBy === 'string' && p.groupBy.length > 0, 'groupBy', 'a column name', p.groupBy),
      rule(typeof p.column === 'string' && p.column.length > 0 && p.column !== p.groupBy, 'column', 'a column name other than groupBy', p.column),
      rule(Array.isArray(p.stats) && p.stats.length > 0 && p.stats.every((s) => (AGGREGATE_STATS as readonly string[]).includes(s)) && new Set(p.stats).size === p.stats.length, 'stats', `distinct statistics from ${AGGREGATE_STATS.join(', ')}`, p.stats),
    ];
  }

  inputColumns(): StepInput[] {
    const numeric = this.params.stats.some((s) => s !== 'count' && s !== 'nunique');
    return [{ name: this.params.groupBy, kind: 'categorical' }, { name: this.params.column, kind: numeric ? 'numeric' : 'categorical' }];
  }

  fit(frame: Frame, rows: ArrayLike<number>): this {
    this.checkParams();
    const key = textOf(inputColumn(frame, this.params.groupBy, this.type));
    const col = inputColumn(frame, this.params.column, this.type);
    const numericStats = this.params.stats.filter((s) => s !== 'count' && s !== 'nunique');
    if (numericStats.length && col.kind !== 'numeric') throw new Error(`${frame.source}: column "${this.params.column}" holds ${col.kind} values; ${numericStats.join(', ')} need numbers (count and nunique do not)`);
    const text = textOf(col);
    const value = col.kind === 'numeric' ? (i: number) => col.values[i] : () => NaN;
    const groups = new Map<string, Group>();
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r];
      const k = key(i);
      if (k === null) continue;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = new Group()));
      const t = text(i);
      if (t === null) continue;
      g.distinct.add(t);
      if (col.kind === 'numeric') g.add(value(i));
      else g.n++;
    }
    const keys = [...groups.keys()].sort();
    this.learned = { keys, values: this.params.stats.map((s) => keys.map((k) => groups.get(k)!.stat(s))) };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    const { keys, values } = this.state();
    const index = new Map(keys.map((k, i) => [k, i]));
    const key = textOf(inputColumn(frame, this.params.groupBy, this.type));
    const at = Int32Array.from({ length: frame.rows }, (_, i) => {
      const k = key(i);
      return k === null ? -1 : index.get(k) ?? -1;
    });
    const names = this.outputNames();
    return this.params.stats.map((_, s) => numericColumn(names[s], Float64Array.from(at, (g) => (g < 0 ? NaN : values[s][g] ?? NaN))));
  }

  outputNames(): string[] {
    return this.params.stats.map((s) => `${this.params.column}_${s}_by_${this.params.groupBy}`);
  }

  protected checkedState(saved: unknown): AggregateState {
    checkStateSchema(this.type, STATE, saved);
    const s = saved as AggregateState;
    checkStateShapes(this.type, [sized('values', s.values.length, this.params.stats.length), ...s.values.map((v, i) => sized(`values[${i}]`, v.length, s.keys.length))]);
    return s;
  }
}
