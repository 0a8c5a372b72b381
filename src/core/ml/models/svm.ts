// Support vector classification: scikit-learn's SVC (libsvm's C-SVC) with RBF or linear kernels,
// gamma='scale', solved by SMO with second-order working-set selection (Fan, Chen and Lin 2005),
// one-vs-one for more than two classes (votes, ties to the lower class as libsvm). Probabilities
// come from Platt scaling of each pair's decision values (fitted on the training decisions, where
// libsvm uses an internal cross-validation) and pairwise coupling (Wu, Lin and Weng 2004).
import { shareOut, threadsFor, workerScript } from '../../threads';
import { fastExp } from '../fastExp';
import { checkClasses, checkFitInput, checkPredictInput, Classifier, FitOptions } from '../estimator';
import type { Matrix } from '../matrix';
import { fitBytes, FitMemory, FitShape } from '../memory';
import { gamma as gammaRule, nJobs as nJobsRule, oneOf, positive, Rule, wholeAtLeast } from '../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../savedState';

export interface SvcParams {
  C: number;
  kernel: 'rbf' | 'linear';
  /** 'scale' is 1 / (features × variance of X), as scikit-learn. */
  gamma: 'scale' | number;
  /** Stopping tolerance on the KKT gap (scikit-learn's tol). */
  tol: number;
  maxIter: number;
  /** Threads for the one-vs-one pairs: -1 one per core, 1 on the calling thread. */
  nJobs: number;
}

interface BinaryModel {
  /** Rows of the support vectors (into the model's support matrix), and their α_i y_i. */
  sv: number[];
  coef: number[];
  rho: number;
  /** Platt sigmoid on the decision value: P(first class) = 1 / (1 + exp(A f + B)). */
  plattA: number;
  plattB: number;
}

export interface SvcState {
  nFeatures: number;
  nClasses: number;
  gamma: number;
  /** Support vectors, row-major, shared by the pairs. */
  support: number[];
  /** Pairs (a, b) with a < b in order (0,1), (0,2), …; decision > 0 votes for a. */
  pairs: BinaryModel[];
}

/** The most one-vs-one pairs an SVC fits (about 140 classes). */
export const MAX_PAIRS = 10_000;

const SVC_STATE = S.object({
  nFeatures: S.whole(1), nClasses: S.whole(2), gamma: { type: 'number', exclusiveMinimum: 0 }, support: S.vector(),
  pairs: S.vector(S.object({ sv: S.vector(S.whole(0)), coef: S.vector(), rho: S.number, plattA: S.number, plattB: S.number }), 1),
});

function kernelRow(X: Float64Array, d: number, i: number, Y: Float64Array, j: number, kernel: string, gamma: number): number {
  let s = 0;
  if (kernel === 'linear') {
    for (let f = 0; f < d; f++) s += X[i * d + f] * Y[j * d + f];
    return s;
  }
  for (let f = 0; f < d; f++) {
    const t = X[i * d + f] - Y[j * d + f];
    s += t * t;
  }
  return fastExp(-gamma * s);
}

/**
 * Row i of the kernel matrix of X with itself, into out. The RBF kernel goes through squared norms,
 * ‖a − b‖² = ‖a‖² + ‖b‖² − 2 a·b, as libsvm does: one multiply-add per feature instead of two.
 */
function fillKernelRow(X: Float64Array, d: number, n: number, i: number, sq: Float64Array, kernel: string, gamma: number, out: Float64Array): void {
  const a = i * d;
  const rbf = kernel !== 'linear';
  for (let j = 0, b = 0; j < n; j++, b += d) {
    let dot = 0;
    for (let f = 0; f < d; f++) dot += X[a + f] * X[b + f];
    out[j] = rbf ? fastExp(-gamma * Math.max(0, sq[i] + sq[j] - 2 * dot)) : dot;
  }
}

const CACHE_DOUBLES = (256 << 20) / 8;
let kernelScratch: Float64Array | undefined;

