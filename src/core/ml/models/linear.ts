// Linear models: logistic regression (L2; binary logistic or multinomial softmax, as scikit-learn's
// lbfgs solver), linear regression and ridge.
import { balancedWeights, checkClasses, checkFitInput, checkPredictInput, Classifier, Estimator, FitOptions } from '../estimator';
import { fastExp } from '../fastExp';
import { lbfgs } from '../lbfgs';
import { Matrix, nonZeros } from '../matrix';
import { fitBytes, FitMemory, FitShape } from '../memory';
import { nonNegative, oneOf, positive, Rule, wholeIn } from '../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../savedState';

export interface LogisticRegressionParams {
  /** Inverse of the L2 strength, as scikit-learn's C. */
  C: number;
  classWeight: 'balanced' | null;
  maxIter: number;
  /** Gradient tolerance on the per-row objective. */
  tol: number;
}

export interface LogisticRegressionState {
  nFeatures: number;
  nClasses: number;
  /** Binary: one row (the positive class, index 1); multinomial: one row per class. */
  coef: number[][];
  intercept: number[];
  iterations: number;
  converged: boolean;
}

/**
 * The training rows as the loss loops read them: each row's non-zeros as (column, value) pairs,
 * because one-hot features make most cells zero and every pass then skips them.
 */
interface LossData extends ReturnType<typeof nonZeros> {
  n: number;
  d: number;
  y: Int32Array;
  sw: Float64Array;
}

/** Binary log loss summed over rows; adds its gradient to grad (weights, then the intercept at d). */
function logisticLoss({ n, d, start, col, val, y, sw }: LossData, w: Float64Array, grad: Float64Array): number {
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p0 = start[i], p1 = start[i + 1];
    let zz = w[d];
    for (let p = p0; p < p1; p++) zz += w[col[p]] * val[p];
    const t = y[i] === 1 ? 1 : 0;
    loss += sw[i] * (zz > 0 ? Math.log1p(fastExp(-zz)) + zz * (1 - t) : Math.log1p(fastExp(zz)) - zz * t);
    const r = sw[i] * (1 / (1 + fastExp(-zz)) - t);
    for (let p = p0; p < p1; p++) grad[col[p]] += r * val[p];
    grad[d] += r;
  }
  return loss;
}

/**
 * One row's multinomial log loss from its k scores z; leaves in r the loss's gradient with respect
 * to the scores (softmax minus the one-hot target), times the row's weight.
 */
function softmaxRow(z: Float64Array, r: Float64Array, k: number, target: number, weight: number): number {
  let max = -Infinity, sum = 0;
  for (let c = 0; c < k; c++) if (z[c] > max) max = z[c];
  for (let c = 0; c < k; c++) sum += r[c] = fastExp(z[c] - max);
  const scale = weight / sum;
  for (let c = 0; c < k; c++) r[c] *= scale;
  r[target] -= weight;
  return weight * (max + Math.log(sum) - z[target]);
}

/**
 * Multinomial log loss summed over rows, for k classes whose weights are rows of w (k × d, then k
 * intercepts); adds its gradient to grad. z and r are k-long scratch arrays. Rows as non-zeros.
 */
function softmaxLoss({ n, d, start, col, val, y, sw }: LossData, k: number, w: Float64Array, grad: Float64Array, z: Float64Array, r: Float64Array): number {
  const b0 = k * d;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const p0 = start[i], p1 = start[i + 1];
    for (let c = 0; c < k; c++) {
      let s = w[b0 + c];
      for (let p = p0, wo = c * d; p < p1; p++) s += w[wo + col[p]] * val[p];
      z[c] = s;
    }
    loss += softmaxRow(z, r, k, y[i], sw[i]);
    for (let c = 0; c < k; c++) {
      const rc = r[c];
      for (let p = p0, wo = c * d; p < p1; p++) grad[wo + col[p]] += rc * val[p];
      grad[b0 + c] += rc;
    }
  }
  return loss;
}

/**
 * softmaxLoss for dense rows (X row-major, n × d), four classes per pass over a row: each value
 * read feeds four products, and V8 keeps the four sums in registers. On letter_recognition (26
 * classes, 16 features) the fit takes a third of the time the class-by-class loops took.
 */
