// scikit-learn's estimator shape in TypeScript: parameters in the constructor, fit / predict /
// predictProba, getParams / setParams, and learned state as versioned JSON that loads back with
// identical predictions. Models are data: loading validates and never executes anything.
import type { Matrix } from './matrix';
import type { FitMemory, FitShape } from './memory';
import { Configured } from './params';

import type { Task } from './task';

export type { Task };

/** One epoch of an iterative fit (the MLP's), as Keras reports it. */
export interface EpochLog {
  epoch: number;
  loss: number;
  /** Classification: accuracy on the training batches of this epoch (dropout active), as Keras reports it. */
  accuracy?: number;
  valLoss?: number;
  valMetric?: number;
}

export interface FitOptions {
  /** Called now and then with a fraction done (0..1) and what is happening. */
  onProgress?: (fraction: number, message?: string) => void;
  /** Each epoch as it ends, for models that fit in epochs (the others never call it). */
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
}

/**
 * What code that handles any model uses (the registry, searches, sessions, bundles): the estimator
 * shape with y of either kind. Methods, so that each estimator's narrower fit(X, y: Int32Array) is
 * one (the casts to make them fit are gone).
 */
export interface Model {
  readonly type: string;
  readonly version: number;
  readonly task: Task;
  readonly fitted: boolean;
  getParams(): object;
  setParams(params: Record<string, unknown>): this;
  checkParams(): this;
  fit(X: Matrix, y: Int32Array | Float64Array, options?: FitOptions): this | Promise<this>;
  predict(X: Matrix): Int32Array | Float64Array;
  /** The memory a fit on `shape` takes at its peak, estimated before it starts (memory.ts). */
  fitMemory(shape: FitShape): FitMemory;
  toJSON(): SavedModel;
  restoreSaved(saved: unknown): this;
}

/** A classifier with class probabilities (scikit-learn's ClassifierMixin with predict_proba). */
export interface ProbabilisticClassifier extends Model {
  readonly task: 'classification';
  readonly nClasses: number;
  predictProba(X: Matrix): Float64Array;
  /** predict and predictProba together, each computed once where predict is the argmax of the probabilities. */
  predictWithProba(X: Matrix): { pred: Int32Array; proba: Float64Array };
}

/** A model with impurity (or other) importances, one per feature, summing to 1. */
export interface HasFeatureImportances {
  readonly featureImportances: number[];
}

/** A model that can also be written in TensorFlow.js's format (model.json + weights.bin). */
export interface SavesTfjs {
  saveTfjs(dir: string): Promise<void>;
}

/** A model whose fit runs on worker threads that it can start early, knowing the rows it will fit. */
export interface PrestartsThreads {
  prestartThreads(rows: number): void;
}

export const prestartsThreads = (m: Model): m is Model & PrestartsThreads => 'prestartThreads' in m && typeof m.prestartThreads === 'function';
export const isClassifier = (m: Model): m is ProbabilisticClassifier => m instanceof Classifier;
export const hasFeatureImportances = (m: Model): m is Model & HasFeatureImportances => 'featureImportances' in m;
export const savesTfjs = (m: Model): m is Model & SavesTfjs => 'saveTfjs' in m && typeof m.saveTfjs === 'function';

export interface SavedModel<P = unknown, S = unknown> {
  format: 'ml-workbench-model';
  type: string;
  version: number;
  params: P;
  state: S;
}

/** P: parameters; S: learned state in memory; Saved: its JSON form (S itself unless overridden). */
export abstract class Estimator<P extends object, S, Saved = S> extends Configured<P, S> {
  abstract readonly task: Task;

  constructor(defaults: P, params: Partial<P> = {}) {
    super({ ...defaults, ...params });
  }

  getParams(): P {
    return { ...this.params };
  }

  setParams(params: Partial<P>): this {
    for (const k of Object.keys(params)) {
      if (!Object.hasOwn(this.params, k)) throw new Error(`${this.type}: unknown parameter "${k}" (known: ${Object.keys(this.params).join(', ')})`);
    }
    this.params = { ...this.params, ...params };
    this.learned = undefined;
    return this;
  }


