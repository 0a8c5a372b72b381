// Floating-point output compared as the value tests compare it: numbers to a relative tolerance,
// everything else exactly. Regenerated fixtures (pandas, scikit-learn) differ in the last digits
// from one CPU to another, as numpy's reductions do, so a bit-exact comparison fails elsewhere.
import * as assert from 'node:assert/strict';

/** Fails at the first difference, naming its path (`datasets.titanic.columns[2].std`). */
export function assertDeepClose(actual: unknown, expected: unknown, rel = 1e-9, at = '(top)'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected) && Number.isNaN(actual)) return;
    const tol = rel * Math.max(1, Math.abs(expected));
    assert.ok(actual === expected || Math.abs(actual - expected) <= tol, `${at}: ${actual} vs ${expected} (relative tolerance ${rel})`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected an array, got ${JSON.stringify(actual)?.slice(0, 80)}`);
    assert.equal(actual.length, expected.length, `${at}: length`);
    expected.forEach((e, i) => assertDeepClose(actual[i], e, rel, `${at}[${i}]`));
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object' && !Array.isArray(actual), `${at}: expected an object`);
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${at}: keys`);
    for (const k of Object.keys(expected)) assertDeepClose((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], rel, `${at}.${k}`);
    return;
  }
  assert.equal(actual, expected, at);
}
