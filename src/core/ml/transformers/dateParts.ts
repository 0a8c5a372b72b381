// Date parts: a datetime column (UTC epoch ms) becomes year, month, day of week (Monday 0, as
// pandas), weekend (0/1) and hour, or the parts asked for, named "<col>.<part>". Nothing is
// learned; a missing time gives a missing value in every part, which the imputer after it fills.
import { rule, Rule } from '../params';
import { checkStateSchema, S } from '../savedState';
import { calendar } from './calendar';
import { Block, BlockKind, ColumnStep, expect } from './column';

export const DATETIME_PARTS = ['year', 'month', 'dayofweek', 'weekend', 'hour'] as const;
export type DatetimePart = (typeof DATETIME_PARTS)[number];

/** Year, month (1-12), day of week (Monday 0, as pandas), weekend (0/1), hour of a UTC epoch-ms time. */
export function datetimeParts(ms: number): number[] {
  const c = calendar(ms);
  return [c.year, c.month, c.dayofweek, c.weekend, c.hour];
}

export interface DatePartsParams {
  parts: DatetimePart[];
}

type Empty = Record<string, never>;

export class DateParts extends ColumnStep<DatePartsParams, Empty> {
  readonly type = 'dateParts';
  readonly version = 1;
  readonly accepts = 'numbers';

  constructor(params: Partial<DatePartsParams> = {}) {
    super({ parts: [...DATETIME_PARTS] }, params);
  }

  protected paramRules(): Rule[] {
    const parts = this.params.parts;
    const ok = Array.isArray(parts) && parts.length > 0 && new Set(parts).size === parts.length;
    const unknown = Array.isArray(parts) ? parts.filter((w) => !DATETIME_PARTS.includes(w)) : [];
    return [
      rule(ok && unknown.length === 0, 'parts', `some of ${DATETIME_PARTS.join(', ')}, each once${unknown.length ? `, not ${unknown.join(', ')}` : ''}`, parts),
    ];
  }

  outputKind(): BlockKind {
    return 'numbers';
  }

  fit(block: Block): this {
    this.checkParams();
    expect(block, 'numbers', this.type);
    this.learned = {};
    return this;
  }

  transform(block: Block): Block {
    this.state();
    const b = expect(block, 'numbers', this.type);
    const at = this.params.parts.map((p) => DATETIME_PARTS.indexOf(p));
    const times = b.values[0];
    const out = at.map(() => new Float64Array(times.length));
    for (let i = 0; i < times.length; i++) {
      const ms = times[i];
      if (ms !== ms) {
        for (const o of out) o[i] = NaN;
        continue;
      }
      const all = datetimeParts(ms);
      for (let k = 0; k < at.length; k++) out[k][i] = all[at[k]];
    }
    return { kind: 'numbers', names: this.outputNames(b.names), values: out };
  }

  outputNames(input: string[]): string[] {
    return this.params.parts.map((p) => `${input[0]}.${p}`);
  }

  stateRules(width: number, kind: string): Rule[] {
    return [[width === 1 && kind === 'numbers', `date parts read one column of times, not ${width} of ${kind}`]];
  }

  protected checkedState(saved: unknown): Empty {
    checkStateSchema(this.type, S.object({}), saved);
    return {};
  }
}
