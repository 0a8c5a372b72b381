// Parameter checks before a fit. A parameter out of range would otherwise fit nonsense without a
// word (an SVC with gamma -1, a logistic regression with no iterations) or fail deep inside a
// solver with a message about something else. Every broken rule goes into one message that names
// the estimator and each parameter by its name in run specs (camelCase), e.g.
// "SVC: gamma must be 'scale' or a positive number (got -1); tol must be positive (got 0)".

/** A rule: whether it holds, and what to say if it does not. */
export type Rule = [holds: boolean, problem: string];

const show = (x: unknown): string => (typeof x === 'string' ? `'${x}'` : Array.isArray(x) || (typeof x === 'object' && x !== null) ? JSON.stringify(x) : String(x));
const got = (x: unknown) => `(got ${show(x)})`;
const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export const positive = (name: string, x: unknown): Rule => [isNumber(x) && x > 0, `${name} must be positive ${got(x)}`];

export const nonNegative = (name: string, x: unknown): Rule => [isNumber(x) && x >= 0, `${name} must be ≥ 0 ${got(x)}`];

export const wholeAtLeast = (name: string, x: unknown, min: number): Rule => [Number.isInteger(x) && (x as number) >= min, `${name} must be a whole number ≥ ${min} ${got(x)}`];

/** In [0, 1): a rate or a share that must leave something over. */
export const fraction = (name: string, x: unknown): Rule => [isNumber(x) && x >= 0 && x < 1, `${name} must be in [0, 1) ${got(x)}`];

export const oneOf = (name: string, x: unknown, values: readonly unknown[]): Rule => [values.includes(x), `${name} must be ${values.map(show).join(' or ')} ${got(x)}`];

export const gamma = (x: unknown): Rule => [x === 'scale' || (isNumber(x) && x > 0), `gamma must be 'scale' or a positive number ${got(x)}`];

export const nJobs = (x: unknown): Rule => [x === -1 || (Number.isInteger(x) && (x as number) >= 1), `nJobs must be -1 (one per core) or a whole number ≥ 1 ${got(x)}`];

export const seed = (name: string, x: unknown): Rule => [Number.isInteger(x), `${name} must be a whole number ${got(x)}`];

/** Throws one error naming every rule that does not hold. */
export function checkParams(type: string, rules: Rule[]): void {
  const problems = rules.filter(([holds]) => !holds).map(([, problem]) => problem);
  if (problems.length) throw new Error(`${type}: ${problems.join('; ')}`);
}