  abstract fit(X: Matrix, y: Int32Array | Float64Array, options?: FitOptions): this | Promise<this>;
  abstract predict(X: Matrix): Int32Array | Float64Array;
  abstract fitMemory(shape: FitShape): FitMemory;

  toJSON(): SavedModel<P, Saved> {
    return { format: 'ml-workbench-model', type: this.type, version: this.version, params: this.getParams(), state: this.saveState(this.state()) };
  }

  /** The JSON form of the learned state (the state itself where it is already plain data). */
  protected abstract saveState(s: S): Saved;

  /** Restores learned state (after the caller checked its type and version). */
  restore(state: S): this {
    this.learned = state;
    return this;
  }

  /**
   * The learned state from its saved form, or an error naming the problem unless `saved` is one
   * this model can use: every field of the right type, every number finite, every size agreeing
   * with the others (see savedState.ts). A saved model is a file from anywhere; nothing of it is
   * used before this passes.
   */
  protected abstract checkedState(saved: unknown): S;

  /** Restores the saved form written by toJSON, after checking it. */
  restoreSaved(saved: unknown): this {
    this.checkParams();
    return this.restore(this.checkedState(saved));
  }
}

export abstract class Classifier<P extends object, S, Saved = S> extends Estimator<P, S, Saved> {
  readonly task = 'classification' as const;
  abstract readonly nClasses: number;
  /** Row-major n × nClasses probabilities. */
  abstract predictProba(X: Matrix): Float64Array;

  predict(X: Matrix): Int32Array {
    return argmaxRows(this.predictProba(X), X.rows, this.nClasses);
  }

  /**
   * Both at once, for an evaluation that needs the labels and the probabilities: a forest's
   * predict walks every tree as predictProba does, and evaluating did it twice (0.2 s of a fresh
   * mlw train on mpls_stops). A classifier whose predict is its own (SVC votes one-against-one,
   * as scikit-learn's does, rather than taking the likeliest class) computes both.
   */
  predictWithProba(X: Matrix): { pred: Int32Array; proba: Float64Array } {
    const proba = this.predictProba(X);
    const argmaxPredicts = this.predict === Classifier.prototype.predict;
    return { pred: argmaxPredicts ? argmaxRows(proba, X.rows, this.nClasses) : this.predict(X), proba };
  }
}

function argmaxRows(p: Float64Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
    out[i] = best;
  }
  return out;
}

export function checkFitInput(type: string, X: Matrix, y: ArrayLike<number>): void {
  if (X.rows !== y.length) throw new Error(`${type}: X has ${X.rows} rows but y has ${y.length} values`);
  if (X.rows === 0) throw new Error(`${type}: no training rows`);
  for (let i = 0; i < X.data.length; i++) {
    const v = X.data[i];
    if (!Number.isFinite(v)) throw new Error(`${type}: X holds ${v} at row ${Math.floor(i / X.cols) + 1}, feature ${(i % X.cols) + 1}; impute or drop it first`);
  }
}

/**
 * The number of classes in y (codes 0..k-1). A loop: spreading a large array into Math.max
 * overflows the call stack (at about 120k rows).
 */
export function classCount(y: ArrayLike<number>): number {
  let max = -1;
  for (let i = 0; i < y.length; i++) if (y[i] > max) max = y[i];
  return max + 1;
}

/** classCount, refusing a y with a single class: there is nothing to learn. */
export function checkClasses(type: string, y: ArrayLike<number>): number {
  const k = classCount(y);
  if (k < 2) throw new Error(`${type}: y has a single class; there is nothing to learn`);
  return k;
}

export function checkPredictInput(type: string, X: Matrix, features: number): void {
  if (X.cols !== features) throw new Error(`${type}: the model was fitted on ${features} features but X has ${X.cols}`);
}

/** scikit-learn's class_weight='balanced': n / (k * count of the class), per row. */
export function balancedWeights(y: Int32Array, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (const c of y) counts[c]++;
  const present = counts.filter((c) => c > 0).length;
  return Float64Array.from(y, (c) => y.length / (present * counts[c]));
}