function softmaxLossDense(X: Float64Array, { n, d, y, sw }: LossData, k: number, w: Float64Array, grad: Float64Array, z: Float64Array, r: Float64Array): number {
  const b0 = k * d;
  let loss = 0;
  for (let i = 0, x0 = 0; i < n; i++, x0 += d) {
    let c = 0;
    for (; c + 3 < k; c += 4) {
      const w0 = c * d, w1 = w0 + d, w2 = w1 + d, w3 = w2 + d;
      let s0 = w[b0 + c], s1 = w[b0 + c + 1], s2 = w[b0 + c + 2], s3 = w[b0 + c + 3];
      for (let j = 0; j < d; j++) {
        const x = X[x0 + j];
        s0 += w[w0 + j] * x;
        s1 += w[w1 + j] * x;
        s2 += w[w2 + j] * x;
        s3 += w[w3 + j] * x;
      }
      z[c] = s0;
      z[c + 1] = s1;
      z[c + 2] = s2;
      z[c + 3] = s3;
    }
    for (; c < k; c++) {
      let s = w[b0 + c];
      for (let j = 0, wo = c * d; j < d; j++) s += w[wo + j] * X[x0 + j];
      z[c] = s;
    }
    loss += softmaxRow(z, r, k, y[i], sw[i]);
    for (c = 0; c < k; c++) grad[b0 + c] += r[c];
    for (c = 0; c + 3 < k; c += 4) {
      const w0 = c * d, w1 = w0 + d, w2 = w1 + d, w3 = w2 + d;
      const r0 = r[c], r1 = r[c + 1], r2 = r[c + 2], r3 = r[c + 3];
      for (let j = 0; j < d; j++) {
        const x = X[x0 + j];
        grad[w0 + j] += r0 * x;
        grad[w1 + j] += r1 * x;
        grad[w2 + j] += r2 * x;
        grad[w3 + j] += r3 * x;
      }
    }
    for (; c < k; c++) for (let j = 0, wo = c * d; j < d; j++) grad[wo + j] += r[c] * X[x0 + j];
  }
  return loss;
}

const LOGISTIC_STATE = S.object({
  nFeatures: S.whole(0), nClasses: S.whole(2), coef: S.matrix(), intercept: S.vector(), iterations: S.whole(0), converged: S.boolean,
});

export class LogisticRegression extends Classifier<LogisticRegressionParams, LogisticRegressionState> {
  readonly type = 'LogisticRegression';
  readonly version = 1;

