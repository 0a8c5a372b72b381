// The statistical tests of drift detection, each as scipy 1.10 computes it (Debian's
// python3-scipy; the tests compare live): two-sample Kolmogorov–Smirnov (ks_2samp, method 'auto':
// exact p-values up to 10,000 rows a side), chi-square on a 2 × k contingency table
// (chi2_contingency, Yates' correction at one degree of freedom), a two-proportion Z-test,
// Wasserstein distance (wasserstein_distance), Jensen–Shannon distance (jensenshannon, base 2),
// PSI, and Welch's t-test (ttest_ind, equal_var=False) for the A/B report. Samples are sorted by
// radix (sort.ts). The special functions are written here: the regularised incomplete gamma
// (series and continued fraction), from which come the chi-square and normal tails, and the
// regularised incomplete beta, from which comes Student's t tail.

import { kolmogorovSf } from './kolmogorov';
import { sortedCopy } from './sort';

/** ln Γ(a) for a half-integer a ≥ 1/2 (the degrees of freedom of chi-square tests, and erfc's 1/2): exact sums of logs. */
function lnGammaHalf(a: number): number {
  if (Number.isInteger(a)) {
    let s = 0;
    for (let k = 2; k < a; k++) s += Math.log(k);
    return s;
  }
  // Γ(m + 1/2) = √π · Π_{k=1..m} (k − 1/2)
  let s = 0.5 * Math.log(Math.PI);
  for (let k = 1; k <= a - 0.5; k++) s += Math.log(k - 0.5);
  return s;
}

/** Q(a, x) = Γ(a, x) / Γ(a), the regularised upper incomplete gamma, for a half-integer a (Numerical Recipes' split). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lnPrefix = -x + a * Math.log(x) - lnGammaHalf(a);
  if (x < a + 1) {
    // P by its series, then Q = 1 − P.
    let sum = 1 / a, term = 1 / a;
    for (let n = 1; n < 10000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
    }
    return 1 - Math.exp(lnPrefix) * sum;
  }
  // Q by its continued fraction (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(lnPrefix) * h;
}

/** P(X > x) for a chi-square of `dof` degrees of freedom. */
export const chi2Sf = (x: number, dof: number): number => gammaQ(dof / 2, x / 2);

/** P(Z > z) for a standard normal: erfc(z/√2)/2, through Q(1/2, z²/2). */
export function normalSf(z: number): number {
  if (z < 0) return 1 - normalSf(-z);
  return 0.5 * gammaQ(0.5, (z * z) / 2);
}

export interface TestResult {
  statistic: number;
  pValue: number | null;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** P(D ≥ h/n) for two samples of n: 2 Σ ± binom ratios, evaluated as scipy does (Horner-like, no cancellation). */
function probOutsideSquare(n: number, h: number): number {
  let P = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1 - P);
  }
  return 2 * P;
}

/**
 * The share of lattice paths from (0, 0) to (m, n) that leave the band |x/m − y/n| < h/lcm, by the
 * inside method computing 1 − p column by column (Hodges; Viehmann's numerically stable form).
 */
function outerProbInside(m0: number, n0: number, g: number, h: number): number {
  const [m, n] = m0 >= n0 ? [m0, n0] : [n0, m0];
  const mg = m / g, ng = n / g;
  let minj = 0, maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj, lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) for (let k = maxj - minj; k < maxj - minj + (lastlen - curlen); k++) A[k] = 1;
  }
  return A[maxj - minj - 1];
}

const MAX_EXACT_KS = 10_000;

/** numpy's round: halves to even. */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/**
 * ks_2samp(a, b) two-sided, method 'auto': the largest distance between the two empirical CDFs,
 * and its exact p-value when neither sample passes 10,000 values. Past that, or when the exact sum
 * fails, scipy's asymptotic p-value: kstwo.sf(d, round(n1·n2 / (n1 + n2))) (kolmogorov.ts).
 */
