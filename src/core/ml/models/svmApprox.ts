// The fast path for support vector classification on large data. Exact SVC (libsvm's SMO) grows
// with the square of the rows: scikit-learn needs minutes on 35k rows. This is scikit-learn's
// documented alternative, make_pipeline(RBFSampler(gamma, n_components), LinearSVC(loss='hinge')):
// random Fourier features approximate the RBF kernel (Rahimi and Recht 2007), and a linear SVM with
// the same hinge loss and C is solved in the dual by coordinate descent (Hsieh et al. 2008, as
// liblinear), one-vs-rest for more than two classes. Time grows linearly with the rows.
// Probabilities: a Platt sigmoid per class on the training decisions, normalised over classes.
import { checkClasses, checkFitInput, checkPredictInput, Classifier, FitOptions } from '../estimator';
import { Matrix, nonZeros } from '../matrix';
import { fitBytes, FitMemory, FitShape } from '../memory';
import { gamma as gammaRule, positive, Rule, seed, wholeAtLeast, wholeIn } from '../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../savedState';
import { rng, shuffle } from '../random';
import { platt, plattProbability, resolveGamma } from './svm';

export interface ApproxSvcParams {
  C: number;
  gamma: 'scale' | number;
  /** Random features: more approximate the kernel better and cost time and memory linearly. */
  nComponents: number;
  /** Stopping tolerance on the projected gradient's spread (liblinear's eps). */
  tol: number;
  /** Passes over the data per binary problem. */
  maxIter: number;
  randomState: number;
}

const APPROX_SVC_STATE = S.object({
  nFeatures: S.whole(1), nClasses: S.whole(2), gamma: { type: 'number', exclusiveMinimum: 0 }, projection: S.vector(), offsets: S.vector(S.number, 1),
  coef: S.matrix(), intercept: S.vector(), platt: S.vector({ type: 'array', items: S.number, minItems: 2, maxItems: 2 }, 1), epochs: S.vector(S.whole(0)),
});

export interface ApproxSvcState {
  nFeatures: number;
  nClasses: number;
  gamma: number;
  /** Random projection, row-major nFeatures × nComponents, drawn from N(0, 2 gamma). */
  projection: number[];
  /** Phases, uniform on [0, 2π). */
  offsets: number[];
  /** One linear model per class (one-vs-rest); one only for two classes (positive = class 1). */
  coef: number[][];
  intercept: number[];
  platt: [number, number][];
  epochs: number[];
}

/** Rows of X mapped to sqrt(2/D) cos(x W + b); float32, as the features are only an approximation. */
function randomFeatures(X: Matrix, W: Float64Array, b: Float64Array): Float32Array {
  const D = b.length;
  const { start, col, val } = nonZeros(X);
  const Z = new Float32Array(X.rows * D);
  const acc = new Float64Array(D);
  const scale = Math.sqrt(2 / D);
  for (let i = 0; i < X.rows; i++) {
    acc.set(b);
    for (let p = start[i]; p < start[i + 1]; p++) {
      const v = val[p], o = col[p] * D;
      for (let j = 0; j < D; j++) acc[j] += v * W[o + j];
    }
    const zo = i * D;
    for (let j = 0; j < D; j++) Z[zo + j] = scale * Math.cos(acc[j]);
  }
  return Z;
}

/** Dual coordinate descent for min ½‖w‖² + C Σ max(0, 1 − yᵢ(w·zᵢ + b)); the bias is a constant feature. */
function hingeDualCd(Z: Float32Array, D: number, y: Int8Array, C: number, tol: number, maxIter: number, seed: number, signal?: AbortSignal) {
  const n = y.length;
  const w = new Float64Array(D + 1);
  const alpha = new Float64Array(n);
  const Qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 1;
    for (let j = 0; j < D; j++) s += Z[i * D + j] * Z[i * D + j];
    Qii[i] = s;
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const rand = rng(seed);
  let epoch = 0;
  for (; epoch < maxIter; epoch++) {
    if (signal?.aborted) throw new Error('cancelled');
    shuffle(order, rand);
    let maxPG = -Infinity, minPG = Infinity;
    for (const i of order) {
      const o = i * D;
      let s = w[D];
      for (let j = 0; j < D; j++) s += w[j] * Z[o + j];
      const G = y[i] * s - 1;
      const a = alpha[i];
      const PG = a === 0 ? Math.min(G, 0) : a === C ? Math.max(G, 0) : G;
      if (PG > maxPG) maxPG = PG;
      if (PG < minPG) minPG = PG;
      if (PG === 0) continue;
      const next = Math.min(Math.max(a - G / Qii[i], 0), C);
      const step = (next - a) * y[i];
      alpha[i] = next;
      for (let j = 0; j < D; j++) w[j] += step * Z[o + j];
      w[D] += step;
    }
    if (maxPG - minPG < tol) break;
  }
  return { w, epochs: epoch + 1 };
}

export class ApproxSVC extends Classifier<ApproxSvcParams, ApproxSvcState> {
  readonly type = 'ApproxSVC';
  readonly version = 1;

  protected saveState(s: ApproxSvcState): ApproxSvcState {
    return s;
  }

  constructor(params: Partial<ApproxSvcParams> = {}) {
    super({ C: 1, gamma: 'scale', nComponents: 500, tol: 0.1, maxIter: 1000, randomState: 42 }, params);
  }

  get nClasses(): number {
    return this.state().nClasses;
  }

