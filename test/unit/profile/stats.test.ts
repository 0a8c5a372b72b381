// The statistics kernels against direct definitions on random data.
import * as assert from 'node:assert/strict';
import { histogram, histogramOfCounts, locationMoments, moments, quantiles, reservoir, rng, select } from '../../../src/core/profile/stats';
import { countedQuantiles, distinctFloats, duplicateRows } from '../../../src/core/profile/distinct';
import { Reservoir } from '../../../src/core/profile/stats';
import type { Column } from '../../../src/core/frame';

function sortedQuantile(sorted: number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

describe('statistics kernels', () => {
  const rand = rng(7);
  for (const n of [1, 2, 3, 10, 101, 5000]) {
    it(`quantiles and select on ${n} values with ties`, () => {
      const a = Float64Array.from({ length: n }, () => Math.round(rand() * 50) / 2);
      const sorted = Array.from(a).sort((x, y) => x - y);
      const qs = quantiles(a.slice(), [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]);
      [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1].forEach((q, i) => assert.ok(Math.abs(qs[i] - sortedQuantile(sorted, q)) < 1e-12, `q=${q}`));
      const b = a.slice();
      const k = Math.floor(n / 3);
      select(b, k);
      assert.equal(b[k], sorted[k]);
    });
  }

  it('moments: mean, sample std, adjusted skewness', () => {
    const m = moments(Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9, NaN]));
    assert.equal(m.count, 8);
    assert.equal(m.mean, 5);
    assert.ok(Math.abs(m.std - Math.sqrt(32 / 7)) < 1e-12);
    // scipy.stats.skew(bias=False) of the same values
    assert.ok(Math.abs(m.skewness - 0.8184875533567997) < 1e-12, String(m.skewness));
    assert.equal(moments(Float64Array.from([3, 3, 3])).skewness, 0);
    assert.ok(Number.isNaN(moments(Float64Array.from([1, 2])).skewness));
  });

  it('distinct counts floats, whole numbers and datetimes alike', () => {
    assert.equal(distinctFloats(Float64Array.from([1, 1, 2, NaN, 3.5, 3.5, -0, 0])), 4);
    assert.equal(distinctFloats(Float64Array.from([60000, 120000, 60000, 1.6e12])), 3);
    const big = Float64Array.from({ length: 10000 }, (_, i) => (i % 777) * 0.1);
    assert.equal(distinctFloats(big), 777);
  });

  it('duplicate rows: NaN equals NaN, every column counts', () => {
    const a: Column = { kind: 'numeric', name: 'a', length: 5, integer: false, values: Float64Array.from([1, NaN, 1, NaN, 1]) };
    const b: Column = { kind: 'categorical', name: 'b', length: 5, codes: Int32Array.from([0, 1, 0, 1, 1]), dictionary: ['x', 'y'] };
    assert.equal(duplicateRows([a, b], 5), 2);
  });

  it('duplicate rows of a table of more than a million rows are counted as a set of row keys counts them', () => {
    const rows = 1_300_000; // grouped by hash, as large tables are
    const r = rng(11);
    const a: Column = { kind: 'numeric', name: 'a', length: rows, integer: false, values: Float64Array.from({ length: rows }, () => (r() < 0.01 ? NaN : Math.floor(r() * 1500) / 4)) };
    const b: Column = { kind: 'categorical', name: 'b', length: rows, codes: Int32Array.from({ length: rows }, () => Math.floor(r() * 900)), dictionary: [] };
    const keys = new Set<string>();
    for (let i = 0; i < rows; i++) keys.add(`${a.values[i]}|${b.codes[i]}`);
    assert.equal(duplicateRows([a, b], rows), rows - keys.size);
    // The same count into an array of zeros readied beforehand (profileWorker's), a longer one
    // included; one too short for the rows is not used.
    assert.equal(duplicateRows([a, b], rows, new Int32Array(2 * rows + 1000)), rows - keys.size);
    const short = new Int32Array(2 * rows - 2);
    assert.equal(duplicateRows([a, b], rows, short), rows - keys.size);
    assert.ok(short.every((x) => x === 0));
  });

  it('a histogram from a counted column\'s values and counts equals the one from its rows', () => {
    const r = rng(5);
    const columns: [Float64Array, boolean, boolean][] = [
      [Float64Array.from({ length: 50_000 }, () => (r() < 0.05 ? NaN : Math.floor(r() * 2000) - 300)), false, true], // many whole numbers
      [Float64Array.from({ length: 5_000 }, () => Math.floor(r() * 12)), false, true], // a bin per value
      [Float64Array.from({ length: 20_000 }, () => 9.78e11 + Math.floor(r() * 50_000) * 60_000), true, false], // datetimes in minutes
      [Float64Array.from([-0, 0, 3, 3, 3, NaN]), false, true],
      [Float64Array.from([7, 7, 7]), false, true], // one value
    ];
    for (const [values, datetime, integer] of columns) {
      const counted = countedQuantiles(values, datetime, [0.5]);
      assert.ok(counted);
      const m = moments(values);
      for (const bins of [30, 7]) assert.deepEqual(histogramOfCounts(counted.each, m.min, m.max, integer, bins), histogram(values, m.min, m.max, integer, bins));
    }
  });

  it('histogram puts every finite value in a bin', () => {
    const v = Float64Array.from({ length: 1000 }, () => rand() * 10);
    const h = histogram(v, Math.min(...v), Math.max(...v), false);
    assert.equal(h.counts.reduce((x, y) => x + y, 0), 1000);
    assert.equal(h.edges.length, h.counts.length + 1);
    const ints = histogram(Float64Array.from([1, 2, 2, 3]), 1, 3, true);
    assert.deepEqual(ints.counts, [1, 2, 1]);
  });

  it('the reservoir sketch keeps quantiles within its stated rank error', () => {
    const v = Float64Array.from({ length: 200_000 }, () => rand());
    const { sample, rankError } = reservoir(v, 20_000);
    const [q] = quantiles(sample, [0.5]);
    assert.ok(Math.abs(q - 0.5) <= rankError, `median ${q}, bound ${rankError}`);
  });
});

