// Numerical kernels that match pandas/numpy on the same data: compensated sums, two-pass
// variance (ddof=1), pandas' adjusted skewness, numpy's "linear" quantiles, Pearson correlation.

/**
 * Sum of the non-NaN values by pairwise summation over blocks of 128, as numpy sums (error grows
 * with log n, not n), with their count, min, max, zeros and infinities, in one pass.
 */
function firstPass(values: Float64Array) {
  const BLOCK = 128;
  const partial: number[] = [];
  let count = 0, min = Infinity, max = -Infinity, zeros = 0, infinite = 0;
  for (let b = 0; b < values.length; b += BLOCK) {
    const end = Math.min(values.length, b + BLOCK);
    let s = 0;
    for (let i = b; i < end; i++) {
      const v = values[i];
      if (v !== v) continue;
      count++;
      s += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
      else if (v === Infinity || v === -Infinity) infinite++;
    }
    partial.push(s);
  }
  return { sum: pairwise(partial, 0, partial.length), count, min, max, zeros, infinite };
}

function pairwise(a: number[], lo: number, hi: number): number {
  if (hi - lo <= 8) {
    let s = 0;
    for (let i = lo; i < hi; i++) s += a[i];
    return s;
  }
  const mid = (lo + hi) >>> 1;
  return pairwise(a, lo, mid) + pairwise(a, mid, hi);
}

export interface Moments {
  count: number;
  mean: number;
  /** Sample standard deviation, ddof = 1 (NaN below 2 values). */
  std: number;
  /** pandas' Series.skew(): adjusted Fisher-Pearson (NaN below 3 values). */
  skewness: number;
  min: number;
  max: number;
  zeros: number;
  infinite: number;
}

/** pandas' nanops._zero_out_fperr: sums this small are rounding noise. */
function zeroOutFpErr(x: number): number {
  return Math.abs(x) < 1e-14 ? 0 : x;
}

/** What moments() needs from a set of values, in a form that merges (mergeMomentSums). */
export interface MomentSums {
  count: number;
  mean: number;
  /** Sums of squared and cubed deviations from the mean. */
  m2: number;
  m3: number;
  min: number;
  max: number;
  zeros: number;
  infinite: number;
}

export function moments(values: Float64Array): Moments {
  return momentsFromSums(momentSums(values));
}

/**
 * moments() from its first pass only: count, mean, min, max, zeros and infinities, with std and
 * skewness NaN. For datetimes, whose profile (as pandas' describe) shows no spread: one pass of
 * two, flights_3m's date 25 ms less.
 */
export function locationMoments(values: Float64Array): Moments {
  const { sum, count, min, max, zeros, infinite } = firstPass(values);
  if (count === 0) return { count, mean: NaN, std: NaN, skewness: NaN, min: NaN, max: NaN, zeros, infinite };
  return { count, mean: sum / count, std: NaN, skewness: NaN, min, max, zeros, infinite };
}

export function momentSums(values: Float64Array): MomentSums {
  const { sum, count, min, max, zeros, infinite } = firstPass(values);
  if (count === 0) return { count, mean: NaN, m2: NaN, m3: NaN, min: NaN, max: NaN, zeros, infinite };
  const mean = sum / count;
  // Second pass: centred sums, pairwise over blocks as in the first.
  const BLOCK = 128;
  const p2: number[] = [], p3: number[] = [];
  for (let b = 0; b < values.length; b += BLOCK) {
    const end = Math.min(values.length, b + BLOCK);
    let s2 = 0, s3 = 0;
    for (let i = b; i < end; i++) {
      const v = values[i];
      if (v !== v) continue;
      const d = v - mean;
      const d2 = d * d;
      s2 += d2;
      s3 += d2 * d;
    }
    p2.push(s2);
    p3.push(s3);
  }
  return { count, mean, m2: pairwise(p2, 0, p2.length), m3: pairwise(p3, 0, p3.length), min, max, zeros, infinite };
}

