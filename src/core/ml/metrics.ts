// Metrics that equal scikit-learn 1.2's on the same predictions (tests hold them to 1e-9 against
// fixtures made by Debian's python3-sklearn). Classes are indices 0..k-1 into sorted labels, as
// scikit-learn orders them; a binary problem's positive class is index 1.

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** Rows are true classes, columns predicted classes (sklearn's confusion_matrix). */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  checkLengths(yTrue, yPred);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

export interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  classes: (ClassScores & { label: string })[];
  accuracy: number;
  macro: ClassScores;
  weighted: ClassScores;
}

/** sklearn's classification_report (zero_division=0: an undefined ratio counts as 0). */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels: string[]): ClassificationReport {
  const cm = confusionMatrix(yTrue, yPred, labels.length);
  const k = labels.length;
  const classes = labels.map((label, c) => {
    const tp = cm[c][c];
    let predicted = 0, actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += cm[j][c];
      actual += cm[c][j];
    }
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    const denom = precision + recall;
    return { label, precision, recall, f1: denom ? (2 * precision * recall) / denom : 0, support: actual };
  });
  const total = classes.reduce((s, c) => s + c.support, 0);
  const avg = (key: 'precision' | 'recall' | 'f1', weighted: boolean) =>
    weighted ? (total ? classes.reduce((s, c) => s + c[key] * c.support, 0) / total : 0) : classes.reduce((s, c) => s + c[key], 0) / k;
  return {
    classes,
    accuracy: accuracy(yTrue, yPred),
    macro: { precision: avg('precision', false), recall: avg('recall', false), f1: avg('f1', false), support: total },
    weighted: { precision: avg('precision', true), recall: avg('recall', true), f1: avg('f1', true), support: total },
  };
}

/**
 * sklearn's _binary_clf_curve: scores in decreasing order, cut where the score changes; false
 * and true positives at each cut.
 */
function binaryClfCurve(positive: ArrayLike<boolean | number>, score: ArrayLike<number>) {
  const n = score.length;
  // np.argsort(score, kind="mergesort")[::-1]: stable ascending, then reversed.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b] || a - b).reverse();
  const fps: number[] = [], tps: number[] = [], thresholds: number[] = [];
  let tp = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    if (positive[i]) tp++;
    if (r === n - 1 || score[order[r + 1]] !== score[i]) {
      tps.push(tp);
      fps.push(r + 1 - tp);
      thresholds.push(score[i]);
    }
  }
  return { fps, tps, thresholds };
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** sklearn's roc_curve(drop_intermediate=True). */
export function rocCurve(positive: ArrayLike<boolean | number>, score: ArrayLike<number>): RocCurve {
  checkLengths(positive, score);
  let { fps, tps, thresholds } = binaryClfCurve(positive, score);
  if (fps.length > 2) {
    // Keep the ends and every point where the curve bends (second differences not both zero).
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 ||
      fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
    fps = fps.filter((_, i) => keep[i]);
    tps = tps.filter((_, i) => keep[i]);
    thresholds = thresholds.filter((_, i) => keep[i]);
  }
  tps = [0, ...tps];
  fps = [0, ...fps];
  thresholds = [thresholds[0] + 1, ...thresholds];
  const fn = fps[fps.length - 1], tn = tps[tps.length - 1];
  return { fpr: fps.map((f) => (fn > 0 ? f / fn : NaN)), tpr: tps.map((t) => (tn > 0 ? t / tn : NaN)), thresholds };
}

/** Area under a curve by the trapezoidal rule (sklearn's auc; x monotonic either way). */
export function auc(x: number[], y: number[]): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  const decreasing = x.length > 1 && x[x.length - 1] < x[0];
  return decreasing ? -area : area;
}

export function rocAuc(positive: ArrayLike<boolean | number>, score: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(positive, score);
  return auc(fpr, tpr);
}

/** roc_auc_score(multi_class="ovr", average="macro"): the mean of each class against the rest. */
export function rocAucOvrMacro(yTrue: ArrayLike<number>, proba: ArrayLike<number>[], nClasses: number): number {
  let sum = 0;
  for (let c = 0; c < nClasses; c++) {
    const positive = Array.from(yTrue, (y) => y === c);
    sum += rocAuc(positive, Array.from(proba, (row) => row[c]));
  }
  return sum / nClasses;
}

export interface PrCurve {
  precision: number[];
  recall: number[];
  thresholds: number[];
}

/** sklearn 1.2's precision_recall_curve: recall decreasing, ending at (recall 0, precision 1). */
export function precisionRecallCurve(positive: ArrayLike<boolean | number>, score: ArrayLike<number>): PrCurve {
  checkLengths(positive, score);
  const { fps, tps, thresholds } = binaryClfCurve(positive, score);
  const precision = tps.map((t, i) => (t + fps[i] !== 0 ? t / (t + fps[i]) : 0));
  const last = tps[tps.length - 1];
  const recall = tps.map((t) => (last === 0 ? 1 : t / last));
  return { precision: [...precision.reverse(), 1], recall: [...recall.reverse(), 0], thresholds: [...thresholds].reverse() };
}

/** sklearn's average_precision_score for one class: -sum(diff(recall) * precision[:-1]). */
export function averagePrecision(positive: ArrayLike<boolean | number>, score: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(positive, score);
  let s = 0;
  for (let i = 1; i < recall.length; i++) s += (recall[i] - recall[i - 1]) * precision[i - 1];
  return -s;
}

/** sklearn's log_loss: probabilities clipped to [eps, 1 - eps] and renormalised per row. */
export function logLoss(yTrue: ArrayLike<number>, proba: ArrayLike<number>[], nClasses: number): number {
  checkLengths(yTrue, proba);
  const eps = Number.EPSILON;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const row = proba[i];
    let rowSum = 0;
    for (let c = 0; c < nClasses; c++) rowSum += Math.min(1 - eps, Math.max(eps, row[c]));
    const p = Math.min(1 - eps, Math.max(eps, row[yTrue[i]])) / rowSum;
    total -= Math.log(p);
  }
  return total / yTrue.length;
}

export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i] - yPred[i]);
  return s / yTrue.length;
}

export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yTrue[i] - yPred[i]) ** 2;
  return s / yTrue.length;
}

export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** sklearn's r2_score: 1 - SS_res / SS_tot (1 for a perfect fit of a constant, 0 otherwise). */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkLengths(yTrue, yPred);
  let mean = 0;
  for (let i = 0; i < yTrue.length; i++) mean += yTrue[i];
  mean /= yTrue.length;
  let res = 0, tot = 0;
  for (let i = 0; i < yTrue.length; i++) {
    res += (yTrue[i] - yPred[i]) ** 2;
    tot += (yTrue[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new Error(`metrics: ${a.length} true values but ${b.length} predictions`);
  if (a.length === 0) throw new Error('metrics: no samples');
}
