// Features binned once per fit: up to 256 bins per feature (one per distinct value when there are
// few, quantile bins otherwise), stored row-major as bytes, so that one pass over a node's rows
// reads every feature it tries from the same cache line.
import type { Matrix } from '../../matrix';

export interface Bins {
  /** Per feature: lowest and highest training value in each bin. */
  lo: Float64Array[];
  hi: Float64Array[];
}

export interface Binned {
  bins: Bins;
  /** codes[i * d + f]: bin of row i for feature f. */
  codes: Uint8Array;
}

const MAX_BINS = 256;

export function binFeatures(X: Matrix, shared = false): Binned {
  const n = X.rows, d = X.cols;
  const codes = shared ? new Uint8Array(new SharedArrayBuffer(n * d)) : new Uint8Array(n * d);
  const lo: Float64Array[] = [], hi: Float64Array[] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    for (let i = 0; i < n; i++) col[i] = X.data[i * d + f];
    const sorted = col.slice().sort();
    const uniq: number[] = [];
    for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniq.push(sorted[i]);
    let upper: number[]; // inclusive upper value of each bin
    if (uniq.length <= MAX_BINS) upper = uniq;
    else {
      upper = [];
      for (let b = 1; b <= MAX_BINS; b++) {
        const v = sorted[Math.min(n - 1, Math.floor((b * n) / MAX_BINS) - 1)];
        if (upper.length === 0 || v > upper[upper.length - 1]) upper.push(v);
      }
      if (upper[upper.length - 1] < sorted[n - 1]) upper[upper.length - 1] = sorted[n - 1];
    }
    const l = new Float64Array(upper.length).fill(Infinity), h = new Float64Array(upper.length).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const v = col[i];
      let a = 0, b = upper.length - 1; // first bin whose upper value >= v
      while (a < b) {
        const m = (a + b) >> 1;
        if (upper[m] >= v) b = m;
        else a = m + 1;
      }
      codes[i * d + f] = a;
      if (v < l[a]) l[a] = v;
      if (v > h[a]) h[a] = v;
    }
    lo.push(l);
    hi.push(h);
  }
  return { bins: { lo, hi }, codes };
}
