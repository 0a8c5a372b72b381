// Features binned once per fit: up to 256 bins per feature (one per distinct value when there are
// few, quantile bins otherwise), stored row-major and bit-packed: a feature with 2 bins (one-hot
// columns, flags) takes one bit, with up to 4 two bits, up to 16 four, else a byte. One pass over
// a node's rows reads every feature it tries from the same few bytes, and the rows of 35k × 118
// mostly one-hot features take 0.7 MB instead of 4 MB: trees grown on two threads at once had
// been slowed a third by competing for the cache.
import type { Matrix } from '../../matrix';

export interface Bins {
  /** Per feature: lowest and highest training value in each bin. */
  lo: Float64Array[];
  hi: Float64Array[];
}

/** Where feature f's bin sits: (codes[i * stride + byte[f]] >> shift[f]) & mask[f]. */
export interface CodeLayout {
  stride: number;
  byte: Int32Array;
  shift: Int32Array;
  mask: Int32Array;
}

/**
 * Runs of 0/1 columns of which no row has two 1s (a one-hot encoded category). Each group also
 * has a byte per row, after the features' packed bits: the place in the group of the row's 1, or
 * the group's size if it has none. Trees build the histograms of all the drawn members of a
 * group in one pass over that byte, not one per member.
 */
export interface OneHotGroups {
  /** Per feature: its group, or -1. */
  group: Int32Array;
  /** Per feature in a group: its place there. */
  member: Int32Array;
  /** Per group: its number of members. */
  size: Int32Array;
}

export interface Binned {
  bins: Bins;
  /** The bins of every row, packed as `layout` says. */
  codes: Uint8Array;
  /** Features 0..d-1, then group g as column d + g (a byte, with size + 1 codes). */
  layout: CodeLayout;
  groups: OneHotGroups;
}

/** Bits for a feature with `bins` bins: 1, 2, 4 or 8 (widths that never straddle a byte). */
const bitsFor = (bins: number) => (bins <= 2 ? 1 : bins <= 4 ? 2 : bins <= 16 ? 4 : 8);

/** Packs features in column order, each into the current byte if it still has room. */
export function codeLayout(nBins: ArrayLike<number>): CodeLayout {
  const d = nBins.length;
  const byte = new Int32Array(d), shift = new Int32Array(d), mask = new Int32Array(d);
  let at = -1, used = 8;
  for (let f = 0; f < d; f++) {
    const bits = bitsFor(nBins[f]);
    if (used + bits > 8) {
      at++;
      used = 0;
    }
    byte[f] = at;
    shift[f] = used;
    mask[f] = (1 << bits) - 1;
    used += bits;
  }
  return { stride: at + 1, byte, shift, mask };
}

/** The bin of row i for feature f. */
export const binOf = (codes: Uint8Array, l: CodeLayout, i: number, f: number) => (codes[i * l.stride + l.byte[f]] >> l.shift[f]) & l.mask[f];

const MAX_BINS = 256;
/** Columns with at most this many distinct values (one-hot, flags) are found without sorting. */
const FEW = 8;

/**
 * Row by row, every feature at once: X is row-major, and a pass per column read one value from
 * each cache line (most of the binning time on 35k rows × 118 mostly one-hot features).
 * One-hot groups are found only if asked for (the classification trees use them).
 */
