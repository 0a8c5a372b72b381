// Models by name: create one from its type and parameters, or load a saved one. Loading checks the
// format, type and version and restores data only; nothing in a saved model is executed.
import type { Model, SavedModel } from './estimator';
import { LinearRegression, LogisticRegression, Ridge } from './models/linear';
import { RandomForestClassifier, RandomForestRegressor } from './models/forest/forest';
import { SVC } from './models/svm';
import { ApproxSVC } from './models/svmApprox';
import type * as MlpModule from './models/mlp/mlp';
import type * as MlpBackend from './models/mlp/backend';


/**
 * The MLP's module (and TensorFlow.js with it), loaded when an MLP is first made: evaluating
 * TensorFlow.js took about 0.3 s, which every mlw command and every worker thread paid at start,
 * with or without a network in sight.
 */
let mlpModule: typeof MlpModule | undefined;
const mlp = (): typeof MlpModule => (mlpModule ??= require('./models/mlp/mlp'));

/** Readies TensorFlow.js's backend before a saved MLP of this type loads; nothing for the other models. */
export async function backendFor(type: string): Promise<void> {
  if (!type.startsWith('MLP')) return;
  const backend: typeof MlpBackend = require('./models/mlp/backend');
  await backend.tfBackend();
}

const FACTORIES: Record<string, (params: Record<string, unknown>) => Model> = {
  LogisticRegression: (p) => new LogisticRegression(p),
  LinearRegression: () => new LinearRegression(),
  Ridge: (p) => new Ridge(p),
  RandomForestClassifier: (p) => new RandomForestClassifier(p),
  RandomForestRegressor: (p) => new RandomForestRegressor(p),
  SVC: (p) => new SVC(p),
  ApproxSVC: (p) => new ApproxSVC(p),
  MLPClassifier: (p) => new (mlp().MLPClassifier)(p),
  MLPRegressor: (p) => new (mlp().MLPRegressor)(p),
};

export const MODEL_TYPES = Object.keys(FACTORIES);

export function createEstimator(type: string, params: Record<string, unknown> = {}): Model {
  // Own properties only: a type such as "constructor" or "__proto__" must be unknown, not Object's.
  const make = Object.hasOwn(FACTORIES, type) ? FACTORIES[type] : undefined;
  if (!make) throw new Error(`unknown model type "${type}" (known: ${MODEL_TYPES.join(', ')})`);
  const e = make({});
  return Object.keys(params).length ? e.setParams(params) : e;
}

/** Parameters saved under an earlier name: the MLP's seed is randomState, as the other models'. */
function renamedParams(type: string, params: Record<string, unknown>): Record<string, unknown> {
  if (!type.startsWith('MLP') || !Object.hasOwn(params, 'seed') || Object.hasOwn(params, 'randomState')) return params;
  const { seed, ...rest } = params;
  return { ...rest, randomState: seed };
}

export function loadEstimator(saved: unknown): Model {
  const s = saved as SavedModel<Record<string, unknown>, unknown>;
  if (!s || typeof s !== 'object' || s.format !== 'ml-workbench-model') throw new Error('not an ML Workbench model (format field missing)');
  if (typeof s.type !== 'string') throw new Error('not an ML Workbench model (type field missing)');
  if (s.params !== undefined && (typeof s.params !== 'object' || s.params === null || Array.isArray(s.params))) throw new Error(`${s.type}: params must be an object`);
  const e = createEstimator(s.type, renamedParams(s.type, s.params ?? {}));
  if (s.version !== e.version) throw new Error(`${s.type} model of version ${s.version}; this version reads ${e.version}`);
  return e.restoreSaved(s.state);
}
