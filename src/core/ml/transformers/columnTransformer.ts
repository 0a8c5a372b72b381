// scikit-learn's ColumnTransformer of Pipelines: for each input column, its kind and the column
// steps it goes through (imputer, scaler, one-hot encoder, date parts), fitted on the training
// rows, then replayed to build the model's matrix for any rows. The saved form is a list of
// { column, kind, steps } whose every step checks its own state, and whose chain is checked as
// a whole (each step reads what the one before makes, the sizes agree, the last makes numbers).
import type { Column, Frame } from '../../frame';
import { Matrix, matrix } from '../matrix';
import type { Rule } from '../params';
import { checkStateShapes } from '../savedState';
import { Block, categoriesOf, ColumnStep, numbersOf } from './column';
import { DateParts } from './dateParts';
import { SimpleImputer } from './imputer';
import { OneHotEncoder } from './oneHotEncoder';
import { StandardScaler } from './scaler';
import type { SavedStep } from './step';

export type InputKind = 'numeric' | 'boolean' | 'categorical' | 'datetime';
export type AnyColumnStep = ColumnStep<object, unknown>;

export interface ColumnPipeline {
  column: string;
  kind: InputKind;
  steps: AnyColumnStep[];
}

export interface SavedColumnPipeline {
  column: string;
  kind: InputKind;
  steps: SavedStep[];
}

const FACTORIES: Record<string, (params: Record<string, unknown>) => AnyColumnStep> = {
  impute: (p) => new SimpleImputer(p),
  scale: (p) => new StandardScaler(p),
  oneHot: (p) => new OneHotEncoder(p),
  dateParts: (p) => new DateParts(p),
};

export const COLUMN_STEP_TYPES = Object.keys(FACTORIES);

/** A fitted column step from its saved form: type, version, options and state checked. */
function loadColumnStep(saved: SavedStep, where: string): AnyColumnStep {
  const make = Object.hasOwn(FACTORIES, saved.type) ? FACTORIES[saved.type] : undefined;
  if (!make) throw new Error(`${where}: unknown column step ${JSON.stringify(saved.type)} (known: ${COLUMN_STEP_TYPES.join(', ')})`);
  const step = make(saved.params);
  if (saved.version !== step.version) throw new Error(`${where}: ${saved.type} step of version ${saved.version}; this version reads ${step.version}`);
  return step.restoreSaved(saved.state);
}

/** The block a column's first step reads: numbers for numbers, booleans and times; categories otherwise. */
function readBlock(frame: Frame, p: ColumnPipeline, rows: ArrayLike<number>): Block {
  const col: Column | undefined = frame.columns.find((c) => c.name === p.column);
  if (!col) throw new Error(`${frame.source}: column "${p.column}" is missing (the model was trained with it)`);
  if (p.kind === 'categorical') {
    if (col.kind !== 'categorical' && col.kind !== 'text' && col.kind !== 'numeric') throw new Error(`${frame.source}: column "${p.column}" held categories at training but holds ${col.kind} values here`);
    return categoriesOf(col, rows);
  }
  if (col.kind === 'categorical' || col.kind === 'text') throw new Error(`${frame.source}: column "${p.column}" was ${p.kind} at training but holds text here`);
  return numbersOf(col, rows, frame.source);
}

const allRows = (n: number): Int32Array => {
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  return r;
};

export class ColumnTransformer {
  constructor(readonly columns: ColumnPipeline[]) {}

  /** Fits each column's steps in turn on the given rows of the frame. */
  fit(frame: Frame, rows: ArrayLike<number>): this {
    for (const p of this.columns) {
      let block = readBlock(frame, p, rows);
      for (const step of p.steps) block = step.fitTransform(block);
      if (block.kind === 'categories') throw new Error(`internal: column "${p.column}" ends in categories; its steps must end in numbers`);
    }
    return this;
  }

  /** The model's matrix for the given rows (all by default). */
  transform(frame: Frame, rows?: ArrayLike<number>): Matrix {
    const at = rows ?? allRows(frame.rows);
    const names = this.outputNames();
    const out = matrix(at.length, names.length);
    const { data, cols } = out;
    let offset = 0;
    for (const p of this.columns) {
      let block = readBlock(frame, p, at);
      for (const step of p.steps) block = step.transform(block);
      if (block.kind === 'slots') {
        const { slot } = block;
        for (let i = 0; i < slot.length; i++) if (slot[i] >= 0) data[i * cols + offset + slot[i]] = 1;
        offset += block.names.length;
      } else if (block.kind === 'numbers') {
        block.values.forEach((v, k) => {
          for (let i = 0; i < v.length; i++) data[i * cols + offset + k] = v[i];
        });
        offset += block.values.length;
      }
    }
    return out;
  }

  /** The matrix's column names, in order. */
  outputNames(): string[] {
    return this.columns.flatMap((p) => p.steps.reduce((names, s) => s.outputNames(names), [p.column]));
  }

  toJSON(): SavedColumnPipeline[] {
    return this.columns.map((p) => ({ column: p.column, kind: p.kind, steps: p.steps.map((s) => s.toJSON() as SavedStep) }));
  }

  /**
   * Saved column pipelines, each step checked by its own schema, then the chains as a whole: a
   * step reads the kind of block the one before makes, its state fits the width it reads, and the
   * chain ends in numbers. `where` prefixes every message (the bundle's part).
   */
  static fromJSON(saved: SavedColumnPipeline[], where: string): ColumnTransformer {
    const rules: Rule[] = [];
    const columns = saved.map((c, i): ColumnPipeline => {
      const steps = c.steps.map((s, j) => {
        try {
          return loadColumnStep(s, `columns[${i}].steps[${j}]`);
        } catch (e) {
          throw new Error(`${where}: column "${c.column}": ${(e as Error).message}`);
        }
      });
      let kind: 'numbers' | 'categories' | 'slots' = c.kind === 'categorical' ? 'categories' : 'numbers';
      let width = 1;
      for (const s of steps) {
        if (kind === 'slots' || (s.accepts !== 'any' && s.accepts !== kind)) {
          rules.push([false, `column "${c.column}": the ${s.type} step reads ${s.accepts} but gets ${kind}`]);
          break;
        }
        for (const [holds, problem] of s.stateRules(width, kind)) rules.push([holds, `column "${c.column}" ${s.type}: ${problem}`]);
        width = s.outputNames(Array.from({ length: width }, (_, k) => String(k))).length;
        kind = s.outputKind(kind);
      }
      rules.push([kind !== 'categories', `column "${c.column}": its steps end in categories, not numbers`]);
      return { column: c.column, kind: c.kind, steps };
    });
    checkStateShapes(where, rules);
    return new ColumnTransformer(columns);
  }
}