  protected paramRules(): Rule[] {
    const { C, nComponents: D, tol, maxIter, randomState } = this.params;
    return [positive('C', C), gammaRule(this.params.gamma), wholeIn('nComponents', D, 1, 100_000), positive('tol', tol), wholeAtLeast('maxIter', maxIter, 1), seed('randomState', randomState)];
  }

  /**
   * The random features (float32, rows × nComponents), the projection (features × nComponents),
   * a weight vector per class, the non-zeros copied and the dual solver's per-row vectors.
   */
  fitMemory({ rows: n, cols: d, classes: k }: FitShape): FitMemory {
    const D = this.params.nComponents;
    return { bytes: fitBytes(4 * n * D + 8 * d * D + 8 * (D + 1) * k + 12 * n * d + 32 * n + 8 * n * k), advice: 'use fewer random features (nComponents), or fit fewer rows' };
  }

  fit(X: Matrix, y: Int32Array, options: FitOptions = {}): this {
    checkFitInput(this.type, X, y);
    this.checkParams();
    const { C, nComponents: D, tol, maxIter, randomState } = this.params;
    const k = checkClasses(this.type, y);
    const gamma = resolveGamma(this.params.gamma, X);
    const rand = rng(randomState);
    const sd = Math.sqrt(2 * gamma);
    const W = new Float64Array(X.cols * D);
    for (let i = 0; i < W.length; i++) W[i] = sd * gaussian(rand);
    const b = Float64Array.from({ length: D }, () => 2 * Math.PI * rand());
    options.onProgress?.(0, 'random features');
    const Z = randomFeatures(X, W, b);
    const problems = k === 2 ? 1 : k;
    const coef: number[][] = [], intercept: number[] = [], plattAB: [number, number][] = [], epochs: number[] = [];
    const f = new Float64Array(X.rows);
    for (let c = 0; c < problems; c++) {
      const positive = k === 2 ? 1 : c;
      const ys = Int8Array.from(y, (v) => (v === positive ? 1 : -1));
      const fit = hingeDualCd(Z, D, ys, C, tol, maxIter, randomState + c, options.signal);
      for (let i = 0; i < X.rows; i++) f[i] = dot(fit.w, Z, i * D, D);
      plattAB.push(platt(f, ys));
      coef.push(Array.from(fit.w.subarray(0, D)));
      intercept.push(fit.w[D]);
      epochs.push(fit.epochs);
      options.onProgress?.((c + 1) / problems, `class ${c + 1} of ${problems}`);
    }
    this.learned = { nFeatures: X.cols, nClasses: k, gamma, projection: Array.from(W), offsets: Array.from(b), coef, intercept, platt: plattAB, epochs };
    return this;
  }

  /** Decision values, one per row and linear model. */
  decisionFunction(X: Matrix): Float64Array {
    const s = this.state();
    checkPredictInput(this.type, X, s.nFeatures);
    const D = s.offsets.length, m = s.coef.length;
    const Z = randomFeatures(X, Float64Array.from(s.projection), Float64Array.from(s.offsets));
    const out = new Float64Array(X.rows * m);
    for (let c = 0; c < m; c++) {
      const w = Float64Array.from([...s.coef[c], s.intercept[c]]);
      for (let i = 0; i < X.rows; i++) out[i * m + c] = dot(w, Z, i * D, D);
    }
    return out;
  }

  /** As LinearSVC: the sign of the decision for two classes, else the class with the largest. */
  predict(X: Matrix): Int32Array {
    const m = this.state().coef.length;
    const f = this.decisionFunction(X);
    const out = new Int32Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      if (m === 1) {
        out[i] = f[i] > 0 ? 1 : 0;
        continue;
      }
      let best = 0;
      for (let c = 1; c < m; c++) if (f[i * m + c] > f[i * m + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const s = this.state();
    const k = s.nClasses, m = s.coef.length;
    const f = this.decisionFunction(X);
    const out = new Float64Array(X.rows * k);
    for (let i = 0; i < X.rows; i++) {
      if (k === 2) {
        const p = plattProbability(f[i], ...s.platt[0]);
        out[i * 2] = 1 - p;
        out[i * 2 + 1] = p;
        continue;
      }
      let sum = 0;
      for (let c = 0; c < m; c++) sum += out[i * k + c] = plattProbability(f[i * m + c], ...s.platt[c]);
      for (let c = 0; c < m; c++) out[i * k + c] /= sum;
    }
    return out;
  }

  protected checkedState(saved: unknown): ApproxSvcState {
    checkStateSchema(this.type, APPROX_SVC_STATE, saved);
    const s = saved as ApproxSvcState;
    const D = s.offsets.length;
    const models = s.nClasses === 2 ? 1 : s.nClasses;
    checkStateShapes(this.type, [
      sized('projection', s.projection.length, s.nFeatures * D),
      sized('coef', s.coef.length, models),
      ...s.coef.map((w, c) => sized(`coef[${c}]`, w.length, D)),
      sized('intercept', s.intercept.length, models),
      sized('platt', s.platt.length, models),
    ]);
    return s;
  }
}

/** w · z_row + bias, where the bias is w[D]. */
function dot(w: Float64Array, Z: Float32Array, o: number, D: number): number {
  let s = w[D];
  for (let j = 0; j < D; j++) s += w[j] * Z[o + j];
  return s;
}

/** A standard normal draw (Box-Muller). */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}