export function binFeatures(X: Matrix, shared = false, findGroups = true): Binned {
  const n = X.rows, d = X.cols, data = X.data;

  // 1. The distinct values of each feature while there are at most FEW; and for one-hot groups,
  // per feature the latest column before it holding a 1 in the same row as it (see oneHotGroups).
  const seen = new Float64Array(d * FEW), nSeen = new Int32Array(d), many = new Uint8Array(d);
  const clash = new Int32Array(d).fill(-1);
  for (let i = 0; i < n; i++) {
    let previousOne = -1;
    for (let f = 0, at = i * d; f < d; f++) {
      const v = data[at + f];
      if (findGroups && v === 1) {
        if (previousOne > clash[f]) clash[f] = previousOne;
        previousOne = f;
      }
      if (many[f]) continue;
      const s = f * FEW, c = nSeen[f];
      let j = 0;
      while (j < c && seen[s + j] !== v) j++;
      if (j < c) continue;
      if (c === FEW) many[f] = 1;
      else {
        seen[s + c] = v;
        nSeen[f] = c + 1;
      }
    }
  }

  // 2. Each feature's bin upper bounds (inclusive), end to end in one array.
  const uppers: number[][] = [];
  const col = new Float64Array(n);
  for (let f = 0; f < d; f++) {
    if (!many[f]) {
      uppers.push(Array.from(seen.subarray(f * FEW, f * FEW + nSeen[f])).sort((a, b) => a - b));
      continue;
    }
    for (let i = 0; i < n; i++) col[i] = data[i * d + f];
    uppers.push(quantileUppers(col.slice().sort()));
  }
  const offset = new Int32Array(d + 1);
  for (let f = 0; f < d; f++) offset[f + 1] = offset[f] + uppers[f].length;
  const upper = new Float64Array(offset[d]);
  for (let f = 0; f < d; f++) upper.set(uppers[f], offset[f]);

  // 3. Codes, and the lowest and highest value that fell in each bin.
  const zeroOne = (f: number) => findGroups && !many[f] && uppers[f].length === 2 && uppers[f][0] === 0 && uppers[f][1] === 1;
  const groups = oneHotGroups(clash, Uint8Array.from({ length: d }, (_, f) => (zeroOne(f) ? 1 : 0)));
  const layout = withGroups(codeLayout(uppers.map((u) => u.length)), groups.size.length);
  const { stride, byte, shift } = layout;
  const { group, member, size } = groups;
  const groupByte = layout.byte.subarray(d);
  const codes = shared ? new Uint8Array(new SharedArrayBuffer(n * stride)) : new Uint8Array(n * stride);
  // A feature with few values has one value per bin: its lowest and highest are that value.
  const lo = new Float64Array(offset[d]).fill(Infinity), hi = new Float64Array(offset[d]).fill(-Infinity);
  for (let f = 0; f < d; f++) {
    if (many[f]) continue;
    for (let a = offset[f]; a < offset[f + 1]; a++) lo[a] = hi[a] = upper[a];
  }
  // Columns of 0s and 1s (most of a one-hot encoded table's): the value is the bin, no search.
  const flag = Uint8Array.from({ length: d }, (_, f) => (!many[f] && uppers[f].length === 2 && uppers[f][0] === 0 && uppers[f][1] === 1 ? 1 : 0));
  // A byte's features are consecutive (codeLayout packs in column order): its bits gather in a
  // local and are stored once.
  const lastInByte = Uint8Array.from({ length: d }, (_, f) => (f === d - 1 || byte[f + 1] !== byte[f] ? 1 : 0));
  for (let i = 0; i < n; i++) {
    let bits = 0;
    for (let g = 0; g < size.length; g++) codes[i * stride + groupByte[g]] = size[g];
    for (let f = 0, at = i * d, row = i * stride; f < d; f++) {
      const v = data[at + f], base = offset[f];
      if (v === 1 && group[f] >= 0) codes[row + groupByte[group[f]]] = member[f];
      let a = base;
      if (flag[f]) a += v; // bins 0 and 1 hold 0 and 1
      else {
        let b = offset[f + 1] - 1; // first bin whose upper value >= v
        while (a < b) {
          const m = (a + b) >> 1;
          if (upper[m] >= v) b = m;
          else a = m + 1;
        }
      }
      bits |= (a - base) << shift[f];
      if (lastInByte[f]) {
        codes[row + byte[f]] = bits;
        bits = 0;
      }
      if (many[f]) {
        if (v < lo[a]) lo[a] = v;
        if (v > hi[a]) hi[a] = v;
      }
    }
  }
  const per = (a: Float64Array) => Array.from({ length: d }, (_, f) => a.slice(offset[f], offset[f + 1]));
  return { bins: { lo: per(lo), hi: per(hi) }, codes, layout, groups };
}

/**
 * One-hot groups among the 0/1 columns (`binary`), in column order: a column joins the group
 * before it unless some row has a 1 in both (or the group has 255 members). clash[f] is, over all
 * rows with a 1 in column f, the latest earlier column that also holds a 1 there: f clashes with
 * a group of consecutive columns from s exactly when clash[f] >= s.
 */
function oneHotGroups(clash: Int32Array, binary: Uint8Array): OneHotGroups {
  const d = clash.length;
  const group = new Int32Array(d).fill(-1), member = new Int32Array(d), size: number[] = [];
  let startAt = -1;
  const close = (end: number) => {
    if (startAt >= 0 && end - startAt >= 2) {
      for (let f = startAt; f < end; f++) {
        group[f] = size.length;
        member[f] = f - startAt;
      }
      size.push(end - startAt);
    }
    startAt = -1;
  };
  for (let f = 0; f < d; f++) {
    if (!binary[f]) close(f);
    else if (startAt < 0) startAt = f;
    else if (clash[f] >= startAt || f - startAt === 255) {
      close(f);
      startAt = f;
    }
  }
  close(d);
  return { group, member, size: Int32Array.from(size) };
}

/** The layout with a whole byte per group after the features' bytes. */
function withGroups(l: CodeLayout, nGroups: number): CodeLayout {
  const d = l.byte.length;
  const grow = (a: Int32Array, tail: (g: number) => number) => Int32Array.from({ length: d + nGroups }, (_, f) => (f < d ? a[f] : tail(f - d)));
  return { stride: l.stride + nGroups, byte: grow(l.byte, (g) => l.stride + g), shift: grow(l.shift, () => 0), mask: grow(l.mask, () => 255) };
}

/** Bin upper bounds of a sorted column: its distinct values if at most MAX_BINS, else quantiles. */
function quantileUppers(sorted: Float64Array): number[] {
  const n = sorted.length;
  const uniq: number[] = [];
  for (let i = 0; i < n && uniq.length <= MAX_BINS; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniq.push(sorted[i]);
  if (uniq.length <= MAX_BINS) return uniq;
  const upper: number[] = [];
  for (let b = 1; b <= MAX_BINS; b++) {
    const v = sorted[Math.min(n - 1, Math.floor((b * n) / MAX_BINS) - 1)];
    if (upper.length === 0 || v > upper[upper.length - 1]) upper.push(v);
  }
  if (upper[upper.length - 1] < sorted[n - 1]) upper[upper.length - 1] = sorted[n - 1];
  return upper;
}
