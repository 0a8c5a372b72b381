// The profile's numbers against pandas' on the shared datasets (fixture made by
// test/scripts/make_pandas_fixture.py with Debian's pandas): exact statistics to a relative 1e-9.
import * as assert from 'node:assert/strict';
import { profileCsv } from '../../../src/core/jobs/profileCsv';
import type { Profile } from '../../../src/core/profile/types';
import fixture from '../../fixtures/pandas_profile.json';
import { dataset } from '../../support/paths';

type Expected = (typeof fixture.datasets)[keyof typeof fixture.datasets];

function close(actual: number | undefined, expected: number | string | null | undefined, what: string, rel = 1e-9): void {
  if (expected === null || expected === undefined) {
    assert.ok(actual === undefined || Number.isNaN(actual), `${what}: expected no value, got ${actual}`);
    return;
  }
  const e = typeof expected === 'string' ? (expected === 'Infinity' ? Infinity : -Infinity) : expected;
  assert.ok(actual !== undefined, `${what}: missing (pandas ${e})`);
  if (!Number.isFinite(e)) return assert.equal(actual, e, what);
  const tol = rel * Math.max(1, Math.abs(e));
  assert.ok(Math.abs(actual! - e) <= tol, `${what}: ${actual} vs pandas ${e} (diff ${Math.abs(actual! - e)})`);
}

describe('profile equals pandas', () => {
  for (const [name, expected] of Object.entries(fixture.datasets) as [string, Expected][]) {
    describe(name, () => {
      let p: Profile;
      before(async () => {
        p = await profileCsv(dataset(name));
      });

      it('rows, missing cells, duplicate rows', () => {
        assert.equal(p.rows, expected.rows);
        assert.equal(p.missingCells, expected.missingCells);
        assert.equal(p.duplicateRows, expected.duplicateRows);
        assert.deepEqual(p.columns.map((c) => c.name), expected.columns.map((c) => c.name));
      });

      it('per column: dtype, count, missing, distinct', () => {
        for (const e of expected.columns) {
          const c = p.columns.find((x) => x.name === e.name)!;
          assert.equal(c.dtype, e.dtype, `${e.name} dtype`);
          assert.equal(c.count, e.count, `${e.name} count`);
          assert.equal(c.missing, e.missing, `${e.name} missing`);
          assert.equal(c.distinct, e.distinct, `${e.name} distinct`);
        }
      });

      it('describe(): mean, std, min, quartiles, max, skew, zeros', () => {
        for (const e of expected.columns as (Expected['columns'][number] & Record<string, number | null>)[]) {
          if (!('mean' in e)) continue;
          const c = p.columns.find((x) => x.name === e.name)!;
          for (const k of ['mean', 'std', 'min', 'q25', 'median', 'q75', 'max', 'skewness'] as const) close(c[k], e[k], `${e.name}.${k}`);
          assert.equal(c.zeros, e.zeros, `${e.name}.zeros`);
        }
      });

      it('value_counts(): top values', () => {
        for (const e of expected.columns as (Expected['columns'][number] & { top?: { value: string; count: number }[] })[]) {
          if (!e.top) continue;
          const c = p.columns.find((x) => x.name === e.name)!;
          const counts = c.top!.slice(0, e.top.length).map((t) => t.count);
          assert.deepEqual(counts, e.top.map((t) => t.count), `${e.name} top counts`);
          // Values with equal counts may come in another order; those with unique counts must match.
          e.top.forEach((t, i) => {
            const tied = e.top!.filter((u) => u.count === t.count).length > 1;
            if (!tied) assert.equal(c.top![i].value, t.value, `${e.name} top[${i}]`);
          });
        }
      });

      it('datetime range', () => {
        for (const e of expected.columns as (Expected['columns'][number] & { minDate?: string; maxDate?: string })[]) {
          if (!e.minDate) continue;
          const c = p.columns.find((x) => x.name === e.name)!;
          assert.equal(c.minDate, new Date(e.minDate + 'Z').toISOString());
          assert.equal(c.maxDate, new Date(e.maxDate + 'Z').toISOString());
        }
      });

      it('corr(): Pearson over numeric columns', () => {
        assert.deepEqual(p.correlations.columns, expected.correlations.columns);
        expected.correlations.values.forEach((row, i) => row.forEach((v, j) => close(p.correlations.values[i][j] ?? undefined, v, `r(${expected.correlations.columns[i]}, ${expected.correlations.columns[j]})`)));
      });
    });
  }
});
