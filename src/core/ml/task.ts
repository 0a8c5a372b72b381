// What a learning task is and how its results are ranked: the one place that knows. The CLI, the
// extension (tree, pickers, panels) and the webviews ask here rather than keep lists of their own
// (the primary metric was derived in six places, "lower is better" in a seventh).

export type Task = 'classification' | 'regression';
export const TASKS: readonly Task[] = ['classification', 'regression'];

/** The metric that ranks models, and the default cross-validation scoring: accuracy or R². */
export type PrimaryMetric = 'accuracy' | 'r2';

export function primaryMetric(task: Task): PrimaryMetric {
  return task === 'classification' ? 'accuracy' : 'r2';
}

/** The test metrics a leaderboard shows for a task, the primary one first. */
export const LEADERBOARD_METRICS: Readonly<Record<Task, readonly string[]>> = {
  classification: ['accuracy', 'f1_macro', 'roc_auc', 'log_loss'],
  regression: ['r2', 'rmse', 'mae'],
};

/** Metrics where a smaller value is better: losses, errors and times; everything else ranks high first. */
const LOWER_IS_BETTER = new Set(['log_loss', 'rmse', 'mae', 'mse', 'fit_seconds', 'predict_seconds', 'mean_fit_seconds', 'loss', 'val_loss']);

export function lowerIsBetter(metric: string): boolean {
  return LOWER_IS_BETTER.has(metric.replace(/^(best_)?(cv_)?/, '').replace(/_(mean|std)$/, ''));
}

/**
 * The metric a run is known by, in the order a run holds them: a model's test score, a session's
 * best, a search's best cross-validated score. Undefined for a run without one (failed, running).
 */
export function headlineMetric(metrics: Record<string, number>): { key: string; value: number } | undefined {
  for (const m of TASKS.map(primaryMetric)) {
    for (const key of [m, `best_${m}`, `best_cv_${m}`]) if (key in metrics) return { key, value: metrics[key] };
  }
  return undefined;
}
