import * as assert from 'node:assert/strict';
import { fastExp } from '../../../src/core/ml/fastExp';

describe('fastExp', () => {
  it('is within 2 ulp of Math.exp across the range the kernels and losses use', () => {
    let worst = 0;
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const check = (x: number) => {
      const want = Math.exp(x);
      const ulp = Math.max(Math.abs(want) * Number.EPSILON, Number.MIN_VALUE);
      worst = Math.max(worst, Math.abs(fastExp(x) - want) / ulp);
    };
    for (let i = 0; i < 200_000; i++) check(-745 + 1450 * rand()); // past ±708, Math.exp itself
    for (let i = 0; i < 200_000; i++) check(-20 * rand());
    for (let i = -300; i <= 300; i++) check(i * Math.LN2 / 256); // the table's knots
    assert.ok(worst <= 2, `worst error ${worst.toFixed(2)} ulp`);
  });

  it('agrees with Math.exp at the edges: 0, ±Infinity, NaN, under- and overflow', () => {
    assert.equal(fastExp(0), 1);
    assert.equal(fastExp(-0), 1);
    assert.equal(fastExp(-Infinity), 0);
    assert.equal(fastExp(Infinity), Infinity);
    assert.ok(Number.isNaN(fastExp(NaN)));
    assert.equal(fastExp(-800), 0);
    assert.equal(fastExp(710), Infinity);
    assert.equal(fastExp(-708.5), Math.exp(-708.5));
    assert.equal(fastExp(709), Math.exp(709));
  });
});