/** The kernel row cache's buffer, at least `size` doubles, reused by later fits on this thread. */
function kernelBuffer(size: number): Float64Array {
  if (!kernelScratch || kernelScratch.length < size) kernelScratch = new Float64Array(Math.max(2, size));
  return kernelScratch;
}

/** libsvm's solver for one binary problem (labels ±1); returns α and rho. */
function smo(X: Float64Array, d: number, y: Int8Array, C: number, kernel: string, gamma: number, tol: number, maxIter: number, signal?: AbortSignal) {
  const n = y.length;
  // Kernel rows are computed when SMO first touches them (most rows never are) and kept, up to
  // about 256 MB of rows; beyond that the oldest go first. They live in one buffer kept from fit
  // to fit (pairs, folds): allocating and first touching a fresh row each time cost more than
  // the solver on small data.
  const buf = kernelBuffer(Math.min(CACHE_DOUBLES, n * n));
  const slots = Math.max(2, Math.floor(buf.length / n));
  const slotOf = new Int32Array(n).fill(-1), ownerOf = new Int32Array(slots).fill(-1), views: Float64Array[] = [];
  let nextSlot = 0;
  const sq = new Float64Array(n);
  for (let t = 0; t < n; t++) for (let f = 0; f < d; f++) sq[t] += X[t * d + f] * X[t * d + f];
  const row = (i: number): Float64Array => {
    const s = slotOf[i];
    if (s >= 0) return views[s];
    const slot = nextSlot;
    nextSlot = (nextSlot + 1) % slots;
    if (ownerOf[slot] >= 0) slotOf[ownerOf[slot]] = -1;
    ownerOf[slot] = i;
    slotOf[i] = slot;
    const r = (views[slot] ??= buf.subarray(slot * n, slot * n + n));
    fillKernelRow(X, d, n, i, sq, kernel, gamma, r);
    return r;
  };
  const diag = Float64Array.from({ length: n }, (_, i) => kernelRow(X, d, i, X, i, kernel, gamma));
  const alpha = new Float64Array(n);
  // F_t = −y_t G_t, where G = Q α − e is the dual's gradient: the quantity both index choices
  // compare, kept directly so the hot loops do no multiply by y (the values are bit for bit
  // those of −y_t G_t). upPen/lowPen are 0 for a row in I_up/I_low and ∓∞ otherwise: adding
  // them replaces two data-dependent branches per row with one that is rarely taken. Only the
  // rows i and j change sets in an iteration.
  const F = Float64Array.from(y);
  const upPen = new Float64Array(n), lowPen = new Float64Array(n);
  const setBounds = (t: number) => {
    upPen[t] = (y[t] === 1 ? alpha[t] < C : alpha[t] > 0) ? 0 : -Infinity;
    lowPen[t] = (y[t] === 1 ? alpha[t] > 0 : alpha[t] < C) ? 0 : Infinity;
  };
  for (let t = 0; t < n; t++) setBounds(t);
  const TAU = 1e-12;
  // i: the most violating index in I_up. Found here for the first iteration, then in the same
  // pass that updates the gradient (one pass over the rows fewer per iteration).
  let gmax = -Infinity, i = -1;
  for (let t = 0; t < n; t++) {
    const s = F[t] + upPen[t];
    if (s >= gmax) {
      gmax = s;
      i = t;
    }
  }
  if (gmax === -Infinity) i = -1;
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if ((iter & 1023) === 0 && signal?.aborted) throw new Error('cancelled');
    if (i < 0) break;
    const Ki = row(i);
    const Kii = diag[i];
    // j: second-order choice in I_low.
    let gmin = Infinity, j = -1, best = Infinity;
    for (let t = 0; t < n; t++) {
      const v = F[t] + lowPen[t];
      if (v <= gmin) gmin = v;
      const b = gmax - v;
      if (b > 0) {
        let a = Kii + diag[t] - 2 * Ki[t];
        if (a <= 0) a = TAU;
        const obj = -(b * b) / a;
        if (obj <= best) {
          best = obj;
          j = t;
        }
      }
    }
    if (gmax - gmin < tol || j < 0) break;
    const Kj = row(j);
    // Update α_i, α_j analytically (libsvm's two-variable solver); G_t = −y_t F_t.
    const Gi = -y[i] * F[i], Gj = -y[j] * F[j];
    const Qij = y[i] * y[j] * Ki[j];
    const oldAi = alpha[i], oldAj = alpha[j];
    if (y[i] !== y[j]) {
      let quad = diag[i] + diag[j] + 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (-Gi - Gj) / quad;
      const diff = alpha[i] - alpha[j];
      alpha[i] += delta;
      alpha[j] += delta;
      if (diff > 0 && alpha[j] < 0) { alpha[j] = 0; alpha[i] = diff; }
      else if (diff <= 0 && alpha[i] < 0) { alpha[i] = 0; alpha[j] = -diff; }
      if (diff > 0 && alpha[i] > C) { alpha[i] = C; alpha[j] = C - diff; }
      else if (diff <= 0 && alpha[j] > C) { alpha[j] = C; alpha[i] = C + diff; }
    } else {
      let quad = diag[i] + diag[j] - 2 * Qij;
      if (quad <= 0) quad = TAU;
      const delta = (Gi - Gj) / quad;
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      if (sum > C && alpha[i] > C) { alpha[i] = C; alpha[j] = sum - C; }
      else if (sum <= C && alpha[j] < 0) { alpha[j] = 0; alpha[i] = sum; }
      if (sum > C && alpha[j] > C) { alpha[j] = C; alpha[i] = sum - C; }
      else if (sum <= C && alpha[i] < 0) { alpha[i] = 0; alpha[j] = sum; }
    }
    setBounds(i);
    setBounds(j);
    // G_t += y_t (K_it c_i + K_jt c_j), so F_t −= K_it c_i + K_jt c_j.
    const ci = y[i] * (alpha[i] - oldAi), cj = y[j] * (alpha[j] - oldAj);
    gmax = -Infinity;
    i = -1;
    for (let t = 0; t < n; t++) {
      const f = (F[t] -= Ki[t] * ci + Kj[t] * cj);
      const s = f + upPen[t];
      if (s >= gmax) {
        gmax = s;
        i = t;
      }
    }
    if (gmax === -Infinity) i = -1;
  }
  // rho: the mean of y_t G_t over free vectors, else the middle of the feasible interval.
  let free = 0, sumFree = 0, ub = Infinity, lb = -Infinity;
  for (let t = 0; t < n; t++) {
    const yG = -F[t];
    if (alpha[t] > 0 && alpha[t] < C) {
      free++;
      sumFree += yG;
    } else if ((alpha[t] >= C && y[t] === -1) || (alpha[t] <= 0 && y[t] === 1)) ub = Math.min(ub, yG);
    else lb = Math.max(lb, yG);
  }
  const rho = free > 0 ? sumFree / free : (ub + lb) / 2;
  // Decision values on the training rows come free: sum_t α_t y_t K_it = y_i (G_i + 1).
  const decision = Float64Array.from(F, (f, t) => y[t] - f - rho);
  return { alpha, rho, decision, iterations: iter };
}

