// Linear models: logistic regression (L2; binary logistic or multinomial softmax, as scikit-learn's
// lbfgs solver), linear regression and ridge.
import { balancedWeights, checkClasses, checkFitInput, checkPredictInput, Classifier, Estimator, FitOptions } from '../estimator';
import { lbfgs } from '../lbfgs';
import { Matrix, nonZeros } from '../matrix';

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

export class LogisticRegression extends Classifier<LogisticRegressionParams, LogisticRegressionState> {
  readonly type = 'LogisticRegression';
  readonly version = 1;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    // tol as scikit-learn's default: lbfgs stops when the largest gradient component of the
    // per-row objective is below 1e-4, the same objective and test as scikit-learn 1.1+.
    super({ C: 1, classWeight: null, maxIter: 1000, tol: 1e-4 }, params);
  }

  get nClasses(): number {
    return this.state().nClasses;
  }

  fit(X: Matrix, y: Int32Array, options: FitOptions = {}): this {
    checkFitInput(this.type, X, y);
    const { C, maxIter, tol } = this.params;
    if (!(C > 0)) throw new Error(`${this.type}: C must be positive (got ${C})`);
    const k = checkClasses(this.type, y);
    const n = X.rows, d = X.cols;
    const sw = this.params.classWeight === 'balanced' ? balancedWeights(y, k) : new Float64Array(n).fill(1);
    // Objective per row (sum / n), so that the tolerance does not depend on n; same optimum as
    // scikit-learn's sum of losses + ||w||² / (2C).
    const lambda = 1 / (C * n);
    const rows = k === 2 ? 1 : k;
    const z = new Float64Array(rows), e = new Float64Array(rows);
    // Rows as (column, value) pairs of their non-zeros: one-hot features make most cells zero,
    // and every pass below then skips them.
    const { start: rs, col: nzCol, val: nzVal } = nonZeros(X);
    const fg = (w: Float64Array, grad: Float64Array): number => {
      grad.fill(0);
      let loss = 0;
      const b0 = rows * d;
      for (let i = 0; i < n; i++) {
        const p0 = rs[i], p1 = rs[i + 1];
        for (let c = 0; c < rows; c++) {
          let s = w[b0 + c];
          const wo = c * d;
          for (let p = p0; p < p1; p++) s += w[wo + nzCol[p]] * nzVal[p];
          z[c] = s;
        }
        if (rows === 1) {
          const t = y[i] === 1 ? 1 : 0;
          const zz = z[0];
          loss += sw[i] * (zz > 0 ? Math.log1p(Math.exp(-zz)) + zz * (1 - t) : Math.log1p(Math.exp(zz)) - zz * t);
          const r = sw[i] * (1 / (1 + Math.exp(-zz)) - t);
          for (let p = p0; p < p1; p++) grad[nzCol[p]] += r * nzVal[p];
          grad[b0] += r;
        } else {
          let max = -Infinity;
          for (let c = 0; c < rows; c++) if (z[c] > max) max = z[c];
          let sum = 0;
          for (let c = 0; c < rows; c++) sum += e[c] = Math.exp(z[c] - max);
          const yi = y[i], wi = sw[i];
          loss += wi * (max + Math.log(sum) - z[yi]);
          const inv = wi / sum;
          for (let c = 0; c < rows; c++) {
            const r = e[c] * inv - (c === yi ? wi : 0);
            const wo = c * d;
            for (let p = p0; p < p1; p++) grad[wo + nzCol[p]] += r * nzVal[p];
            grad[b0 + c] += r;
          }
        }
      }
      let penalty = 0;
      for (let p = 0; p < rows * d; p++) {
        penalty += w[p] * w[p];
        grad[p] = grad[p] / n + lambda * w[p];
      }
      for (let c = 0; c < rows; c++) grad[b0 + c] /= n;
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

/** Ridge regression (alpha > 0) and ordinary least squares (alpha 0), by the normal equations. */
export class Ridge extends Estimator<RidgeParams, LinearState> {
  readonly type: string = 'Ridge';
  readonly version = 1;
  readonly task = 'regression' as const;

  constructor(params: Partial<RidgeParams> = {}) {
    super({ alpha: 1 }, params);
  }

  fit(X: Matrix, y: Float64Array): this {
    checkFitInput(this.type, X, y);
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
