// Feature steps by type, as run specs and bundles name them; loading checks the type, version,
// options and state, and restores data only.
import { Aggregate } from './aggregate';
import { Bin } from './binning';
import { Formula } from './formula';
import { Lag, Rolling } from './history';
import { PolynomialFeatures } from './polynomial';
import { SavedStep, Step } from './step';
import { TargetEncoder } from './targetEncoder';
import { TimeFeatures } from './timeFeatures';

export type AnyStep = Step<object, unknown>;

const FACTORIES: Record<string, (params: Record<string, unknown>) => AnyStep> = {
  polynomial: (p) => new PolynomialFeatures(p),
  bin: (p) => new Bin(p),
  aggregate: (p) => new Aggregate(p),
  formula: (p) => new Formula(p),
  lag: (p) => new Lag(p),
  rolling: (p) => new Rolling(p),
  timeFeatures: (p) => new TimeFeatures(p),
  targetEncode: (p) => new TargetEncoder(p),
};

export const STEP_TYPES = Object.keys(FACTORIES);

/** A step from a run spec's entry ({ type, ...options }); its options are checked here. */
export function createStep(spec: unknown, where = 'features'): AnyStep {
  if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new Error(`${where}: a step must be an object with a "type"`);
  const { type, ...params } = spec as Record<string, unknown>;
  // Own properties only: a type such as "constructor" or "__proto__" must be unknown, not Object's.
  const make = typeof type === 'string' && Object.hasOwn(FACTORIES, type) ? FACTORIES[type] : undefined;
  if (!make) throw new Error(`${where}: unknown step type ${JSON.stringify(type)} (known: ${STEP_TYPES.join(', ')})`);
  try {
    return make(params).checkParams();
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** A fitted step from its saved form, checked whole. */
export function loadStep(saved: unknown, where = 'features'): AnyStep {
  const s = saved as SavedStep;
  if (!s || typeof s !== 'object' || typeof s.type !== 'string' || !s.params || typeof s.params !== 'object' || Array.isArray(s.params)) throw new Error(`${where}: not a saved feature step`);
  const step = createStep({ ...s.params, type: s.type }, where);
  if (s.version !== step.version) throw new Error(`${where}: ${s.type} step of version ${s.version}; this version reads ${step.version}`);
  try {
    return step.restoreSaved(s.state);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}