export function ks2samp(a: Float64Array, b: Float64Array): TestResult & { exact: boolean } {
  const x = sortedCopy(a), y = sortedCopy(b);
  const n1 = x.length, n2 = y.length;
  if (!n1 || !n2) throw new Error('ks_2samp needs values on both sides');
  // Walk both sorted samples: at each distinct value the CDFs' difference.
  let i = 0, j = 0, d = 0;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || x[i] <= y[j]) ? x[i] : y[j];
    while (i < n1 && x[i] <= v) i++;
    while (j < n2 && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / n1 - j / n2));
  }
  const asymptotic = () => {
    const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
    return { statistic: d, pValue: kolmogorovSf(roundHalfEven((m * n) / (m + n)), d), exact: false };
  };
  if (Math.max(n1, n2) > MAX_EXACT_KS) return asymptotic();
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  d = h / lcm;
  if (h === 0) return { statistic: d, pValue: 1, exact: true };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
  if (!(p >= 0 && p <= 1)) return asymptotic();
  return { statistic: d, pValue: Math.min(Math.max(p, 0), 1), exact: true };
}

/**
 * chi2_contingency on the 2 × k table of reference and current counts (categories present in
 * neither left out): Pearson's statistic against the expected counts, Yates' correction when the
 * table has one degree of freedom, as scipy's default.
 */
export function chi2Contingency(reference: number[], current: number[]): TestResult & { dof: number } {
  const keep = reference.map((r, k) => r + current[k] > 0);
  const ref = reference.filter((_, k) => keep[k]), cur = current.filter((_, k) => keep[k]);
  const k = ref.length;
  const dof = k - 1;
  if (dof < 1) return { statistic: 0, pValue: 1, dof: 0 };
  const nr = ref.reduce((s, v) => s + v, 0), nc = cur.reduce((s, v) => s + v, 0), n = nr + nc;
  let stat = 0;
  for (const [row, rowSum] of [[ref, nr], [cur, nc]] as const) {
    for (let c = 0; c < k; c++) {
      const expected = (rowSum * (ref[c] + cur[c])) / n;
      let diff = row[c] - expected;
      // Yates: each count moves towards its expectation by up to a half.
      if (dof === 1) diff -= Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      stat += (diff * diff) / expected;
    }
  }
  return { statistic: stat, pValue: chi2Sf(stat, dof), dof };
}