export function momentsFromSums(s: MomentSums): Moments {
  const { count, mean, m2, m3, min, max, zeros, infinite } = s;
  if (count === 0) return { count, mean: NaN, std: NaN, skewness: NaN, min: NaN, max: NaN, zeros, infinite };
  const std = count > 1 ? Math.sqrt(m2 / (count - 1)) : NaN;
  let skewness = NaN;
  if (count >= 3) {
    const z2 = zeroOutFpErr(m2), z3 = zeroOutFpErr(m3);
    skewness = z2 === 0 ? 0 : ((count * Math.sqrt(count - 1)) / (count - 2)) * (z3 / Math.pow(z2, 1.5));
  }
  return { count, mean, std, skewness, min, max, zeros, infinite };
}

/**
 * The sums of two disjoint sets of values combined (Chan, Golub and LeVeque; Pébay for the third
 * moment): how a profile read in chunks gets the whole file's mean, std and skewness.
 */
export function mergeMomentSums(a: MomentSums, b: MomentSums): MomentSums {
  if (a.count === 0) return { ...b, zeros: a.zeros + b.zeros, infinite: a.infinite + b.infinite };
  if (b.count === 0) return { ...a, zeros: a.zeros + b.zeros, infinite: a.infinite + b.infinite };
  const n = a.count + b.count;
  const d = b.mean - a.mean;
  const dn = d / n;
  const mean = a.mean + dn * b.count;
  const m2 = a.m2 + b.m2 + d * dn * a.count * b.count;
  const m3 = a.m3 + b.m3 + d * dn * dn * a.count * b.count * (a.count - b.count) + 3 * dn * (a.count * b.m2 - b.count * a.m2);
  return { count: n, mean, m2, m3, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), zeros: a.zeros + b.zeros, infinite: a.infinite + b.infinite };
}

/**
 * The non-NaN values, copied (callers reorder them), into `scratch` when it is large enough: a
 * profile reuses one scratch array for every column, as first touches of fresh memory are slow.
 */
export function nonMissing(values: Float64Array, scratch?: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const out = scratch && scratch.length >= n ? scratch.subarray(0, n) : new Float64Array(n);
  if (n === values.length) {
    out.set(values);
    return out;
  }
  let o = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[o++] = values[i];
  return out;
}

