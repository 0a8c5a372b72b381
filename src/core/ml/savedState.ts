// Checks the learned state of a saved model or preprocessor before anything uses it. A bundle is
// a file from anywhere: a coefficient of "NaN" or null, a vector one short, or a scaler of "x" would
// otherwise load and predict NaN probabilities or a constant class without a word. Types and
// finiteness are a JSON schema's job (Ajv: its number type refuses NaN and ±Infinity, which JSON
// can smuggle in as 1e999); the ways sizes must agree (coef rows = classes, each of nFeatures
// values) are rules in the form params.ts uses, so one message names every problem by its path.
import Ajv, { ValidateFunction } from 'ajv';
import type { Rule } from './params';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** JSON schema fragments for learned state. */
export const S = {
  number: { type: 'number' },
  whole: (minimum = 0) => ({ type: 'integer', minimum }),
  boolean: { type: 'boolean' },
  string: { type: 'string' },
  /** Binary data (typed arrays) as base64. */
  base64: { type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$' },
  vector: (items: object = { type: 'number' }, minItems = 0) => ({ type: 'array', items, minItems }),
  matrix: (minRows = 1) => ({ type: 'array', minItems: minRows, items: { type: 'array', items: { type: 'number' } } }),
  /** An object with these properties, all required but those named optional, and no others. */
  object: (properties: Record<string, object>, optional: string[] = []) => ({
    type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false,
  }),
} as const;

/** Throws "<type>: saved state <path> <problem>" when `state` does not match `schema`. */
export function checkStateSchema(type: string, schema: object, state: unknown): void {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  if (validate(state)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath ? e.instancePath : '';
  const what = e?.keyword === 'additionalProperties' ? `has an unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"` : e?.message ?? 'is malformed';
  throw new Error(`${type}: saved state${where ? ` ${where}` : ''} ${what}`);
}

/** A size rule: `what` has `actual` entries and must have `expected`. */
export const sized = (what: string, actual: number, expected: number): Rule => [actual === expected, `${what} has ${actual} value${actual === 1 ? '' : 's'} where ${expected} ${expected === 1 ? 'is' : 'are'} needed`];

/** Throws one error naming every size rule of the saved state that does not hold. */
export function checkStateShapes(type: string, rules: Rule[]): void {
  const problems = rules.filter(([holds]) => !holds).map(([, p]) => p);
  if (problems.length) throw new Error(`${type}: saved state does not fit together: ${problems.join('; ')}`);
}
