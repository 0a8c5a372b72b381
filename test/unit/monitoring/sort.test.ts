// The radix sort of the drift tests gives what a comparison sort gives: negatives, zeros of both
// signs, subnormals, huge and tiny magnitudes, infinities and repeats, at sizes on both sides of
// its small-input cut-over.
import * as assert from 'node:assert/strict';
import { sortedCopy } from '../../../src/core/monitoring/sort';

describe('sorting columns for the drift tests', () => {
  it('equals a comparison sort on awkward values, and leaves its input alone', () => {
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const special = [0, -0, 5e-324, -5e-324, 1e308, -1e308, Infinity, -Infinity, 1, -1, 0.1, -0.1];
    for (const n of [10, 2047, 2048, 50_000]) {
      const values = Float64Array.from({ length: n }, (_, i) => (i < special.length ? special[i] : rand() < 0.1 ? Math.round(rand() * 10) : (rand() - 0.5) * 10 ** Math.floor(rand() * 20 - 10)));
      const before = values.slice();
      const ours = sortedCopy(values);
      const theirs = Array.from(values).sort((a, b) => a - b);
      assert.deepEqual(Array.from(ours).map((v) => (v === 0 ? 0 : v)), theirs.map((v) => (v === 0 ? 0 : v)), `n = ${n}`);
      assert.deepEqual(values, before, 'the input is not changed');
    }
  });
});
