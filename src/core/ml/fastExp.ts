// e^x for the kernel and loss loops. V8 does not inline Math.exp (each call goes out to its C
// library, about 9 ns here); this table-and-polynomial version is inlined and about 3.5 ns, and
// the RBF kernel spends most of its time in exp. Within 2 ulp of Math.exp on the ranges used.
//
// Method (as musl's exp): x = k ln2/N + r with N = 256 and |r| ≤ ln2/512, so
// e^x = 2^floor(k/N) · 2^((k mod N)/N) · e^r, the middle factor from a table and e^r from a
// degree-5 polynomial (its truncation error is below 1e-20 on that interval).
const N = 256;
const INV_LN2_N = N / Math.LN2;
/** 1.5 · 2^52: adding and subtracting it rounds a double to the nearest integer. */
const SHIFT = 6755399441055744;
// ln2/N split so that k · HI is exact for every k in range (|k| < 2^18, HI has 21 bits).
const LN2_N = Math.LN2 / N;
const HI = (() => {
  const b = new Float64Array([LN2_N]);
  new Uint32Array(b.buffer)[0] = 0; // little-endian: the low word of the mantissa
  return b[0];
})();
/** The rest of ln2/N, including what Math.LN2 itself rounds off (2.319e-17). */
const LO = LN2_N - HI + 2.3190468138462996e-17 / N;
const FRACTION = Float64Array.from({ length: N }, (_, j) => Math.pow(2, j / N));
const POW2_BIAS = 1075;
const POW2 = Float64Array.from({ length: 2 * POW2_BIAS }, (_, e) => Math.pow(2, e - POW2_BIAS));

export function fastExp(x: number): number {
  // Outside ±708 the result is near under- or overflow (and NaN lands here): the library's.
  if (!(x > -708 && x < 708)) return Math.exp(x);
  const kf = x * INV_LN2_N + SHIFT - SHIFT;
  const k = kf | 0;
  const r = x - kf * HI - kf * LO;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return FRACTION[k & (N - 1)] * POW2[(k >> 8) + POW2_BIAS] * p;
}