  protected saveState(s: LogisticRegressionState): LogisticRegressionState {
    return s;
  }

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    // tol as scikit-learn's default: lbfgs stops when the largest gradient component of the
    // per-row objective is below 1e-4, the same objective and test as scikit-learn 1.1+.
    super({ C: 1, classWeight: null, maxIter: 1000, tol: 1e-4 }, params);
  }

  get nClasses(): number {
    return this.state().nClasses;
  }

  protected checkedState(saved: unknown): LogisticRegressionState {
    checkStateSchema(this.type, LOGISTIC_STATE, saved);
    const s = saved as LogisticRegressionState;
    const rows = s.nClasses === 2 ? 1 : s.nClasses;
    checkStateShapes(this.type, [
      sized('coef', s.coef.length, rows),
      ...s.coef.map((w, c) => sized(`coef[${c}]`, w.length, s.nFeatures)),
      sized('intercept', s.intercept.length, rows),
    ]);
    return s;
  }

  protected paramRules(): Rule[] {
    const { C, classWeight, maxIter, tol } = this.params;
    return [positive('C', C), oneOf('classWeight', classWeight, ['balanced', null]), wholeIn('maxIter', maxIter, 1, 1_000_000), positive('tol', tol)];
  }

  /**
   * The non-zeros copied (an int and a double each, at most every cell), a weight per row,
   * L-BFGS's 10 pairs and 6 more vectors of the (features + 1) × classes weights, and the test
   * rows' probabilities (classes per row).
   */
  fitMemory({ rows: n, cols: d, classes: k }: FitShape): FitMemory {
    const w = (k === 2 ? 1 : k) * (d + 1);
    return { bytes: fitBytes(12 * n * d + 16 * n + 26 * 8 * w + 8 * n * k), advice: 'predict fewer classes (group rare ones), or use fewer features' };
  }

  fit(X: Matrix, y: Int32Array, options: FitOptions = {}): this {
    checkFitInput(this.type, X, y);
    this.checkParams();
    const { C, classWeight, maxIter, tol } = this.params;
    const k = checkClasses(this.type, y);
    const n = X.rows, d = X.cols;
    const sw = classWeight === 'balanced' ? balancedWeights(y, k) : new Float64Array(n).fill(1);
    // Objective per row (sum / n), so that the tolerance does not depend on n; same optimum as
    // scikit-learn's sum of losses + ||w||² / (2C).
    const lambda = 1 / (C * n);
    const rows = k === 2 ? 1 : k;
    const data: LossData = { ...nonZeros(X), n, d, y, sw };
    // Mostly non-zero cells: the multinomial loss reads the dense rows, which is faster.
    const dense = data.start[n] > 0.5 * n * d;
    const z = new Float64Array(rows), r = new Float64Array(rows);
    const fg = (w: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      const loss = rows === 1 ? logisticLoss(data, w, grad) : dense ? softmaxLossDense(X.data, data, rows, w, grad, z, r) : softmaxLoss(data, rows, w, grad, z, r);
      let penalty = 0;
      for (let p = 0; p < rows * d; p++) {
        penalty += w[p] * w[p];
        grad[p] = grad[p] / n + lambda * w[p];
      }
      for (let c = rows * d; c < grad.length; c++) grad[c] /= n;
      return loss / n + 0.5 * lambda * penalty;
    };
    const result = lbfgs(fg, new Float64Array(rows * (d + 1)), { maxIter, gtol: tol, signal: options.signal });
    const coef = Array.from({ length: rows }, (_, c) => Array.from(result.x.subarray(c * d, (c + 1) * d)));
    const intercept = Array.from(result.x.subarray(rows * d));
    this.learned = { nFeatures: d, nClasses: k, coef, intercept, iterations: result.iterations, converged: result.converged };
    return this;
  }

  /** Raw scores: binary, the positive class's logit; multinomial, one per class. */
  decisionFunction(X: Matrix): Float64Array {
    const s = this.state();
    checkPredictInput(this.type, X, s.nFeatures);
    const rows = s.coef.length;
    const out = new Float64Array(X.rows * rows);
    for (let i = 0; i < X.rows; i++) {
      for (let c = 0; c < rows; c++) {
        let v = s.intercept[c];
        const w = s.coef[c];
        for (let j = 0; j < X.cols; j++) v += w[j] * X.data[i * X.cols + j];
        out[i * rows + c] = v;
      }
    }
    return out;
  }

  predictProba(X: Matrix): Float64Array {
    const s = this.state();
    const z = this.decisionFunction(X);
    const k = s.nClasses;
    const out = new Float64Array(X.rows * k);
    if (s.coef.length === 1) {
      for (let i = 0; i < X.rows; i++) {
        const p = 1 / (1 + Math.exp(-z[i]));
        out[2 * i] = 1 - p;
        out[2 * i + 1] = p;
      }
      return out;
    }
    for (let i = 0; i < X.rows; i++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[i * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += out[i * k + c] = Math.exp(z[i * k + c] - max);
      for (let c = 0; c < k; c++) out[i * k + c] /= sum;
    }
    return out;
  }
}


export interface RidgeParams {
  /** L2 strength; 0 is ordinary least squares. The intercept is not penalised. */
  alpha: number;
}

export interface LinearState {
  nFeatures: number;
  coef: number[];
  intercept: number;
}

const LINEAR_STATE = S.object({ nFeatures: S.whole(0), coef: S.vector(), intercept: S.number });

/** Ridge regression (alpha > 0) and ordinary least squares (alpha 0), by the normal equations. */
export class Ridge extends Estimator<RidgeParams, LinearState> {
  readonly type: string = 'Ridge';
  readonly version = 1;
  readonly task = 'regression' as const;

  protected saveState(s: LinearState): LinearState {
    return s;
  }

  constructor(params: Partial<RidgeParams> = {}) {
    super({ alpha: 1 }, params);
  }

