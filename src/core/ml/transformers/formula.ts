// Column arithmetic: a new numeric column from an expression over numeric columns, as pandas'
// df.eval writes it: + − * / **, parentheses, numbers, column names (bare, or in backquotes when
// they hold spaces or symbols) and the functions log1p, log, exp, sqrt, abs. Parsed by our own
// recursive-descent parser into a tree of data; nothing is ever evaluated as code. A missing input
// gives a missing value; so does a result that is not finite (x / 0, log(−1)), which would
// otherwise stop the preprocessing. Output: the name given.
import { BOOL_MISSING, Column, Frame } from '../../frame';
import { rule, Rule } from '../params';
import { checkStateSchema, S } from '../savedState';
import { inputColumn, numericColumn, Step, StepInput } from './step';

export const FORMULA_FUNCTIONS = { log1p: Math.log1p, log: Math.log, exp: Math.exp, sqrt: Math.sqrt, abs: Math.abs } as const;
type FunctionName = keyof typeof FORMULA_FUNCTIONS;

/** The parsed expression: plain data, saved in the bundle. */
export type Expr =
  | { op: 'num'; value: number }
  | { op: 'col'; name: string }
  | { op: 'neg'; arg: Expr }
  | { op: 'call'; fn: FunctionName; arg: Expr }
  | { op: '+' | '-' | '*' | '/' | '**'; left: Expr; right: Expr };

/** Parses an expression, or throws naming the position and what was expected there. */
export function parseFormula(text: string): Expr {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`expression "${text}": ${what} at character ${pos + 1}`);
  };
  const space = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const eat = (s: string) => {
    space();
    if (text.startsWith(s, pos)) {
      pos += s.length;
      return true;
    }
    return false;
  };
  const atom = (): Expr => {
    space();
    if (eat('(')) {
      const e = sum();
      if (!eat(')')) fail('a closing ")" expected');
      return e;
    }
    if (text[pos] === '`') {
      const end = text.indexOf('`', pos + 1);
      if (end < 0) fail('a closing backquote expected');
      const name = text.slice(pos + 1, end);
      pos = end + 1;
      return { op: 'col', name };
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (num) {
      pos += num[0].length;
      return { op: 'num', value: Number(num[0]) };
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(pos));
    if (!id) return fail(pos >= text.length ? 'the expression ends where a value is expected' : `"${text[pos]}" where a value is expected`);
    pos += id[0].length;
    if (eat('(')) {
      if (!Object.hasOwn(FORMULA_FUNCTIONS, id[0])) fail(`unknown function "${id[0]}" (known: ${Object.keys(FORMULA_FUNCTIONS).join(', ')})`);
      const arg = sum();
      if (!eat(')')) fail('a closing ")" expected');
      return { op: 'call', fn: id[0] as FunctionName, arg };
    }
    return { op: 'col', name: id[0] };
  };
  const power = (): Expr => {
    const base = atom();
    return eat('**') ? { op: '**', left: base, right: unary() } : base; // right-associative, as Python's
  };
  const unary = (): Expr => (eat('-') ? { op: 'neg', arg: unary() } : eat('+') ? unary() : power());
  const product = (): Expr => {
    let e = unary();
    for (;;) {
      space();
      if (text.startsWith('**', pos)) return e;
      if (eat('*')) e = { op: '*', left: e, right: unary() };
      else if (eat('/')) e = { op: '/', left: e, right: unary() };
      else return e;
    }
  };
  const sum = (): Expr => {
    let e = product();
    for (;;) {
      if (eat('+')) e = { op: '+', left: e, right: product() };
      else if (eat('-')) e = { op: '-', left: e, right: product() };
      else return e;
    }
  };
  const e = sum();
  space();
  if (pos < text.length) fail(`"${text[pos]}" where an operator is expected`);
  return e;
}

/** The column names an expression reads, in order of first use. */
export function formulaColumns(e: Expr, out: string[] = []): string[] {
  if (e.op === 'col') {
    if (!out.includes(e.name)) out.push(e.name);
  } else if (e.op === 'neg' || e.op === 'call') formulaColumns(e.arg, out);
  else if (e.op !== 'num') {
    formulaColumns(e.left, out);
    formulaColumns(e.right, out);
  }
  return out;
}

/** Evaluates a parsed expression over columns, row by row, with no code built from text. */
function evaluate(e: Expr, column: (name: string) => Float64Array, n: number): Float64Array {
  switch (e.op) {
    case 'num': return new Float64Array(n).fill(e.value);
    case 'col': return Float64Array.from(column(e.name));
    case 'neg': return evaluate(e.arg, column, n).map((v) => -v);
    case 'call': {
      const f = FORMULA_FUNCTIONS[e.fn];
      return evaluate(e.arg, column, n).map((v) => f(v));
    }
    default: {
      const a = evaluate(e.left, column, n), b = evaluate(e.right, column, n);
      for (let i = 0; i < n; i++) {
        a[i] = e.op === '+' ? a[i] + b[i] : e.op === '-' ? a[i] - b[i] : e.op === '*' ? a[i] * b[i] : e.op === '/' ? a[i] / b[i] : a[i] ** b[i];
      }
      return a;
    }
  }
}

export interface FormulaParams {
  name: string;
  expression: string;
}

const STATE = S.object({ columns: S.vector(S.string, 1) });

export class Formula extends Step<FormulaParams, { columns: string[] }> {
  readonly type = 'formula';
  readonly version = 1;
  private parsed?: Expr;

  constructor(params: Partial<FormulaParams> = {}) {
    super({ name: '', expression: '' }, params);
  }

  private expr(): Expr {
    return (this.parsed ??= parseFormula(this.params.expression));
  }

  protected paramRules(): Rule[] {
    const { name, expression } = this.params;
    const rules: Rule[] = [rule(typeof name === 'string' && name.length > 0, 'name', 'the new column\'s name', name), rule(typeof expression === 'string' && expression.trim().length > 0, 'expression', 'an expression', expression)];
    if (rules.every(([holds]) => holds)) {
      try {
        const columns = formulaColumns(this.expr());
        rules.push([columns.length > 0, `expression "${expression}" reads no column`]);
      } catch (e) {
        rules.push([false, (e as Error).message]);
      }
    }
    return rules;
  }

  inputColumns(): StepInput[] {
    return formulaColumns(this.expr()).map((name) => ({ name, kind: 'numeric' }));
  }

  private numbers(frame: Frame, name: string): Float64Array {
    const c = inputColumn(frame, name, this.type);
    if (c.kind === 'numeric') return c.values;
    if (c.kind === 'boolean') return Float64Array.from(c.values, (v) => (v === BOOL_MISSING ? NaN : v));
    throw new Error(`${frame.source}: column "${name}" holds ${c.kind} values; expression "${this.params.expression}" needs numbers`);
  }

  fit(frame: Frame): this {
    this.checkParams();
    const columns = formulaColumns(this.expr());
    for (const name of columns) this.numbers(frame, name);
    this.learned = { columns };
    return this;
  }

  protected columns(frame: Frame): Column[] {
    this.state();
    const values = evaluate(this.expr(), (name) => this.numbers(frame, name), frame.rows);
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) values[i] = NaN;
    return [numericColumn(this.params.name, values)];
  }

  outputNames(): string[] {
    return [this.params.name];
  }

  protected checkedState(saved: unknown): { columns: string[] } {
    checkStateSchema(this.type, STATE, saved);
    const s = saved as { columns: string[] };
    if (s.columns.join('\u0000') !== formulaColumns(this.expr()).join('\u0000')) throw new Error(`${this.type}: saved state names columns its expression does not read`);
    return s;
  }
}
