// Feature steps: scikit-learn's transformer shape over frames. A step takes its parameters in the
// constructor and checks them at fit; learns from the training rows only (fit(frame, rows, target));
// then adds its new columns, after the frame's own, to any frame (transform); names them
// (outputNames); and saves what it learned as versioned JSON that loads back through checks, with
// nothing executed. Training, prediction and (later) serving and ONNX export replay the same
// saved steps, so a step's state stays plain: numbers, strings, arrays.
import { BOOL_MISSING, CODE_MISSING, Column, Frame } from '../../frame';
import { Configured } from '../params';
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

/**
 * What every transformer shares, frame steps and column steps alike: options checked against its
 * defaults (an unknown one is named), a saved form of type, version, options and learned state,
 * and a restore that checks the options and the state before anything uses them.
 */
export abstract class Transformer<P extends object, S> extends Configured<P, S> {
  constructor(defaults: P, params: Partial<P> = {}) {
    for (const k of Object.keys(params)) {
      if (!Object.hasOwn(defaults, k)) throw new Error(`${new.target.name}: unknown option "${k}" (known: ${Object.keys(defaults).join(', ')})`);
    }
    super({ ...defaults, ...params });
  }

  protected get name(): string {
    return `the ${this.type} step`;
  }

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

/** A feature step: reads columns of a frame and adds new ones after its own. */
export abstract class Step<P extends object, S> extends Transformer<P, S> {
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
}

/** A column of the frame by name, with what it is needed for when it is missing. */
export function inputColumn(frame: Frame, name: string, step: string): Column {
  const c = frame.columns.find((x) => x.name === name);
  if (!c) throw new Error(`${frame.source}: column "${name}" is missing (the ${step} step reads it)`);
  return c;
}

/** A numeric column made from values (NaN missing); whole-number when every present value is (checked unless the caller knows). */
export function numericColumn(name: string, values: Float64Array, integer?: boolean): Column {
  if (integer === undefined) {
    integer = true;
    for (let i = 0; i < values.length && integer; i++) if (values[i] === values[i] && !Number.isInteger(values[i])) integer = false;
  }
  return { kind: 'numeric', name, length: values.length, values, integer };
}

/**
 * Each row's group in a key column, as an index (-1 where the key is missing), and each group's key
 * as text. Categories use their codes and numbers a map of numbers: no string is made per row
 * (on flights' 3M rows, a string per row took seconds).
 */
export function groupsOf(c: Column): { group: Int32Array; keys: string[] } {
  const n = c.length;
  // Loops, not TypedArray.from(…, fn): that went through the iterator protocol at about 300 ns a
  // row, a second for flights' 3M rows where this loop takes 10 ms.
  if (c.kind === 'categorical' || c.kind === 'text') {
    const group = new Int32Array(n);
    for (let i = 0; i < n; i++) group[i] = c.codes[i] === CODE_MISSING ? -1 : c.codes[i];
    return { group, keys: c.dictionary };
  }
  const values: ArrayLike<number> = c.kind === 'boolean' ? c.values : (c as Exclude<Column, { kind: 'categorical' | 'text' | 'boolean' }>).values;
  const group = new Int32Array(n);
  const index = new Map<number, number>();
  const keys: string[] = [];
  const missing = c.kind === 'boolean' ? (v: number) => v === BOOL_MISSING : (v: number) => v !== v;
  const text = c.kind === 'boolean' ? (v: number) => (v ? 'True' : 'False') : (v: number) => String(v);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (missing(v)) {
      group[i] = -1;
      continue;
    }
    let g = index.get(v);
    if (g === undefined) {
      index.set(v, (g = keys.length));
      keys.push(text(v));
    }
    group[i] = g;
  }
  return { group, keys };
}