/** What every pair of an SVC fit needs: the training rows and the solver's settings. */
export interface PairProblem {
  X: Float64Array;
  d: number;
  y: Int32Array;
  C: number;
  kernel: string;
  gamma: number;
  tol: number;
  maxIter: number;
}

/** One pair's binary model, its support vectors as training row numbers. */
export interface PairFit {
  svRows: number[];
  coef: number[];
  rho: number;
  plattA: number;
  plattB: number;
}

/** Fits the binary problem of classes a (+1) and b (−1) on their rows, in row order. */
export function fitPair(p: PairProblem, a: number, b: number, signal?: AbortSignal): PairFit {
  const { X, d, y } = p;
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (y[i] === a) rows.push(i);
  for (let i = 0; i < y.length; i++) if (y[i] === b) rows.push(i);
  const Xs = new Float64Array(rows.length * d);
  rows.forEach((r, i) => Xs.set(X.subarray(r * d, (r + 1) * d), i * d));
  const ys = Int8Array.from(rows, (r) => (y[r] === a ? 1 : -1));
  const { alpha, rho, decision } = smo(Xs, d, ys, p.C, p.kernel, p.gamma, p.tol, p.maxIter, signal);
  const svRows: number[] = [], coef: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (alpha[i] <= 0) continue;
    svRows.push(rows[i]);
    coef.push(alpha[i] * ys[i]);
  }
  const [plattA, plattB] = platt(decision, ys);
  return { svRows, coef, rho, plattA, plattB };
}

