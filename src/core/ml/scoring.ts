// Scorers by scikit-learn's names; greater is better for every one (hence neg_rmse).
import type { Matrix } from './matrix';
import { accuracy, classificationReport, r2, rocAuc, rocAucOvrMacro, rootMeanSquaredError } from './metrics';
import type { Task } from './task';
import { isClassifier, Model, ProbabilisticClassifier } from './estimator';

export type Scoring = 'accuracy' | 'f1_macro' | 'roc_auc' | 'r2' | 'neg_rmse';

const FOR_CLASSIFICATION: Scoring[] = ['accuracy', 'f1_macro', 'roc_auc'];
const FOR_REGRESSION: Scoring[] = ['r2', 'neg_rmse'];

/** Refuses a scorer of the other task, naming the ones that fit. */
export function checkScoring(scoring: Scoring, task: Task): void {
  const [fit, other] = task === 'classification' ? [FOR_CLASSIFICATION, FOR_REGRESSION] : [FOR_REGRESSION, FOR_CLASSIFICATION];
  if (other.includes(scoring)) throw new Error(`scoring "${scoring}" is for ${task === 'classification' ? 'regression' : 'classification'}; use ${fit.slice(0, -1).join(', ')} or ${fit[fit.length - 1]}`);
}

/** The classifier a class-probability score needs, or an error naming the scoring. */
function classifier(model: Model, scoring: Scoring): ProbabilisticClassifier {
  if (!isClassifier(model)) throw new Error(`scoring ${scoring} is for classifiers; ${model.type} does ${model.task}`);
  return model;
}

export function score(scoring: Scoring, model: Model, X: Matrix, y: Int32Array | Float64Array): number {
  switch (scoring) {
    case 'accuracy':
      return accuracy(y, model.predict(X));
    case 'f1_macro': {
      const k = classifier(model, scoring).nClasses;
      return classificationReport(y, model.predict(X), Array.from({ length: k }, (_, i) => String(i))).macro.f1;
    }
    case 'roc_auc': {
      const c = classifier(model, scoring);
      const k = c.nClasses;
      const p = c.predictProba(X);
      if (k === 2) return rocAuc(Array.from(y, (v) => v === 1), Array.from({ length: X.rows }, (_, i) => p[2 * i + 1]));
      return rocAucOvrMacro(y, Array.from({ length: X.rows }, (_, i) => p.subarray(i * k, (i + 1) * k)), k);
    }
    case 'r2':
      return r2(y, model.predict(X));
    case 'neg_rmse':
      return -rootMeanSquaredError(y, model.predict(X));
    default:
      throw new Error(`unknown scoring "${scoring}" (known: accuracy, f1_macro, roc_auc, r2, neg_rmse)`);
  }
}