describe('quantiles by counting (values on a grid)', () => {
  const rand = rng(11);
  const qs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
  for (const n of [1, 2, 3, 7, 100, 20_000]) {
    it(`${n} whole numbers with gaps and ties give quantiles() and distinctFloats() bit for bit`, () => {
      const a = Float64Array.from({ length: n }, (_, i) => (i % 9 === 4 ? NaN : Math.round(rand() * Math.min(300, 2 * n)) - Math.min(120, n)));
      const counted = countedQuantiles(a, false, qs)!;
      assert.ok(counted, 'counted');
      const nonNaN = a.filter((v) => v === v);
      assert.deepEqual(counted.quantiles, nonNaN.length ? quantiles(nonNaN, qs) : qs.map(() => NaN));
      assert.equal(counted.distinct, distinctFloats(a));
      // Known to be whole (a numeric column's integer flag), the grid comes from the moments, with no pass of its own.
      const m = moments(a);
      const known = countedQuantiles(a, false, qs, m)!;
      assert.deepEqual(known.quantiles, counted.quantiles);
      assert.equal(known.distinct, counted.distinct);
      assert.equal(distinctFloats(a, false, m), counted.distinct);
    });
  }
  it('datetimes on whole minutes are counted per minute, with the same quartiles as sorting', () => {
    const start = Date.UTC(2001, 0, 1);
    const a = Float64Array.from({ length: 50_000 }, () => start + Math.floor(rand() * 100_000) * 60_000);
    const counted = countedQuantiles(a, true, [0.25, 0.5, 0.75])!;
    assert.deepEqual(counted.quantiles, quantiles(a.slice(), [0.25, 0.5, 0.75]));
    assert.equal(counted.distinct, distinctFloats(a, true));
  });
  it('a datetime\'s grid guessed from its min and max gives the same figures, also when a value between them is off that grid', () => {
    const start = Date.UTC(2001, 0, 1);
    const minutes = Float64Array.from({ length: 100_000 }, (_, i) => (i % 11 === 3 ? NaN : start + Math.floor(rand() * 1500) * 60_000));
    const seconds = minutes.slice();
    seconds[12_345] = start + 7 * 60_000 + 30_000; // half a minute: on the second grid, not the minute one
    const millis = minutes.slice();
    millis[777] = start + 123_456_789; // a millisecond: a grid of milliseconds this wide is left to sorting
    assert.equal(countedQuantiles(millis, true, [0.5], locationMoments(millis)), undefined);
    assert.equal(countedQuantiles(millis, true, [0.5]), undefined);
    for (const a of [minutes, seconds]) {
      const guessed = countedQuantiles(a, true, [0.25, 0.5, 0.75], locationMoments(a))!;
      const found = countedQuantiles(a, true, [0.25, 0.5, 0.75])!;
      assert.deepEqual(guessed.quantiles, found.quantiles);
      assert.deepEqual(guessed.quantiles, quantiles(a.filter((v) => v === v), [0.25, 0.5, 0.75]));
      assert.equal(guessed.distinct, found.distinct);
      assert.equal(guessed.distinct, new Set(a.filter((v) => v === v)).size);
    }
  });
  it('locationMoments gives moments() but for the spread', () => {
    const a = Float64Array.from({ length: 1000 }, (_, i) => (i % 7 === 0 ? NaN : rand() * 1e12));
    const m = moments(a), l = locationMoments(a);
    assert.deepEqual({ ...l, std: 0, skewness: 0 }, { ...m, std: 0, skewness: 0 });
    assert.ok(Number.isNaN(l.std) && Number.isNaN(l.skewness));
  });
  it('fractions, or a range far wider than the values, are left to sorting', () => {
    assert.equal(countedQuantiles(Float64Array.from([0.5, 1, 2]), false, [0.5]), undefined);
    assert.equal(countedQuantiles(Float64Array.from([0, 1e9]), false, [0.5]), undefined);
  });
});