/** Puts the k-th smallest at a[k], smaller before, larger after (Floyd-Rivest style quickselect). */
export function select(a: Float64Array, k: number, lo = 0, hi = a.length - 1): void {
  while (hi > lo) {
    // Median of three as pivot keeps sorted input fast.
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function isSorted(a: Float64Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
  return true;
}

/** numpy's _lerp, so that results equal np.percentile(..., method='linear') bit for bit. */
export function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * quantiles() of values given as (value, count) pairs in ascending order, by one walk over them:
 * the same order statistics and the same lerp, so the same figures bit for bit. `n` is the total count.
 */
export function quantilesOfCounts(each: (f: (value: number, count: number) => void) => void, n: number, qs: number[]): number[] {
  if (n === 0) return qs.map(() => NaN);
  const ranks: number[] = [];
  for (const q of qs) {
    const pos = q * (n - 1);
    ranks.push(Math.floor(pos), Math.min(n - 1, Math.floor(pos) + 1));
  }
  const order = ranks.map((_, i) => i).sort((x, y) => ranks[x] - ranks[y]);
  const at = new Array<number>(ranks.length);
  let seen = 0, r = 0;
  each((value, count) => {
    seen += count;
    while (r < order.length && ranks[order[r]] < seen) at[order[r++]] = value;
  });
  return qs.map((q, i) => {
    const pos = q * (n - 1);
    const k = Math.floor(pos);
    return k + 1 >= n || pos === k ? at[2 * i] : lerp(at[2 * i], at[2 * i + 1], pos - k);
  });
}

/**
 * Quantiles with linear interpolation (pandas' default) of values without NaN. Reorders `a`.
 * qs must be ascending.
 */
export function quantiles(a: Float64Array, qs: number[]): number[] {
  const n = a.length;
  if (n === 0) return qs.map(() => NaN);
  if (isSorted(a)) { // common for time columns; selecting would only shuffle
    return qs.map((q) => {
      const pos = q * (n - 1);
      const k = Math.floor(pos);
      return k + 1 >= n || pos === k ? a[k] : lerp(a[k], a[k + 1], pos - k);
    });
  }
  let lo = 0;
  return qs.map((q) => {
    const pos = q * (n - 1);
    const k = Math.floor(pos);
    select(a, k, lo, n - 1);
    lo = k; // later (larger) quantiles only need the right part
    const below = a[k];
    if (k + 1 >= n || pos === k) return below;
    let next = Infinity;
    for (let i = k + 1; i < n; i++) if (a[i] < next) next = a[i];
    return lerp(below, next, pos - k);
  });
}

/** Pearson's r over the rows where both are present (pandas' pairwise-complete corr). */
export function pearson(x: Float64Array, y: Float64Array): number {
  const { n, sxx, syy, sxy } = coMoments(x, y);
  if (n < 2) return NaN;
  const d = Math.sqrt(sxx * syy);
  return d === 0 ? NaN : Math.max(-1, Math.min(1, sxy / d));
}

/**
 * Means and centred sums of squares and products over the rows where both are present, in two
 * passes (the mean first): Pearson's r, and what a profile read in chunks merges per chunk.
 */
export function coMoments(x: Float64Array, y: Float64Array): { n: number; mx: number; my: number; sxx: number; syy: number; sxy: number } {
  // Each pass runs in blocks, a call each: called cold on millions of rows, one loop ran in V8's
  // baseline code until compiled while running (boxing every sum it made), then fell back where
  // the loop ended; a function called again and again is compiled after its first few calls.
  const acc = new Float64Array(3);
  for (let b = 0; b < x.length; b += CO_BLOCK) pairSums(x, y, b, Math.min(x.length, b + CO_BLOCK), acc);
  const [n, sx, sy] = acc;
  if (n === 0) return { n, mx: NaN, my: NaN, sxx: 0, syy: 0, sxy: 0 };
  const mx = sx / n, my = sy / n;
  acc.fill(0);
  for (let b = 0; b < x.length; b += CO_BLOCK) centredProducts(x, y, b, Math.min(x.length, b + CO_BLOCK), mx, my, acc);
  return { n, mx, my, sxx: acc[0], syy: acc[1], sxy: acc[2] };
}

const CO_BLOCK = 1 << 14;

/** Adds the count and sums of x and y over rows [from, to) where both are present to acc. */
function pairSums(x: Float64Array, y: Float64Array, from: number, to: number, acc: Float64Array): void {
  let n = 0, sx = acc[1], sy = acc[2];
  for (let i = from; i < to; i++) {
    const a = x[i], b = y[i];
    if (a !== a || b !== b) continue;
    n++;
    sx += a;
    sy += b;
  }
  acc[0] += n;
  acc[1] = sx;
  acc[2] = sy;
}

/** Adds the centred sums of squares and products over rows [from, to) where both are present to acc. */
function centredProducts(x: Float64Array, y: Float64Array, from: number, to: number, mx: number, my: number, acc: Float64Array): void {
  let sxx = acc[0], syy = acc[1], sxy = acc[2];
  for (let i = from; i < to; i++) {
    const a = x[i], b = y[i];
    if (a !== a || b !== b) continue;
    const dx = a - mx, dy = b - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  acc[0] = sxx;
  acc[1] = syy;
  acc[2] = sxy;
}

export interface Histogram {
  edges: number[];
  counts: number[];
}

/** Equal-width bins over [min, max]; whole-number columns with a small range get one bin per value. */
export function histogram(values: Float64Array, min: number, max: number, integer: boolean, maxBins = 30): Histogram {
  const bins = histogramBins(min, max, integer, maxBins);
  countInto(bins, values);
  return bins.histogram;
}

/** A histogram being filled, with the exact start and width its edges were made from. */
export interface Bins {
  histogram: Histogram;
  start: number;
  width: number;
}

/** The empty bins histogram() fills: edges fixed by min, max and integer; counts zero. */
export function histogramBins(min: number, max: number, integer: boolean, maxBins = 30): Bins {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { histogram: { edges: [], counts: [] }, start: 0, width: 1 };
  let bins: number, width: number, start = min;
  if (integer && max - min + 1 <= maxBins) {
    bins = max - min + 1;
    width = 1;
    start = min - 0.5;
  } else {
    bins = max === min ? 1 : maxBins;
    width = max === min ? 1 : (max - min) / bins;
  }
  return { histogram: { edges: Array.from({ length: bins + 1 }, (_, i) => start + i * width), counts: new Array<number>(bins).fill(0) }, start, width };
}

/** Adds the values' counts to bins made by histogramBins (a chunk at a time, when read in chunks). */
export function countInto({ histogram, start, width }: Bins, values: Float64Array, times = 1): void {
  const counts = histogram.counts;
  const bins = counts.length;
  if (bins === 0) return;
  for (let i = 0; i < values.length; i++) {
    const b = binOf(values[i], start, width, bins);
    if (b >= 0) counts[b] += times;
  }
}

/** The bin of v (clamped to the first and last), or -1 for NaN and infinities. */
function binOf(v: number, start: number, width: number, bins: number): number {
  if (v !== v || v === Infinity || v === -Infinity) return -1;
  const b = Math.floor((v - start) / width);
  return b >= bins ? bins - 1 : b < 0 ? 0 : b;
}

/**
 * histogram() of a column given as each distinct value with its count (one counted on its grid,
 * countedQuantiles): the same bins and counts, from a walk over the counts instead of the rows.
 */
export function histogramOfCounts(each: (f: (v: number, n: number) => void) => void, min: number, max: number, integer: boolean, maxBins = 30): Histogram {
  const { histogram, start, width } = histogramBins(min, max, integer, maxBins);
  const counts = histogram.counts;
  const bins = counts.length;
  if (bins > 0) {
    each((v, n) => {
      const b = binOf(v, start, width, bins);
      if (b >= 0) counts[b] += n;
    });
  }
  return histogram;
}

/**
 * A seeded generator (mulberry32), so sketches and samples repeat run to run. As an object, for
 * hot code called once per tree: each call's own closure from rng() was a new call target for
 * the optimised caller, which V8 then threw away and compiled again (a quarter second a time).
 */
export class Mulberry32 {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** The next number in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** The generator of Mulberry32 as a function. */
export function rng(seed: number): () => number {
  const g = new Mulberry32(seed);
  return () => g.next();
}

/**
 * A uniform random sample (reservoir) of the non-NaN values, for quantiles of columns too large to
 * copy. With k samples, every quantile's rank is within sqrt(ln(2/0.01) / (2k)) of the true rank
 * with 99% probability (Dvoretzky-Kiefer-Wolfowitz).
 */
export function reservoir(values: Float64Array, k: number, seed = 42): { sample: Float64Array; rankError: number } {
  const r = new Reservoir(k, seed);
  r.add(values);
  return r.result();
}

/**
 * A uniform sample of the non-NaN values of a stream, seeded so that runs repeat. Li's Algorithm L:
 * past the first k values it draws how many to skip before the next one enters, so that random
 * numbers are drawn about k·log(n/k) times rather than once per value (Algorithm R drew one for
 * each of flights' 30M values per column).
 */
export class Reservoir {
  readonly sample: Float64Array;
  seen = 0;
  private readonly rand: () => number;
  private w = 0;
  private next = 0;
  constructor(readonly k: number, seed = 42) {
    this.sample = new Float64Array(k);
    this.rand = rng(seed);
  }
  add(values: Float64Array): void {
    const { k, sample } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) continue;
      if (this.seen < k) {
        sample[this.seen++] = v;
        if (this.seen === k) {
          this.w = Math.exp(Math.log(this.rand()) / k);
          this.drawNext();
        }
        continue;
      }
      if (this.seen === this.next) {
        sample[Math.floor(this.rand() * k)] = v;
        this.w *= Math.exp(Math.log(this.rand()) / k);
        this.drawNext();
      }
      this.seen++;
    }
  }
  /** The index in the stream of the next value to enter. */
  private drawNext(): void {
    this.next = this.seen + Math.floor(Math.log(this.rand()) / Math.log(1 - this.w)) + (this.seen === this.k && this.next === 0 ? 0 : 1);
  }
  /** The sample, and the DKW bound on any quantile's rank error at 99% confidence. */
  result(): { sample: Float64Array; rankError: number } {
    const n = Math.min(this.seen, this.k);
    return { sample: this.sample.subarray(0, n), rankError: Math.sqrt(Math.log(2 / 0.01) / (2 * n)) };
  }
}