/** Two-proportion Z-test (pooled), two-sided: successes and totals on each side. */
export function proportionsZ(x1: number, n1: number, x2: number, n2: number): TestResult {
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return { statistic: 0, pValue: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { statistic: z, pValue: 2 * normalSf(Math.abs(z)) };
}

/** The normal's 97.5% point: two-sided 95% intervals. */
export const Z95 = 1.959963984540054;

/** The Wilson score interval of a proportion (statsmodels' proportion_confint, method 'wilson'). */
export function wilson(successes: number, n: number, z = Z95): [number, number] {
  const p = successes / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [centre - half, centre + half];
}

// Lanczos' approximation (g = 7, nine terms): ln Γ to about 1e-15 relative.
const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0. */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lnGamma(1 - x);
  x -= 1;
  let a = LANCZOS[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln Γ(a) − ln Γ(a + ½). Past 16 by Stirling's series with the n·ln n terms cancelled in log1p:
 * the plain difference of two ln Γ near 1e7 (a t-test of millions of rows) loses 1e-9.
 */
function lnGammaHalfRatio(a: number): number {
  if (a <= 16) return lnGamma(a) - lnGamma(a + 0.5);
  // ln Γ(x) = (x − ½)ln x − x + ½ln 2π + 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷)
  const series = (x: number) => {
    const r = 1 / x, r2 = r * r;
    return r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
  };
  const b = a + 0.5;
  // (a − ½)ln a − a·ln b + ½ = (a − ½)(ln a − ln b) − ½ ln b + ½, with ln a − ln b = log1p(−½ / b).
  return (a - 0.5) * Math.log1p(-0.5 / b) - 0.5 * Math.log(b) + 0.5 + series(a) - series(b);
}

/** The continued fraction of the incomplete beta (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1, d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** P(|T| > t) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, ½). */
export function studentTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  const x = df / (df + t * t);
  if (x >= 1) return 1;
  const a = df / 2, b = 0.5;
  // ln B(a, ½) = ln Γ(½) + ln Γ(a) − ln Γ(a + ½)
  const lnBeta = 0.5 * Math.log(Math.PI) + lnGammaHalfRatio(a);
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lnBeta);
  // The fraction converges fast on the side of the mean a / (a + b).
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

export interface Moments {
  n: number;
  mean: number;
  /** The sample variance (ddof 1). */
  variance: number;
}

/** Welch's t-test of two samples' means, two-sided (scipy's ttest_ind(a, b, equal_var=False)). */
export function welchT(a: Moments, b: Moments): TestResult & { df: number } {
  const va = a.variance / a.n, vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  if (!(se > 0)) return { statistic: NaN, pValue: NaN, df: NaN };
  const t = (a.mean - b.mean) / se;
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { statistic: t, pValue: studentTwoSided(t, df), df };
}

/**
 * scipy's wasserstein_distance(u, v): the area between the two empirical CDFs. Both samples sorted
 * once, then walked together; concatenating and sorting both again (scipy's way) took three
 * sorts of 1.1M values per column where this takes two of 1M and 100k.
 */
export function wasserstein(u: Float64Array, v: Float64Array): number {
  const a = sortedCopy(u), b = sortedCopy(v);
  const na = a.length, nb = b.length;
  let i = 0, j = 0, area = 0;
  // At each value of either sample, step both CDFs past it, then add |Fa − Fb| times the gap to the next value.
  let x = Math.min(a[0], b[0]);
  while (i < na || j < nb) {
    while (i < na && a[i] <= x) i++;
    while (j < nb && b[j] <= x) j++;
    const next = Math.min(i < na ? a[i] : Infinity, j < nb ? b[j] : Infinity);
    if (next === Infinity) break;
    area += Math.abs(i / na - j / nb) * (next - x);
    x = next;
  }
  return area;
}

/** scipy's jensenshannon(p, q, base=2): each side normalised, √(½ KL(p‖m) + ½ KL(q‖m)) / √ln 2. */
export function jensenShannon(p: number[], q: number[]): number {
  const sp = p.reduce((s, v) => s + v, 0), sq = q.reduce((s, v) => s + v, 0);
  let js = 0;
  for (let k = 0; k < p.length; k++) {
    const a = p[k] / sp, b = q[k] / sq, m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(js / 2, 0) / Math.LN2);
}

/** Population stability index of two count vectors on the same bins: empty shares set to 1e-4. */
export function psi(reference: number[], current: number[]): number {
  const sr = reference.reduce((s, v) => s + v, 0), sc = current.reduce((s, v) => s + v, 0);
  let out = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = reference[k] / sr || 1e-4, c = current[k] / sc || 1e-4;
    out += (c - r) * Math.log(c / r);
  }
  return out;
}

/** numpy's histogram_bin_edges(values, bins='sturges'): ceil(log2 n) + 1 equal bins over the range. */
export function sturgesEdges(values: Float64Array): number[] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi) return [lo - 0.5, hi + 0.5];
  // numpy: the width ptp / (log2 n + 1), then ceil(ptp / width) bins, edges by linspace.
  const bins = Math.ceil((hi - lo) / ((hi - lo) / (Math.log2(values.length) + 1)));
  const step = (hi - lo) / bins;
  return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : i * step + lo));
}

/** Counts of values in bins with these edges (numpy's: each bin [a, b), the last [a, b]). */
export function histogram(values: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length - 1).fill(0);
  const last = edges.length - 2;
  for (const v of values) {
    if (v < edges[0] || v > edges[last + 1]) continue;
    let lo = 0, hi = last;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (edges[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]++;
  }
  return counts;
}
