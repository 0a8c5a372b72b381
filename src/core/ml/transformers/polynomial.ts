// Polynomial and interaction features, as scikit-learn's PolynomialFeatures on chosen numeric
// columns: the terms in its order and with its names (get_feature_names_out: "a^2", "a b"). The
// inputs are kept as they are (they are the frame's columns already), so the step adds the terms
// of degree 2 and more, and the bias column "1" when asked. A missing input makes its terms
// missing (imputed later, as any numeric column). Nothing is learned but the column names.
import type { Column, Frame } from '../../frame';
import { BOOL_MISSING } from '../../frame';
import { oneOf, rule, Rule, wholeIn } from '../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../savedState';
import { inputColumn, MAX_STEP_COLUMNS, numericColumn, Step, StepInput } from './step';

export interface PolynomialParams {
  columns: string[];
  degree: number;
  interactionOnly: boolean;
  includeBias: boolean;
}

interface PolynomialState {
  /** Per added column, the power of each input column. */
  powers: number[][];
  names: string[];
}

/** Every multiset (or set, interactionOnly) of input indices of size `size`, in itertools' order. */
function combinations(n: number, size: number, repeat: boolean): number[][] {
  const out: number[][] = [];
  const pick: number[] = [];
  const walk = (from: number) => {
    if (pick.length === size) return void out.push([...pick]);
    for (let i = from; i < n; i++) {
      pick.push(i);
      walk(repeat ? i : i + 1);
      pick.pop();
    }
  };
  walk(0);
  return out;
}

const binomial = (n: number, k: number): number => {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
};

/** How many columns the step adds, counted without building them. */
export function polynomialWidth(inputs: number, degree: number, interactionOnly: boolean, includeBias: boolean): number {
  let n = includeBias ? 1 : 0;
  for (let d = 2; d <= degree; d++) n += interactionOnly ? binomial(inputs, d) : binomial(inputs + d - 1, d);
  return n;
}

const STATE = S.object({ powers: S.vector(S.vector(S.whole(0))), names: S.vector(S.string) });

export class PolynomialFeatures extends Step<PolynomialParams, PolynomialState> {
  readonly type = 'polynomial';
  readonly version = 1;

  constructor(params: Partial<PolynomialParams> = {}) {
    super({ columns: [], degree: 2, interactionOnly: false, includeBias: false }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    const rules: Rule[] = [
      rule(Array.isArray(p.columns) && p.columns.length > 0 && p.columns.every((c) => typeof c === 'string') && new Set(p.columns).size === p.columns.length, 'columns', 'a list of distinct column names', p.columns),
      wholeIn('degree', p.degree, 1, 10),
      oneOf('interactionOnly', p.interactionOnly, [true, false]),
      oneOf('includeBias', p.includeBias, [true, false]),
    ];
    if (rules.every(([holds]) => holds)) {
      const width = polynomialWidth(p.columns.length, p.degree, p.interactionOnly, p.includeBias);
      rules.push([width <= MAX_STEP_COLUMNS, `degree ${p.degree} on ${p.columns.length} columns${p.interactionOnly ? ' (interactions only)' : ''} adds ${width.toLocaleString('en-US')} columns, past the ${MAX_STEP_COLUMNS.toLocaleString('en-US')} a step may add; choose fewer columns, a lower degree, or interactionOnly`]);
    }
    return rules;
  }

  inputColumns(): StepInput[] {
    return this.params.columns.map((name) => ({ name, kind: 'numeric' }));
  }

  fit(frame: Frame): this {
    this.checkParams();
    const { columns, degree, interactionOnly, includeBias } = this.params;
    for (const name of columns) {
      const kind = inputColumn(frame, name, this.type).kind;
      if (kind !== 'numeric' && kind !== 'boolean') throw new Error(`${frame.source}: column "${name}" holds ${kind} values; polynomial features need numbers`);
    }
    const terms: number[][] = includeBias ? [[]] : [];
    for (let d = 2; d <= degree; d++) terms.push(...combinations(columns.length, d, !interactionOnly));
    const powers = terms.map((t) => {
      const pw = new Array<number>(columns.length).fill(0);
      for (const i of t) pw[i]++;
      return pw;
    });
    const names = powers.map((pw) => (pw.every((x) => x === 0) ? '1' : pw.flatMap((x, i) => (x === 0 ? [] : [x === 1 ? columns[i] : `${columns[i]}^${x}`])).join(' ')));
    this.learned = { powers, names };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    const { powers, names } = this.state();
    const inputs = this.params.columns.map((name) => {
      const c = inputColumn(frame, name, this.type);
      if (c.kind === 'numeric') return c.values;
      if (c.kind === 'boolean') return Float64Array.from(c.values, (v) => (v === BOOL_MISSING ? NaN : v));
      throw new Error(`${frame.source}: column "${name}" holds ${c.kind} values; polynomial features need numbers`);
    });
    return powers.map((pw, t) => {
      // Multiplied in scikit-learn's order: the term (i1 ≤ … ≤ id) is x[i1] · (… · (x[id−1] · x[id])),
      // so that its values are its values to the last bit.
      const factors = pw.flatMap((power, j) => new Array<number>(power).fill(j));
      if (factors.length === 0) return numericColumn(names[t], new Float64Array(frame.rows).fill(1));
      const out = Float64Array.from(inputs[factors[factors.length - 1]]);
      for (let k = factors.length - 2; k >= 0; k--) {
        const x = inputs[factors[k]];
        for (let i = 0; i < out.length; i++) out[i] = x[i] * out[i];
      }
      return numericColumn(names[t], out);
    });
  }

  outputNames(): string[] {
    return [...this.state().names];
  }

  protected checkedState(saved: unknown): PolynomialState {
    checkStateSchema(this.type, STATE, saved);
    const s = saved as PolynomialState;
    checkStateShapes(this.type, [sized('names', s.names.length, s.powers.length), ...s.powers.map((pw, i) => sized(`powers[${i}]`, pw.length, this.params.columns.length))]);
    return s;
  }
}
