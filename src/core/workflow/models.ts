// The model catalogue: our four model keys, the estimators behind them per task, what each is
// called and does, which a task offers for training and for tuning, and each one's default grid.
// The extension's questions, mlw and the run spec all ask here. The SVM has two solvers: exact
// (libsvm's SMO, whose time grows with the square of the rows) and the documented fast path for
// large data (random Fourier features + a linear SVM); 'auto' switches above 10,000 training rows.
import type { Task } from '../ml/task';
import type { ModelKey, SvmSolver } from './spec';

export const MODEL_NAMES: Record<ModelKey, string> = { lr: 'Logistic regression', rf: 'Random forest', svm: 'SVM', mlp: 'Neural net (MLP)' };
export const REGRESSION_NAMES: Partial<Record<ModelKey, string>> = { lr: 'Linear regression', rf: 'Random forest', mlp: 'Neural net (MLP)' };
export const EXACT_SVM_MAX_ROWS = 10_000;

/** The models a task can train (the SVM is for classification only). */
export function modelsFor(task: Task): ModelKey[] {
  return task === 'classification' ? ['lr', 'rf', 'svm', 'mlp'] : ['lr', 'rf', 'mlp'];
}

/** The models a task can tune: linear regression has no hyperparameter to search. */
export function tunableModels(task: Task): ModelKey[] {
  return task === 'classification' ? ['rf', 'lr', 'svm', 'mlp'] : ['rf', 'mlp'];
}

/** What each model is, in a line, for a picker. */
export function modelDescription(key: ModelKey, task: Task): string {
  const d: Record<ModelKey, string> = {
    lr: task === 'classification' ? 'L2 logistic regression (L-BFGS), multinomial for several classes' : 'ordinary least squares',
    rf: '100 trees, grown in parallel worker threads',
    svm: 'RBF kernel; above 10,000 training rows the fast path (random Fourier features + linear SVM)',
    mlp: 'TensorFlow.js: Dense(64) → Dense(64), dropout 0.2, Adam, 50 epochs; live loss curve',
  };
  return d[key];
}

/** The grid a search tries when none is given: scikit-learn users' usual first searches. */
export const DEFAULT_GRIDS: Readonly<Record<ModelKey, Record<string, unknown[]>>> = {
  lr: { C: [0.01, 0.1, 1, 10, 100] },
  rf: { nEstimators: [50, 100], maxDepth: [10, null], minSamplesLeaf: [1, 4] },
  svm: { C: [0.1, 1, 10], gamma: ['scale', 0.01, 0.1] },
  mlp: { learningRate: [0.001, 0.003], dropout: [0.2, 0.4] },
};

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
  const seedKey = type.startsWith('RandomForest') || type === 'ApproxSVC' || type.startsWith('MLP') ? 'randomState' : undefined;
  return { ...(seedKey ? { [seedKey]: seed } : {}), ...user };
}

