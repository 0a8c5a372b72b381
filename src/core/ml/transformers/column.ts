// The transformer shape of the preprocessing that feeds a model: scikit-learn's SimpleImputer,
// StandardScaler, OneHotEncoder and our date parts, each fitted on one input column's training
// values and replayed on any rows. They work on a block (one input column's values for the rows
// asked for, as numbers or category codes), not on whole frames: the matrix is built for a split's
// rows only, and one-hot output is a slot per row written straight into it, never a float column
// per category (100 categories × flights' 3M rows would be 2.4 GB). A ColumnTransformer
// (columnTransformer.ts) chains them per column, as a scikit-learn Pipeline inside a
// ColumnTransformer; their state is plain JSON that the bundle stores and ONNX export can read.
// A block is made afresh for each fit or transform (numbersOf, categoriesOf) and belongs to the
// chain: a step may write into the numbers it is given (the imputer and scaler do, in place, which
// saved two arrays per column per transform: 3M rows, 24 MB each).
import { BOOL_MISSING, CODE_MISSING, Column } from '../../frame';
import type { Rule } from '../params';
import { Transformer } from './step';

/** Numbers, one array per output column (NaN missing). */
export interface Numbers {
  kind: 'numbers';
  names: string[];
  values: Float64Array[];
}

/** Categories as codes into a dictionary (-1 missing). */
export interface Categories {
  kind: 'categories';
  name: string;
  codes: Int32Array;
  dictionary: string[];
}

/** One-hot output: the slot of each row's category (-1: all zeros, for an unseen or dropped category). */
export interface Slots {
  kind: 'slots';
  names: string[];
  slot: Int32Array;
}

export type Block = Numbers | Categories | Slots;
export type BlockKind = Block['kind'];

/** A column step: one block in, one block out, learned from training values; saved as data. */
export abstract class ColumnStep<P extends object, S> extends Transformer<P, S> {
  /** The kind of block it reads ('any': numbers or categories, as SimpleImputer). */
  abstract readonly accepts: 'numbers' | 'categories' | 'any';

  /** The kind of block it makes from a block of `input` kind. */
  abstract outputKind(input: 'numbers' | 'categories'): BlockKind;

  /** Learns from a block of training values. */
  abstract fit(block: Block): this;

  abstract transform(block: Block): Block;

  fitTransform(block: Block): Block {
    return this.fit(block).transform(block);
  }

  /** The names of the columns it makes from input columns so named (its learned state may say: one-hot's categories). */
  abstract outputNames(input: string[]): string[];

  /** The rules its saved state must meet to read `width` input columns of `kind`. */
  abstract stateRules(width: number, kind: 'numbers' | 'categories'): Rule[];

  /** The learned state, for readers of a fitted pipeline (the input schema, export). */
  get learnedState(): S {
    return this.state();
  }
}

/** The block a step expects, or an error naming what it got. */
export function expect<K extends 'numbers' | 'categories'>(block: Block, kind: K, step: string): Extract<Block, { kind: K }> {
  if (block.kind !== kind) throw new Error(`internal: the ${step} step reads ${kind}, not ${block.kind}`);
  return block as Extract<Block, { kind: K }>;
}

/**
 * A column's values on the given rows as numbers (numeric, boolean, datetime as epoch ms; NaN
 * missing). An infinite value is refused with its data row: imputers and scalers cannot use it.
 */
export function numbersOf(col: Column, rows: ArrayLike<number>, source: string): Numbers {
  const n = rows.length;
  const out = new Float64Array(n);
  if (col.kind === 'boolean') {
    for (let i = 0; i < n; i++) {
      const v = col.values[rows[i]];
      out[i] = v === BOOL_MISSING ? NaN : v;
    }
  } else if (col.kind === 'numeric' || col.kind === 'datetime') {
    const values = col.values;
    for (let i = 0; i < n; i++) {
      const v = values[rows[i]];
      if (v === Infinity || v === -Infinity) throw new Error(`${source}: column "${col.name}" holds an infinite value on data row ${rows[i] + 1}; replace it or drop the column`);
      out[i] = v;
    }
  } else throw new Error(`internal: ${col.name} is not numeric`);
  return { kind: 'numbers', names: [col.name], values: [out] };
}

/**
 * A column's values on the given rows as categories: categorical and text columns by their codes
 * (no string made per row), numbers by their text ("4"), as pandas' astype(str) names them.
 */
export function categoriesOf(col: Column, rows: ArrayLike<number>): Categories {
  const n = rows.length;
  const codes = new Int32Array(n);
  if (col.kind === 'categorical' || col.kind === 'text') {
    for (let i = 0; i < n; i++) codes[i] = col.codes[rows[i]] === CODE_MISSING ? -1 : col.codes[rows[i]];
    return { kind: 'categories', name: col.name, codes, dictionary: col.dictionary };
  }
  if (col.kind !== 'numeric') throw new Error(`internal: ${col.name} holds no categories`);
  const index = new Map<number, number>();
  const dictionary: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = col.values[rows[i]];
    if (v !== v) {
      codes[i] = -1;
      continue;
    }
    let k = index.get(v);
    if (k === undefined) {
      index.set(v, (k = dictionary.length));
      dictionary.push(String(v));
    }
    codes[i] = k;
  }
  return { kind: 'categories', name: col.name, codes, dictionary };
}