/**
 * Every pair (a, b), a < b, in order. With several classes on enough rows the pairs are shared
 * out to worker threads as they free up (libsvm fits them one after another): independent
 * problems, so the result does not depend on the threads.
 */
async function fitPairs(p: PairProblem, k: number, nJobs: number, options: FitOptions): Promise<PairFit[]> {
  const todo: [number, number][] = [];
  for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) todo.push([a, b]);
  const out: PairFit[] = new Array(todo.length);
  let done = 0;
  const tick = () => options.onProgress?.(++done / todo.length, `pair ${done} of ${todo.length}`);
  const threads = threadsFor(nJobs, todo.length);
  // Starting a worker costs about 0.1 s: small problems stay on this thread.
  if (threads <= 1 || p.y.length < PARALLEL_MIN_ROWS) {
    todo.forEach(([a, b], q) => {
      out[q] = fitPair(p, a, b, options.signal);
      tick();
    });
    return out;
  }
  await shareOut<PairProblem, [number, number], PairFit>(workerScript('svmWorker'), threads, p, todo, (q, fit) => {
    out[q] = fit;
    tick();
  }, options.signal);
  return out;
}

/** Rows from which a multiclass SVC shares its pairs out to worker threads. */
const PARALLEL_MIN_ROWS = 2000;

/** Platt's sigmoid fit (Lin, Lin and Weng's robust Newton version) on decisions f with labels ±1. */
export function platt(f: Float64Array, y: Int8Array): [number, number] {
  let prior1 = 0, prior0 = 0;
  for (const v of y) if (v > 0) prior1++; else prior0++;
  const hi = (prior1 + 1) / (prior1 + 2), lo = 1 / (prior0 + 2);
  const t = Float64Array.from(y, (v) => (v > 0 ? hi : lo));
  let A = 0, B = Math.log((prior0 + 1) / (prior1 + 1));
  const fval = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < f.length; i++) {
      const fApB = f[i] * a + b;
      s += fApB >= 0 ? t[i] * fApB + Math.log1p(Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log1p(Math.exp(fApB));
    }
    return s;
  };
  let fv = fval(A, B);
  for (let it = 0; it < 100; it++) {
    let h11 = 1e-12, h22 = 1e-12, h21 = 0, g1 = 0, g2 = 0;
    for (let i = 0; i < f.length; i++) {
      const fApB = f[i] * A + B;
      const [p, q] = fApB >= 0 ? [Math.exp(-fApB) / (1 + Math.exp(-fApB)), 1 / (1 + Math.exp(-fApB))] : [1 / (1 + Math.exp(fApB)), Math.exp(fApB) / (1 + Math.exp(fApB))];
      const d2 = p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const d1 = t[i] - p;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < 1e-5 && Math.abs(g2) < 1e-5) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det, dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= 1e-10) {
      const nf = fval(A + step * dA, B + step * dB);
      if (nf < fv + 1e-4 * step * gd) {
        A += step * dA;
        B += step * dB;
        fv = nf;
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break;
  }
  return [A, B];
}

/** gamma='scale' is 1 / (features × variance of all of X), as scikit-learn; a number is kept. */
export function resolveGamma(gamma: 'scale' | number, X: Matrix): number {
  if (gamma !== 'scale') return gamma;
  let s = 0, s2 = 0;
  for (const v of X.data) {
    s += v;
    s2 += v * v;
  }
  const mean = s / X.data.length;
  const variance = s2 / X.data.length - mean * mean;
  return variance > 0 ? 1 / (X.cols * variance) : 1;
}