describe('streaming sketches', () => {
  it('the reservoir (Algorithm L) over 2M values in uneven chunks is uniform: its distribution is within the stated rank error of the stream\'s', () => {
    const r = new Reservoir(20_000);
    const n = 2_000_000;
    for (let at = 0, size = 1; at < n; at += size, size = Math.min(n - at, size * 3 + 7)) r.add(Float64Array.from({ length: Math.min(size, n - at) }, (_, i) => at + i));
    const { sample, rankError } = r.result();
    assert.equal(r.seen, n);
    const sorted = Float64Array.from(sample).sort();
    let worst = 0;
    sorted.forEach((v, i) => (worst = Math.max(worst, Math.abs((i + 1) / sorted.length - (v + 1) / n), Math.abs(i / sorted.length - v / n))));
    assert.ok(worst <= rankError, `largest gap between the sample's and the stream's distribution ${worst}, bound ${rankError}`);
    assert.equal(new Set(sample).size, sample.length, 'no value twice');
  });
});

describe('quantile sketch in the profile', () => {
  it('a column over the exact-quantile limit gets sketched quartiles that state their error and hold it', async () => {
    const { profileCsv } = await import('../../../src/core/jobs/profileCsv');
    const { dataset } = await import('../../support/paths');
    const exact = await profileCsv(dataset('diamonds.csv'));
    const sketched = await profileCsv(dataset('diamonds.csv'), { exactQuantileLimit: 10_000, sketchSize: 20_000 });
    const e = exact.columns.find((c) => c.name === 'price')!;
    const s = sketched.columns.find((c) => c.name === 'price')!;
    assert.equal(e.quantiles?.method, 'exact');
    assert.equal(s.quantiles?.method, 'sketch');
    assert.equal(s.quantiles?.sampleSize, 20_000);
    const bound = s.quantiles!.rankError!;
    assert.ok(bound > 0 && bound < 0.02, String(bound));
    // The sketched quartile's rank among all prices is within the stated bound of 25 %.
    const { loadCsv } = await import('../../../src/core/csv/load');
    const frame = await loadCsv(dataset('diamonds.csv'));
    const price = frame.columns.find((c) => c.name === 'price')!;
    assert.ok(price.kind === 'numeric');
    const below = Array.from(price.values).filter((v) => v < s.q25!).length / price.length;
    const atOrBelow = Array.from(price.values).filter((v) => v <= s.q25!).length / price.length;
    assert.ok(below - bound <= 0.25 && 0.25 <= atOrBelow + bound, `rank ${below}..${atOrBelow}, bound ${bound}`);
    assert.equal(s.mean, e.mean, 'moments stay exact');
  });
});