  protected checkedState(saved: unknown): LinearState {
    checkStateSchema(this.type, LINEAR_STATE, saved);
    const s = saved as LinearState;
    checkStateShapes(this.type, [sized('coef', s.coef.length, s.nFeatures)]);
    return s;
  }

  protected paramRules(): Rule[] {
    return [nonNegative('alpha', this.params.alpha)];
  }

  /** The normal equations: features × features twice (the matrix and its Cholesky factor). */
  fitMemory({ rows: n, cols: d }: FitShape): FitMemory {
    return { bytes: fitBytes(16 * d * d + 16 * n + 32 * d), advice: 'use fewer features (drop columns, or one-hot encode fewer categories)' };
  }

  fit(X: Matrix, y: Float64Array): this {
    checkFitInput(this.type, X, y);
    this.checkParams();
    const n = X.rows, d = X.cols;
    const mx = new Float64Array(d);
    let my = 0;
    for (let i = 0; i < n; i++) {
      my += y[i];
      for (let j = 0; j < d; j++) mx[j] += X.data[i * d + j];
    }
    my /= n;
    for (let j = 0; j < d; j++) mx[j] /= n;
    // A = Xcᵀ Xc + alpha I, b = Xcᵀ yc (centred, so the intercept is not penalised).
    const A = new Float64Array(d * d), b = new Float64Array(d);
    const xc = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) xc[j] = X.data[i * d + j] - mx[j];
      const yc = y[i] - my;
      for (let j = 0; j < d; j++) {
        b[j] += xc[j] * yc;
        for (let l = 0; l <= j; l++) A[j * d + l] += xc[j] * xc[l];
      }
    }
    for (let j = 0; j < d; j++) for (let l = 0; l < j; l++) A[l * d + j] = A[j * d + l];
    for (let j = 0; j < d; j++) A[j * d + j] += this.params.alpha;
    const w = solveSymmetric(A, b, d);
    let intercept = my;
    for (let j = 0; j < d; j++) intercept -= w[j] * mx[j];
    this.learned = { nFeatures: d, coef: Array.from(w), intercept };
    return this;
  }

  predict(X: Matrix): Float64Array {
    const s = this.state();
    checkPredictInput(this.type, X, s.nFeatures);
    const out = new Float64Array(X.rows);
    for (let i = 0; i < X.rows; i++) {
      let v = s.intercept;
      for (let j = 0; j < X.cols; j++) v += s.coef[j] * X.data[i * X.cols + j];
      out[i] = v;
    }
    return out;
  }
}

export class LinearRegression extends Ridge {
  readonly type = 'LinearRegression';
  constructor() {
    super({ alpha: 0 });
  }
}

/**
 * Solves A w = b for symmetric positive semi-definite A by Cholesky; a singular A (collinear
 * features, such as one-hot columns with an intercept) gets the smallest jitter that works, which
 * gives the same predictions as the minimum-norm solution on data like the training data.
 */
function solveSymmetric(A: Float64Array, b: Float64Array, d: number): Float64Array {
  if (d === 0) return new Float64Array(0);
  let trace = 0;
  for (let j = 0; j < d; j++) trace += A[j * d + j];
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-12 * Math.max(trace / d, 1e-300) : jitter * 10) {
    const L = new Float64Array(d * d);
    let ok = true;
    for (let j = 0; j < d && ok; j++) {
      let s = A[j * d + j] + jitter;
      for (let k = 0; k < j; k++) s -= L[j * d + k] ** 2;
      if (!(s > 1e-300)) {
        ok = false;
        break;
      }
      L[j * d + j] = Math.sqrt(s);
      for (let i = j + 1; i < d; i++) {
        let t = A[i * d + j];
        for (let k = 0; k < j; k++) t -= L[i * d + k] * L[j * d + k];
        L[i * d + j] = t / L[j * d + j];
      }
    }
    if (!ok) {
      if (jitter > trace) throw new Error('the features are degenerate (all constant?)');
      continue;
    }
    const z = new Float64Array(d), w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let t = b[i];
      for (let k = 0; k < i; k++) t -= L[i * d + k] * z[k];
      z[i] = t / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let t = z[i];
      for (let k = i + 1; k < d; k++) t -= L[k * d + i] * w[k];
      w[i] = t / L[i * d + i];
    }
    return w;
  }
}
