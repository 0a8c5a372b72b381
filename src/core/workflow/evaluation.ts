// Scores a fitted model on labelled rows: the metrics a run logs and the data its results panel
// draws (classification report, confusion matrix, ROC and PR curves; predicted against actual for
// regression). Curves are thinned to a few hundred points so artifacts stay small.
import type { Matrix } from '../ml/matrix';
import {
  accuracy, averagePrecision, classificationReport, ClassificationReport, confusionMatrix, logLoss, meanAbsoluteError,
  meanSquaredError, precisionRecallCurve, r2, rocAuc, rocAucOvrMacro, rocCurve, rootMeanSquaredError,
} from '../ml/metrics';
import type { Task } from '../ml/task';
import { isClassifier, Model, ProbabilisticClassifier } from '../ml/estimator';

export interface Curve {
  label: string;
  x: number[];
  y: number[];
  auc: number;
}

export interface ClassificationEvaluation {
  task: 'classification';
  labels: string[];
  metrics: Record<string, number>;
  report: ClassificationReport;
  confusion: number[][];
  /** Binary: the positive class (the second label in sorted order); multiclass: one-vs-rest per class. */
  roc: Curve[];
  pr: Curve[];
}

export interface RegressionEvaluation {
  task: 'regression';
  metrics: Record<string, number>;
  /** A sample of (actual, predicted) pairs, at most 2,000. */
  actual: number[];
  predicted: number[];
}

export type Evaluation = ClassificationEvaluation | RegressionEvaluation;


const MAX_POINTS = 300;

function thin(x: number[], y: number[]): { x: number[]; y: number[] } {
  if (x.length <= MAX_POINTS) return { x, y };
  const step = (x.length - 1) / (MAX_POINTS - 1);
  const idx = Array.from({ length: MAX_POINTS }, (_, i) => Math.round(i * step));
  return { x: idx.map((i) => x[i]), y: idx.map((i) => y[i]) };
}

/** Scores a classifier (labels given) or a regressor; `pred`, when the caller has the predictions already. */
export function evaluateModel(task: Task, model: Model, X: Matrix, y: Int32Array | Float64Array, labels?: string[], pred?: Int32Array | Float64Array, proba?: Float64Array): Evaluation {
  if (task !== model.task) throw new Error(`${model.type} does ${model.task}, not ${task}`);
  return isClassifier(model)
    ? evaluateClassifier(model, X, y as Int32Array, labels!, pred as Int32Array | undefined, proba)
    : evaluateRegressor(model, X, y as Float64Array, pred as Float64Array | undefined);
}

export function evaluateClassifier(model: ProbabilisticClassifier, X: Matrix, y: Int32Array, labels: string[], pred = model.predict(X) as Int32Array, proba = model.predictProba(X)): ClassificationEvaluation {
  const k = labels.length;
  const rows = Array.from({ length: X.rows }, (_, i) => proba.subarray(i * k, (i + 1) * k));
  const report = classificationReport(y, pred, labels);
  const metrics: Record<string, number> = {
    accuracy: accuracy(y, pred),
    f1_macro: report.macro.f1,
    precision_macro: report.macro.precision,
    recall_macro: report.macro.recall,
    f1_weighted: report.weighted.f1,
    log_loss: logLoss(y, rows, k),
  };
  const present = new Set(y);
  const roc: Curve[] = [], pr: Curve[] = [];
  const curveClasses = k === 2 ? [1] : labels.map((_, c) => c);
  for (const c of curveClasses) {
    if (!present.has(c) || present.size < 2) continue; // a curve needs both positives and negatives
    const positive = Array.from(y, (v) => v === c);
    const score = rows.map((r) => r[c]);
    const r = rocCurve(positive, score);
    const p = precisionRecallCurve(positive, score);
    roc.push({ label: labels[c], ...thin(r.fpr, r.tpr), auc: rocAuc(positive, score) });
    pr.push({ label: labels[c], ...thin(p.recall, p.precision), auc: averagePrecision(positive, score) });
  }
  if (present.size === k) {
    metrics.roc_auc = k === 2 ? roc[0].auc : rocAucOvrMacro(y, rows, k);
    if (k === 2) metrics.average_precision = pr[0].auc;
  }
  return { task: 'classification', labels, metrics, report, confusion: confusionMatrix(y, pred, k), roc, pr };
}

export function evaluateRegressor(model: Model, X: Matrix, y: Float64Array, pred = model.predict(X) as Float64Array): RegressionEvaluation {
  const metrics = { r2: r2(y, pred), rmse: rootMeanSquaredError(y, pred), mae: meanAbsoluteError(y, pred), mse: meanSquaredError(y, pred) };
  const step = Math.max(1, Math.ceil(y.length / 2000));
  const actual: number[] = [], predicted: number[] = [];
  for (let i = 0; i < y.length; i += step) {
    actual.push(y[i]);
    predicted.push(pred[i]);
  }
  return { task: 'regression', metrics, actual, predicted };
}
