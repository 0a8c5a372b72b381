// Feature steps: scikit-learn's transformer shape over frames. A step takes its parameters in the
// constructor and checks them at fit; learns from the training rows only (fit(frame, rows, target));
// then adds its new columns, after the frame's own, to any frame (transform); names them
// (outputNames); and saves what it learned as versioned JSON that loads back through checks, with
// nothing executed. Training, prediction and (later) serving and ONNX export replay the same
// saved steps, so a step's state stays plain: numbers, strings, arrays.
import { BOOL_MISSING, CODE_MISSING, Column, Frame } from '../../frame';
import { checkParams, Rule } from '../params';
import type { Target } from '../preprocess';

/** A column a step reads, and the kind of values it needs (a bundle's input schema names it). */
export interface StepInput {
  name: string;
  kind: 'numeric' | 'datetime' | 'categorical';
}

/** A step as a bundle or run spec holds it. */
export interface SavedStep<P = Record<string, unknown>, S = unknown> {
  type: string;
  version: number;
  params: P;
  state: S;
}

/** The most columns one step may add: past it, a choice (degree 4 on 40 columns) is refused with what to change. */
export const MAX_STEP_COLUMNS = 1000;

export abstract class Step<P extends object, S> {
  abstract readonly type: string;
  abstract readonly version: number;
  params: P;
  protected learned?: S;

  constructor(defaults: P, params: Partial<P> = {}) {
    for (const k of Object.keys(params)) {
      if (!Object.hasOwn(defaults, k)) throw new Error(`${this.constructor.name}: unknown option "${k}" (known: ${Object.keys(defaults).join(', ')})`);
    }
    this.params = { ...defaults, ...params };
  }

  /** The rules its parameters must satisfy, named as run specs name them. */
  protected abstract paramRules(): Rule[];

  /** Throws one error naming every option out of range. */
  checkParams(): this {
    checkParams(this.type, this.paramRules());
    return this;
  }

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  protected state(): S {
    if (!this.learned) throw new Error(`the ${this.type} step is not fitted yet: call fit first`);
    return this.learned;
  }

  /** The columns it reads, with the kind of values it needs in them. */
  abstract inputColumns(): StepInput[];

  /** Learns from the given rows (the training split) of the frame. */
  abstract fit(frame: Frame, rows: ArrayLike<number>, target?: Target): this;

  /** The new columns for every row of the frame. */
  protected abstract columns(frame: Frame): Column[];

  /** The frame with this step's columns added after its own. */
  transform(frame: Frame): Frame {
    this.state();
    const added = this.columns(frame);
    const clash = added.filter((c) => frame.columns.some((f) => f.name === c.name));
    if (clash.length) throw new Error(`${frame.source}: the ${this.type} step would add ${clash.map((c) => `"${c.name}"`).join(', ')}, which the data already has; rename the column or drop it`);
    return { ...frame, columns: [...frame.columns, ...added] };
  }

  fitTransform(frame: Frame, rows: ArrayLike<number>, target?: Target): Frame {
    return this.fit(frame, rows, target).transform(frame);
  }

  /** The names of the columns it adds, in order. */
  abstract outputNames(): string[];

  toJSON(): SavedStep<P, S> {
    return { type: this.type, version: this.version, params: { ...this.params }, state: this.state() };
  }

  /** Checks a saved state whole (types, sizes; see savedState.ts) before anything uses it. */
  protected abstract checkedState(saved: unknown): S;

  restoreSaved(saved: unknown): this {
    this.checkParams();
    this.learned = this.checkedState(saved);
    return this;
  }
}

/** A column of the frame by name, with what it is needed for when it is missing. */
export function inputColumn(frame: Frame, name: string, step: string): Column {
  const c = frame.columns.find((x) => x.name === name);
  if (!c) throw new Error(`${frame.source}: column "${name}" is missing (the ${step} step reads it)`);
  return c;
}

/** A numeric column made from values (NaN missing); whole-number when every present value is. */
export function numericColumn(name: string, values: Float64Array): Column {
  let integer = true;
  for (let i = 0; i < values.length && integer; i++) if (values[i] === values[i] && !Number.isInteger(values[i])) integer = false;
  return { kind: 'numeric', name, length: values.length, values, integer };
}

/** A column's value per row as text (a key) or null when missing. */
export function textOf(c: Column): (i: number) => string | null {
  switch (c.kind) {
    case 'categorical':
    case 'text': {
      const { codes, dictionary } = c;
      return (i) => (codes[i] === CODE_MISSING ? null : dictionary[codes[i]]);
    }
    case 'boolean': {
      const values = c.values;
      return (i) => (values[i] === BOOL_MISSING ? null : values[i] ? 'True' : 'False');
    }
    default: {
      const values = c.values;
      return (i) => (values[i] === values[i] ? String(values[i]) : null);
    }
  }
}
