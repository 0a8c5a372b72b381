// The survival function of the two-sided one-sample Kolmogorov–Smirnov statistic, P(D_n > x): what
// scipy 1.10's kstwo.sf(x, n) returns, and so the p-value ks_2samp gives past 10,000 values a side
// (n is then round(n1·n2/(n1+n2))). The same regions and methods as scipy's _kolmogn (Simard and
// L'Ecuyer 2011): Ruben–Gambino at the ends, Durbin's matrix (Marsaglia–Tsang–Wang), Pomeranz's
// recursion for n ≤ 140, Pelz–Good's expansion, and twice the one-sided Smirnov tail where it is
// below 0.025. The Smirnov tail is the Birnbaum–Tingey sum with each term an accurate binomial
// probability (Loader's saddle-point form), where scipy carries double-doubles; the tests compare
// every region with scipy live to 1e-9.

const E128 = 128;
const EP128 = 2 ** 128;
const EM128 = 2 ** -128;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const MIN_LOG = -708;
/** cephes' MINLOG: the log of the smallest denormal double. */
const CEPHES_MINLOG = -7.451332191019412076235e2;
const PI2 = Math.PI ** 2, PI4 = Math.PI ** 4, PI6 = Math.PI ** 6;

const clip = (p: number) => Math.min(Math.max(p, 0), 1);

/** x · 2^e without overflowing 2^e on the way. */
function ldexp(x: number, e: number): number {
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

// Stirling's series coefficients B_2j / (2j (2j − 1)), j = 8 … 1.
const STIRLING = [-2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2];

/** ln(n! / n^n) by Stirling's series with n·ln n taken out first. */
function logNFactorialDivNPowN(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/** P(D_n ≤ d) by Durbin's matrix, the k-th diagonal entry of H^n scaled by n!/n^n. */
function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m), w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1];
  for (let r = 0; r < m; r++) H[r * m] = v[r];
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c];

  const matmul = (a: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let l = 0; l < m; l++) {
        const ail = a[i * m + l];
        if (ail === 0) continue;
        for (let j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
      }
    }
    return out;
  };
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let nn = n, expnt = 0, hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      power = matmul(power, H);
      expnt += hExpnt;
    }
    H = matmul(H, H);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + k - 1]) > EP128) {
      for (let i = 0; i < H.length; i++) H[i] /= EP128;
      hExpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = power[(k - 1) * m + k - 1];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      expnt -= E128;
    }
  }
  return clip(expnt !== 0 ? ldexp(p, expnt) : p);
}

/** The interval of row i in Pomeranz's recursion. */
function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number, j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2), odd = (i + 1) % 2;
    if (odd === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n ≤ x) by Pomeranz's recursion: rows convolved with Poisson-like weights, two rows kept. */
function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0, roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs), twogpower = new Float64Array(npwrs), onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1] * (g / n)) / m;
    twogpower[m] = (twogpower[m - 1] * ((2 * g) / n)) / m;
    onem2gpower[m] = (onem2gpower[m - 1] * ((1 - 2 * g) / n)) / m;
  }
  let V0 = new Float64Array(npwrs), V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0, V1s = 0, expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // The entries conv_start … conv_start + conv_len − 1 of the full convolution of
      // V0[k1 − V0s …][0 … ln2) with pwrs[0 … ln2).
      const a0 = k1 - V0s;
      const la = Math.min(ln2, npwrs - a0);
      const start = j1 - k1, len = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < len; c++) {
        const kk = start + c;
        let s = 0;
        for (let ia = Math.max(0, kk - ln2 + 1); ia <= Math.min(kk, la - 1); ia++) s += V0[a0 + ia] * pwrs[kk - ia];
        V1[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < EM128) {
        for (let c = 0; c < npwrs; c++) V1[c] *= EP128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s];
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      expnt += E128;
    }
    ans *= m;
  }
  return clip(expnt !== 0 ? ldexp(ans, expnt) : ans);
}

