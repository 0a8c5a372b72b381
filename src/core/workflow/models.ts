// Our four model keys and the estimators behind them, per task. The SVM has two solvers: exact
// (libsvm's SMO, whose time grows with the square of the rows) and the documented fast path for
// large data (random Fourier features + a linear SVM); 'auto' switches above 10,000 training rows.
import type { Task } from '../ml/estimator';
import type { ModelKey, SvmSolver } from './spec';

export const MODEL_NAMES: Record<ModelKey, string> = { lr: 'Logistic regression', rf: 'Random forest', svm: 'SVM', mlp: 'Neural net (MLP)' };
export const REGRESSION_NAMES: Partial<Record<ModelKey, string>> = { lr: 'Linear regression', rf: 'Random forest', mlp: 'Neural net (MLP)' };
export const EXACT_SVM_MAX_ROWS = 10_000;

export function modelName(key: ModelKey, task: Task): string {
  return (task === 'regression' ? REGRESSION_NAMES[key] : undefined) ?? MODEL_NAMES[key];
}

export function estimatorType(key: ModelKey, task: Task, nTrain: number, svmSolver: SvmSolver = 'auto'): string {
  const classify = task === 'classification';
  switch (key) {
    case 'lr':
      return classify ? 'LogisticRegression' : 'LinearRegression';
    case 'rf':
      return classify ? 'RandomForestClassifier' : 'RandomForestRegressor';
    case 'svm':
      if (!classify) throw new Error('the SVM is for classification only (a support vector regressor is not built yet); choose lr, rf or mlp for regression');
      return svmSolver === 'exact' || (svmSolver === 'auto' && nTrain <= EXACT_SVM_MAX_ROWS) ? 'SVC' : 'ApproxSVC';
    case 'mlp':
      return classify ? 'MLPClassifier' : 'MLPRegressor';
    default:
      throw new Error(`unknown model "${key}" (known: lr, rf, svm, mlp)`);
  }
}

/** Defaults that tie the model to the run's seed, then the user's parameters. */
export function seededParams(type: string, seed: number, user: Record<string, unknown> = {}): Record<string, unknown> {
  const seedKey = type.startsWith('RandomForest') || type === 'ApproxSVC' ? 'randomState' : type.startsWith('MLP') ? 'seed' : undefined;
  return { ...(seedKey ? { [seedKey]: seed } : {}), ...user };
}

