// Group aggregations: per value of a key column, a statistic of another column (mean, sum, count,
// std, min, max, nunique), learned from the training rows only and given to every row by its key,
// as pandas' df.groupby(key)[col].transform(stat) on the training rows: values missing in the
// column are skipped, std has ddof 1, a missing key belongs to no group. A key the training rows
// never had (or a missing key) gives a missing value, imputed later as any numeric column.
// Output <col>_<stat>_by_<key>.
import { Column, Frame, isMissingAt } from '../../frame';
import { rule, Rule } from '../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../savedState';
import { groupsOf, inputColumn, numericColumn, Step, StepInput } from './step';

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
    const { group, keys: allKeys } = groupsOf(inputColumn(frame, this.params.groupBy, this.type));
    const col = inputColumn(frame, this.params.column, this.type);
    const stats = this.params.stats;
    const numericStats = stats.filter((s) => s !== 'count' && s !== 'nunique');
    if (numericStats.length && col.kind !== 'numeric') throw new Error(`${frame.source}: column "${this.params.column}" holds ${col.kind} values; ${numericStats.join(', ')} need numbers (count and nunique do not)`);
    // Per group, in typed arrays: present values, their compensated sum (Kahan, as pandas' grouped
    // sums and means), min and max; the squares about the mean in a second pass, for std; the
    // distinct values only when nunique is asked for.
    const k = allKeys.length;
    const seen = new Uint8Array(k), n = new Float64Array(k), sum = new Float64Array(k), carry = new Float64Array(k);
    const min = new Float64Array(k).fill(Infinity), max = new Float64Array(k).fill(-Infinity);
    const { group: valueGroup } = stats.includes('nunique') ? groupsOf(col) : { group: undefined };
    const distinct = valueGroup ? Array.from({ length: k }, () => new Set<number>()) : undefined;
    const values = col.kind === 'numeric' ? col.values : undefined;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r], g = group[i];
      if (g < 0) continue;
      seen[g] = 1;
      if (values) {
        const v = values[i];
        if (v !== v) continue;
        const y = v - carry[g], t = sum[g] + y;
        carry[g] = t - sum[g] - y;
        sum[g] = t;
        if (v < min[g]) min[g] = v;
        if (v > max[g]) max[g] = v;
      } else if (isMissingAt(col, i)) continue;
      n[g]++;
      if (distinct) distinct[g].add(valueGroup![i]);
    }
    let squares: Float64Array | undefined;
    if (stats.includes('std') && values) {
      squares = new Float64Array(k);
      for (let r = 0; r < rows.length; r++) {
        const i = rows[r], g = group[i], v = values[i];
        if (g >= 0 && v === v) squares[g] += (v - sum[g] / n[g]) ** 2;
      }
    }
    const stat = (s: AggregateStat, g: number): number | null => {
      switch (s) {
        case 'count': return n[g];
        case 'nunique': return distinct![g].size;
        case 'sum': return sum[g];
        case 'mean': return n[g] ? sum[g] / n[g] : null;
        case 'min': return n[g] ? min[g] : null;
        case 'max': return n[g] ? max[g] : null;
        case 'std': return n[g] >= 2 ? Math.sqrt(squares![g] / (n[g] - 1)) : null;
      }
    };
    const present = Array.from({ length: k }, (_, g) => g).filter((g) => seen[g]).sort((a, b) => (allKeys[a] < allKeys[b] ? -1 : allKeys[a] > allKeys[b] ? 1 : 0));
    this.learned = { keys: present.map((g) => allKeys[g]), values: stats.map((s) => present.map((g) => stat(s, g))) };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    const { keys, values } = this.state();
    const index = new Map(keys.map((key, i) => [key, i]));
    // A lookup per group of this frame, then an index per row.
    const { group, keys: frameKeys } = groupsOf(inputColumn(frame, this.params.groupBy, this.type));
    const slot = Int32Array.from(frameKeys, (key) => index.get(key) ?? -1);
    const names = this.outputNames();
    return this.params.stats.map((_, s) => {
      const byKey = Float64Array.from(values[s], (v) => v ?? NaN);
      const out = new Float64Array(group.length);
      for (let i = 0; i < group.length; i++) {
        const j = group[i] < 0 ? -1 : slot[group[i]];
        out[i] = j < 0 ? NaN : byKey[j];
      }
      return numericColumn(names[s], out);
    });
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