/** P(D_n ≤ x) by Pelz and Good's expansion in 1/√n of Kolmogorov's limit, in its small-z form. */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const qlog = -PI2 / 8 / z2;
  if (qlog < MIN_LOG) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2, k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4, k2b = ((2 * z4 - 5 * z2) * PI2) / 4, k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64, k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16, k3b = (PI2 * (135 * z4 - 96 * z6)) / 4, k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qpower + coeffs[i];
  }
  const div = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * SQRT2PI) / div[i];
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0, k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const k2 = k * k, qp = q ** k2, kpi = Math.PI * k;
    k2extra += k2 * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
  }
  K[2] += k2extra * ((PI2 * SQRT2PI) / (-36 * z3));
  K[3] += k3extra * ((PI2 * SQRT2PI) / (216 * z6));
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / n ** (i / 2);
  return sum;
}

/** ln(n!) − (n + ½)ln n + n − ln √(2π): Stirling's error, by its series past 15 and from logs below. */
function stirlingError(n: number): number {
  if (n <= 15) {
    let lnFact = 0;
    for (let k = 2; k <= n; k++) lnFact += Math.log(k);
    return lnFact - (n + 0.5) * Math.log(n) + n - LOG_2PI / 2;
  }
  const S0 = 1 / 12, S1 = 1 / 360, S2 = 1 / 1260, S3 = 1 / 1680, S4 = 1 / 1188;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/** x ln(x/m) + m − x without cancellation when x is near m (Loader). */
function deviance(x: number, m: number): number {
  if (Math.abs(x - m) < 0.1 * (x + m)) {
    let v = (x - m) / (x + m);
    let s = (x - m) * v;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
    return s;
  }
  return x * Math.log(x / m) + m - x;
}

/**
 * P(D⁺_n > x), the one-sided tail (scipy.special.smirnov), by the Birnbaum–Tingey sum
 * x · Σ_{v ≤ n(1−x)} C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v), as kolmogn asks for it: where the
 * tail is small (n·x² ≥ 2.2, or n·x² > 4 for n ≤ 140, or x ≥ ½), so the lower sum is the one scipy sums.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxfl = Math.floor(nx);
  const alpha = nx - nxfl;
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return clip(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < CEPHES_MINLOG) return 0;
  if (nxfl >= n - 1) return clip((1 - x) ** n);
  if (n > 1_000_000) return clip(Math.exp(-((6 * nx + 1) ** 2) / 18 / n));
  // The last term, v = n − ⌈n·x⌉ … is 0 when n·x is whole, so both cases stop at n − ⌊n·x⌋ − 1.
  const nTerms = n - nxfl;
  const logScale = stirlingError(n) - 0.5 * LOG_2PI + 0.5 * Math.log(n);
  // v = 0: (1 − x)^n / x.
  let sum = (1 - x) ** n / x;
  for (let v = 1; v < nTerms; v++) {
    const np = nx + v, nq = n - v - nx;
    // C(n, v) p^v q^(n−v) by Loader's form, divided by p.
    const logTerm = logScale - stirlingError(v) - stirlingError(n - v) - deviance(v, np) - deviance(n - v, nq) - 0.5 * Math.log(v * (n - v));
    const term = (Math.exp(logTerm) * n) / np;
    sum += term;
    if (term !== 0) {
      if (4 * (nTerms - v) * Math.abs(term) < Number.EPSILON * sum && v !== nTerms - 1) break;
    } else if (v > n / 2) break;
  }
  return clip(x * sum);
}

/** P(D_n > x) for the two-sided statistic of n values: scipy's kstwo.sf(x, n). */
export function kolmogorovSf(n: number, x: number): number {
  if (!(Number.isInteger(n) && n > 0) || Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - prob);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - durbinCdf(n, x));
    if (nx2 <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  const cdf = nx2 >= 18 ? 1 : n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip(1 - cdf);
}