/** P(positive) from a Platt sigmoid, clipped away from 0 and 1 as libsvm. */
export function plattProbability(f: number, A: number, B: number): number {
  const fApB = f * A + B;
  const p = fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
  return Math.min(Math.max(p, 1e-7), 1 - 1e-7);
}

/** Pairwise coupling of r[a][b] = P(a | a or b) into class probabilities (libsvm's method). */
function couple(r: number[][], k: number): number[] {
  const Q = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const p = new Array<number>(k).fill(1 / k);
  for (let t = 0; t < k; t++) {
    for (let j = 0; j < k; j++) {
      if (j === t) continue;
      Q[t][t] += r[j][t] * r[j][t];
      Q[t][j] = -r[j][t] * r[t][j];
    }
  }
  const Qp = new Array<number>(k);
  for (let iter = 0; iter < Math.max(100, k); iter++) {
    let pQp = 0;
    for (let t = 0; t < k; t++) {
      Qp[t] = 0;
      for (let j = 0; j < k; j++) Qp[t] += Q[t][j] * p[j];
      pQp += p[t] * Qp[t];
    }
    let maxErr = 0;
    for (let t = 0; t < k; t++) maxErr = Math.max(maxErr, Math.abs(Qp[t] - pQp));
    if (maxErr < 0.005 / k) break;
    for (let t = 0; t < k; t++) {
      const diff = (-Qp[t] + pQp) / Q[t][t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < k; j++) {
        Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return p;
}

export class SVC extends Classifier<SvcParams, SvcState> {
  readonly type = 'SVC';
  readonly version = 1;

  protected saveState(s: SvcState): SvcState {
    return s;
  }

  constructor(params: Partial<SvcParams> = {}) {
    super({ C: 1, kernel: 'rbf', gamma: 'scale', tol: 1e-3, maxIter: 10_000_000, nJobs: -1 }, params);
  }

  get nClasses(): number {
    return this.state().nClasses;
  }

  protected checkedState(saved: unknown): SvcState {
    checkStateSchema(this.type, SVC_STATE, saved);
    const s = saved as SvcState;
    const nSV = s.nFeatures ? s.support.length / s.nFeatures : 0;
    checkStateShapes(this.type, [
      [Number.isInteger(nSV), `support has ${s.support.length} values, not a whole number of rows of ${s.nFeatures}`],
      sized('pairs', s.pairs.length, (s.nClasses * (s.nClasses - 1)) / 2),
      ...s.pairs.flatMap((p, q) => [
        sized(`pairs[${q}].coef`, p.coef.length, p.sv.length),
        [p.sv.every((v) => v < nSV), `pairs[${q}].sv names a support vector beyond the ${nSV} saved`] as Rule,
      ]),
    ]);
    return s;
  }

  protected paramRules(): Rule[] {
    const { C, kernel, tol, maxIter, nJobs } = this.params;
    return [positive('C', C), oneOf('kernel', kernel, ['rbf', 'linear']), gammaRule(this.params.gamma), positive('tol', tol), wholeAtLeast('maxIter', maxIter, 1), nJobsRule(nJobs)];
  }

  /**
   * Per thread fitting pairs: the kernel row cache (up to 256 MB, rows² of a pair, which holds
   * about twice the average class's rows), the pair's rows copied and libsvm's per-row vectors;
   * then the support vectors (at most every row) and the test rows' pairwise decisions.
   */
  fitMemory({ rows: n, cols: d, classes: k }: FitShape): FitMemory {
    const pairs = (k * (k - 1)) / 2;
    const threads = pairs > 1 ? threadsFor(this.params.nJobs, pairs) : 1;
    const m = k > 2 ? Math.min(n, Math.ceil((4 * n) / k)) : n;
    const perThread = 8 * Math.min(CACHE_DOUBLES, m * m) + 8 * m * d + 80 * m;
    return { bytes: fitBytes(threads * perThread + 8 * n * d + 8 * n * pairs, threads > 1 ? threads : 0), advice: 'fit fewer rows, use the approximate solver (ApproxSVC, svm-solver approx), or predict fewer classes' };
  }

  async fit(X: Matrix, y: Int32Array, options: FitOptions = {}): Promise<this> {
    checkFitInput(this.type, X, y);
    this.checkParams();
    const { C, kernel, tol, maxIter, nJobs } = this.params;
    const k = checkClasses(this.type, y);
    // One-vs-one fits a model per pair of classes: 1,000 classes would be 499,500 fits.
    const pairCount = (k * (k - 1)) / 2;
    if (pairCount > MAX_PAIRS) throw new Error(`${this.type}: ${k} classes make ${pairCount.toLocaleString('en-US')} one-vs-one pairs, past the ${MAX_PAIRS.toLocaleString('en-US')} an SVC fits; use logistic regression or a random forest, or predict fewer classes`);
    const gamma = resolveGamma(this.params.gamma, X);
    const d = X.cols;
    const problem: PairProblem = { X: X.data, d, y, C, kernel, gamma, tol, maxIter };
    const fits = await fitPairs(problem, k, nJobs, options);
    // Support vectors numbered in pair order, so the model is the same on any number of threads.
    const supportIndex = new Map<number, number>();
    const pairs: BinaryModel[] = fits.map((p) => {
      const sv = p.svRows.map((r) => {
        let s = supportIndex.get(r);
        if (s === undefined) {
          s = supportIndex.size;
          supportIndex.set(r, s);
        }
        return s;
      });
      return { sv, coef: p.coef, rho: p.rho, plattA: p.plattA, plattB: p.plattB };
    });
    const support = new Array<number>(supportIndex.size * d);
    for (const [r, s] of supportIndex) for (let f = 0; f < d; f++) support[s * d + f] = X.data[r * d + f];
    this.learned = { nFeatures: d, nClasses: k, gamma, support, pairs };
    return this;
  }

  /** Per row, one decision value per pair (a, b), positive for a. */
  decisionPairs(X: Matrix): Float64Array {
    const s = this.state();
    checkPredictInput(this.type, X, s.nFeatures);
    const d = s.nFeatures, nSV = s.support.length / d;
    const S = Float64Array.from(s.support);
    const out = new Float64Array(X.rows * s.pairs.length);
    const K = new Float64Array(nSV);
    for (let i = 0; i < X.rows; i++) {
      for (let v = 0; v < nSV; v++) K[v] = kernelRow(S, d, v, X.data, i, this.params.kernel, s.gamma);
      s.pairs.forEach((p, q) => {
        let f = -p.rho;
        for (let t = 0; t < p.sv.length; t++) f += p.coef[t] * K[p.sv[t]];
        out[i * s.pairs.length + q] = f;
      });
    }
    return out;
  }

  predict(X: Matrix): Int32Array {
    const s = this.state();
    const k = s.nClasses, m = s.pairs.length;
    const f = this.decisionPairs(X);
    const out = new Int32Array(X.rows);
    const votes = new Int32Array(k);
    for (let i = 0; i < X.rows; i++) {
      votes.fill(0);
      let q = 0;
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) votes[f[i * m + q++] > 0 ? a : b]++;
      let best = 0;
      for (let c = 1; c < k; c++) if (votes[c] > votes[best]) best = c;
      out[i] = best;
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const s = this.state();
    const k = s.nClasses, m = s.pairs.length;
    const f = this.decisionPairs(X);
    const out = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++) {
      const r = Array.from({ length: k }, () => new Array<number>(k).fill(0));
      let q = 0;
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          const p = s.pairs[q];
          const pa = plattProbability(f[i * m + q++], p.plattA, p.plattB);
          r[a][b] = pa;
          r[b][a] = 1 - pa;
        }
      }
      const p = k === 2 ? [r[0][1], r[1][0]] : couple(r, k);
      for (let c = 0; c < k; c++) out[i * k + c] = p[c];
    }
    return out;
  }
}
