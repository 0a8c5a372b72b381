// Parameter checks before a fit. A parameter out of range would otherwise fit nonsense without a
// word (an SVC with gamma -1, a logistic regression with no iterations) or fail deep inside a
// solver with a message about something else. Every broken rule goes into one message that names
// the estimator and each parameter by its name in run specs (camelCase), e.g.
// "SVC: gamma must be 'scale' or a positive number (got -1); tol must be positive (got 0)".

/** A rule: whether it holds, and what to say if it does not. */
export type Rule = [holds: boolean, problem: string];

const show = (x: unknown): string => (typeof x === 'string' ? `'${x}'` : Array.isArray(x) || (typeof x === 'object' && x !== null) ? JSON.stringify(x) : String(x));
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isWhole = (x: unknown, min: number) => Number.isInteger(x) && (x as number) >= min;

/** "`name` must be `must` (got `x`)", holding when `holds` does: the form of every rule here. */
export const rule = (holds: boolean, name: string, must: string, x: unknown): Rule => [holds, `${name} must be ${must} (got ${show(x)})`];

export const positive = (name: string, x: unknown) => rule(isNumber(x) && x > 0, name, 'positive', x);

export const nonNegative = (name: string, x: unknown) => rule(isNumber(x) && x >= 0, name, '≥ 0', x);

export const wholeAtLeast = (name: string, x: unknown, min: number) => rule(isWhole(x, min), name, `a whole number ≥ ${min}`, x);

/**
 * A whole number from min to max. The caps are for work that cannot finish: 1e9 trees aborted V8
 * with a native stack, 1e9 epochs ran for ever. They sit far above what a fit of ours uses.
 */
export const wholeIn = (name: string, x: unknown, min: number, max: number) => rule(isWhole(x, min) && (x as number) <= max, name, `a whole number from ${min} to ${max.toLocaleString('en-US')}`, x);

/** In [0, 1): a rate or a share that must leave something over. */
export const fraction = (name: string, x: unknown) => rule(isNumber(x) && x >= 0 && x < 1, name, 'in [0, 1)', x);

export const oneOf = (name: string, x: unknown, values: readonly unknown[]) => rule(values.includes(x), name, values.map(show).join(' or '), x);

export const gamma = (x: unknown) => rule(x === 'scale' || (isNumber(x) && x > 0), 'gamma', "'scale' or a positive number", x);

export const nJobs = (x: unknown) => rule(x === -1 || isWhole(x, 1), 'nJobs', '-1 (one per core) or a whole number ≥ 1', x);

export const seed = (name: string, x: unknown) => rule(Number.isInteger(x), name, 'a whole number', x);

/** Throws one error naming every rule that does not hold. */
export function checkParams(type: string, rules: Rule[]): void {
  const problems = rules.filter(([holds]) => !holds).map(([, problem]) => problem);
  if (problems.length) throw new Error(`${type}: ${problems.join('; ')}`);
}

/**
 * What estimators and feature steps share, as scikit-learn's BaseEstimator serves both: parameters,
 * their rules checked in one error, and learned state that is there only once fitted.
 */
export abstract class Configured<P extends object, S> {
  abstract readonly type: string;
  abstract readonly version: number;
  params: P;
  protected learned?: S;

  constructor(params: P) {
    this.params = params;
  }

  /** The rules its parameters must satisfy, named as run specs name them. */
  protected abstract paramRules(): Rule[];

  /**
   * Throws one error naming every parameter out of range. fit calls it first; a search calls it
   * for every candidate before it starts, and loading a saved model or step before it builds anything.
   */
  checkParams(): this {
    checkParams(this.type, this.paramRules());
    return this;
  }

  get fitted(): boolean {
    return this.learned !== undefined;
  }

  /** How a "not fitted" error names it. */
  protected get name(): string {
    return this.type;
  }

  protected state(): S {
    if (!this.learned) throw new Error(`${this.name} is not fitted yet: call fit first`);
    return this.learned;
  }
}
