// Time features of a datetime column, as pandas' dt accessors give them (year, month, day,
// dayofweek, weekend, hour, minute, dayofyear) and sin/cos cyclical encodings of month, day of
// week and hour (sin(2π·month/12), …), so that December sits beside January. Output
// <col>_<field>; a missing time gives missing fields. Nothing is learned: a step all the same, so
// that prediction replays it.
import type { Column, Frame } from '../../frame';
import { rule, Rule } from '../params';
import { checkStateSchema, S } from '../savedState';
import { calendar, CalendarFields } from './calendar';
import { inputColumn, numericColumn, Step, StepInput } from './step';

export const TIME_FIELDS = ['year', 'month', 'day', 'dayofweek', 'weekend', 'hour', 'minute', 'dayofyear', 'month_sin', 'month_cos', 'dayofweek_sin', 'dayofweek_cos', 'hour_sin', 'hour_cos'] as const;
export type TimeField = (typeof TIME_FIELDS)[number];

const CYCLES: Record<string, [keyof CalendarFields, number]> = { month: ['month', 12], dayofweek: ['dayofweek', 7], hour: ['hour', 24] };

function field(c: CalendarFields, f: TimeField): number {
  const m = /^(month|dayofweek|hour)_(sin|cos)$/.exec(f);
  if (!m) return c[f as keyof CalendarFields];
  const [key, period] = CYCLES[m[1]];
  const angle = (2 * Math.PI * c[key]) / period;
  return m[2] === 'sin' ? Math.sin(angle) : Math.cos(angle);
}

export interface TimeFeaturesParams {
  column: string;
  features: TimeField[];
}

const STATE = S.object({ names: S.vector(S.string) });

export class TimeFeatures extends Step<TimeFeaturesParams, { names: string[] }> {
  readonly type = 'timeFeatures';
  readonly version = 1;

  constructor(params: Partial<TimeFeaturesParams> = {}) {
    super({ column: '', features: [...TIME_FIELDS] }, params);
  }

  protected paramRules(): Rule[] {
    const { column, features } = this.params;
    return [
      rule(typeof column === 'string' && column.length > 0, 'column', 'a column name', column),
      rule(Array.isArray(features) && features.length > 0 && features.every((f) => (TIME_FIELDS as readonly string[]).includes(f)) && new Set(features).size === features.length,
        'features', `a list of distinct fields from ${TIME_FIELDS.join(', ')}`, features),
    ];
  }

  inputColumns(): StepInput[] {
    return [{ name: this.params.column, kind: 'datetime' }];
  }

  fit(frame: Frame): this {
    this.checkParams();
    const kind = inputColumn(frame, this.params.column, this.type).kind;
    if (kind !== 'datetime') throw new Error(`${frame.source}: column "${this.params.column}" holds ${kind} values; time features need dates or times`);
    this.learned = { names: this.params.features.map((f) => `${this.params.column}_${f}`) };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    const { names } = this.state();
    const col = inputColumn(frame, this.params.column, this.type);
    if (col.kind !== 'datetime') throw new Error(`${frame.source}: column "${this.params.column}" holds ${col.kind} values; the model's time features need dates or times`);
    const out = this.params.features.map(() => new Float64Array(frame.rows));
    for (let i = 0; i < frame.rows; i++) {
      const ms = col.values[i];
      if (ms !== ms) {
        for (const o of out) o[i] = NaN;
        continue;
      }
      const c = calendar(ms);
      this.params.features.forEach((f, k) => (out[k][i] = field(c, f)));
    }
    return out.map((values, k) => numericColumn(names[k], values));
  }

  outputNames(): string[] {
    return [...this.state().names];
  }

  protected checkedState(saved: unknown): { names: string[] } {
    checkStateSchema(this.type, STATE, saved);
    const s = saved as { names: string[] };
    const expected = this.params.features.map((f) => `${this.params.column}_${f}`);
    if (s.names.join('\u0000') !== expected.join('\u0000')) throw new Error(`${this.type}: saved state names columns other than its features make`);
    return s;
  }
}
