// Models by name: create one from its type and parameters, or load a saved one. Loading checks the
// format, type and version and restores data only; nothing in a saved model is executed.
import type { Model, SavedModel } from './estimator';
import { LinearRegression, LogisticRegression, Ridge } from './models/linear';
import { RandomForestClassifier, RandomForestRegressor } from './models/forest/forest';
import { SVC } from './models/svm';
import { ApproxSVC } from './models/svmApprox';
import { MLPClassifier, MLPRegressor } from './models/mlp/mlp';


const FACTORIES: Record<string, (params: Record<string, unknown>) => Model> = {
  LogisticRegression: (p) => new LogisticRegression(p),
  LinearRegression: () => new LinearRegression(),
  Ridge: (p) => new Ridge(p),
  RandomForestClassifier: (p) => new RandomForestClassifier(p),
  RandomForestRegressor: (p) => new RandomForestRegressor(p),
  SVC: (p) => new SVC(p),
  ApproxSVC: (p) => new ApproxSVC(p),
  MLPClassifier: (p) => new MLPClassifier(p),
  MLPRegressor: (p) => new MLPRegressor(p),
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
