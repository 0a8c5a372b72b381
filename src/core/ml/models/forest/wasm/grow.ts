// The tree grower's row loops as WebAssembly kernels (AssemblyScript, compiled at build time by
// scripts/build.mjs's assemblyScript plugin): a classification node's histogram passes, a small
// node's histogram of one wide feature, and the partition of a node's rows. kernels.ts owns the
// memory; every array here is a byte offset into it, set per tree by `bind`.
//
// Why: these loops are almost all loads, an address computation and a read-modify-write, and
// V8's optimised JavaScript for them checked bounds and tags on each. The same loop over mpls_stops'
// rows (two features, two classes, sorted random subsets of 8 to 22,000 rows) took 10-16 ns a row as
// JavaScript and 4-8.5 ns here; i32 histograms instead of f64 made no difference, so the histograms
// stay f64 and the sweeps in tree.ts read them as before. Each kernel adds the same numbers in the
// same order as the JavaScript did, so the trees are the same.

// The tree's arrays (see bind).
let codes: usize = 0, stride: i32 = 0, byteOf: usize = 0, shiftOf: usize = 0, maskOf: usize = 0;
let idx: usize = 0, wts: usize = 0, hist: usize = 0, binRows: usize = 0;

/**
 * codes: the rows' packed bins, `stride` bytes each; byteOf/shiftOf/maskOf: i32 per feature (and
 * per one-hot group's byte, after the features) saying where its bin sits; idx: i32 rows of the
 * tree, partitioned as nodes split; wts: u16 weight per row; hist: f64 per (slot, class);
 * binRows: i32 rows per slot.
 */
export function bind(c: usize, s: i32, b: usize, sh: usize, m: usize, i: usize, w: usize, h: usize, r: usize): void {
  codes = c;
  stride = s;
  byteOf = b;
  shiftOf = sh;
  maskOf = m;
  idx = i;
  wts = w;
  hist = h;
  binRows = r;
}

@inline function byteAt(f: i32): usize { return <usize>load<i32>(byteOf + (<usize>f << 2)); }
@inline function shiftAt(f: i32): i32 { return load<i32>(shiftOf + (<usize>f << 2)); }
@inline function maskAt(f: i32): i32 { return load<i32>(maskOf + (<usize>f << 2)); }
@inline function code(row: usize, o: usize, h: i32, m: i32): i32 { return (<i32>load<u8>(row + o) >> h) & m; }
@inline function add(at: usize, x: f64): void { store<f64>(at, load<f64>(at) + x); }
@inline function count(at: usize): void { store<i32>(at, load<i32>(at) + 1); }

/**
 * Histograms of the columns feats[0 .. n) (i32 each: a feature, or d + g for group g's byte) over
 * rows idx[start .. end), the column at feats[q] into slots slots[q] .. + bins[q], cleared first: class weights (k per
 * slot, `ly` the rows' i32 classes) and, if `counts`, rows per slot. Columns go four at a time,
 * then three, two or one, each group in one pass with its columns held in locals (as in
 * JavaScript: about twice as fast as a loop over the columns inside the row loop). With and
 * without rows per bin they are copies: one kernel per width with the count behind a flag tested
 * per row took a tree on mpls_stops from 11.5 to 12.1 ms (one thread, medians of 5, 3 runs each).
 */
export function classHistograms(ly: usize, start: i32, end: i32, feats: usize, slots: usize, bins: usize, n: i32, k: i32, counts: i32): void {
  // Each column's slots (bins[q] of them) cleared first.
  for (let q = 0; q < n; q++) {
    const s = <usize>load<i32>(slots + (<usize>q << 2)), nb = <usize>load<i32>(bins + (<usize>q << 2));
    memory.fill(hist + ((s * <usize>k) << 3), 0, (nb * <usize>k) << 3);
    if (counts) memory.fill(binRows + (s << 2), 0, nb << 2);
  }
  let q = 0;
  for (; q + 4 <= n; q += 4) {
    if (counts) rows4(ly, start, end, feats + (<usize>q << 2), slots + (<usize>q << 2), k);
    else weights4(ly, start, end, feats + (<usize>q << 2), slots + (<usize>q << 2));
  }
  const left = n - q, fq = feats + (<usize>q << 2), sq = slots + (<usize>q << 2);
  if (left == 3) {
    if (counts) rows3(ly, start, end, fq, sq, k);
    else weights3(ly, start, end, fq, sq);
  } else if (left == 2) {
    if (counts) rows2(ly, start, end, fq, sq, k);
    else weights2(ly, start, end, fq, sq);
  } else if (left == 1) {
    if (counts) rows1(ly, start, end, fq, sq, k);
    else weights1(ly, start, end, fq, sq);
  }
}

// Two classes, no rows per bin: one read-modify-write per row and column (see `counts` in tree.ts).
function weights4(ly: usize, start: i32, end: i32, feats: usize, slots: usize): void {
  const f0 = load<i32>(feats), f1 = load<i32>(feats, 4), f2 = load<i32>(feats, 8), f3 = load<i32>(feats, 12);
  const o0 = byteAt(f0), o1 = byteAt(f1), o2 = byteAt(f2), o3 = byteAt(f3);
  const h0 = shiftAt(f0), h1 = shiftAt(f1), h2 = shiftAt(f2), h3 = shiftAt(f3);
  const m0 = maskAt(f0), m1 = maskAt(f1), m2 = maskAt(f2), m3 = maskAt(f3);
  const s0 = load<i32>(slots), s1 = load<i32>(slots, 4), s2 = load<i32>(slots, 8), s3 = load<i32>(slots, 12);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    add(hs + (<usize>(((code(row, o0, h0, m0) + s0) << 1) + yi) << 3), wi);
    add(hs + (<usize>(((code(row, o1, h1, m1) + s1) << 1) + yi) << 3), wi);
    add(hs + (<usize>(((code(row, o2, h2, m2) + s2) << 1) + yi) << 3), wi);
    add(hs + (<usize>(((code(row, o3, h3, m3) + s3) << 1) + yi) << 3), wi);
  }
}

function weights3(ly: usize, start: i32, end: i32, feats: usize, slots: usize): void {
  const f0 = load<i32>(feats), f1 = load<i32>(feats, 4), f2 = load<i32>(feats, 8);
  const o0 = byteAt(f0), o1 = byteAt(f1), o2 = byteAt(f2);
  const h0 = shiftAt(f0), h1 = shiftAt(f1), h2 = shiftAt(f2);
  const m0 = maskAt(f0), m1 = maskAt(f1), m2 = maskAt(f2);
  const s0 = load<i32>(slots), s1 = load<i32>(slots, 4), s2 = load<i32>(slots, 8);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    add(hs + (<usize>(((code(row, o0, h0, m0) + s0) << 1) + yi) << 3), wi);
    add(hs + (<usize>(((code(row, o1, h1, m1) + s1) << 1) + yi) << 3), wi);
    add(hs + (<usize>(((code(row, o2, h2, m2) + s2) << 1) + yi) << 3), wi);
  }
}

function weights2(ly: usize, start: i32, end: i32, feats: usize, slots: usize): void {
  const f0 = load<i32>(feats), f1 = load<i32>(feats, 4);
  const o0 = byteAt(f0), o1 = byteAt(f1), h0 = shiftAt(f0), h1 = shiftAt(f1), m0 = maskAt(f0), m1 = maskAt(f1);
  const s0 = load<i32>(slots), s1 = load<i32>(slots, 4);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    add(hs + (<usize>(((code(row, o0, h0, m0) + s0) << 1) + yi) << 3), wi);
    add(hs + (<usize>(((code(row, o1, h1, m1) + s1) << 1) + yi) << 3), wi);
  }
}

function weights1(ly: usize, start: i32, end: i32, feats: usize, slots: usize): void {
  const f0 = load<i32>(feats), o0 = byteAt(f0), h0 = shiftAt(f0), m0 = maskAt(f0), s0 = load<i32>(slots);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    add(hs + (<usize>(((code(row, o0, h0, m0) + s0) << 1) + yi) << 3), wi);
  }
}

// k classes (k the node's own) and rows per slot.
function rows4(ly: usize, start: i32, end: i32, feats: usize, slots: usize, k: i32): void {
  const f0 = load<i32>(feats), f1 = load<i32>(feats, 4), f2 = load<i32>(feats, 8), f3 = load<i32>(feats, 12);
  const o0 = byteAt(f0), o1 = byteAt(f1), o2 = byteAt(f2), o3 = byteAt(f3);
  const h0 = shiftAt(f0), h1 = shiftAt(f1), h2 = shiftAt(f2), h3 = shiftAt(f3);
  const m0 = maskAt(f0), m1 = maskAt(f1), m2 = maskAt(f2), m3 = maskAt(f3);
  const s0 = load<i32>(slots), s1 = load<i32>(slots, 4), s2 = load<i32>(slots, 8), s3 = load<i32>(slots, 12);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist, br = binRows;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    const b0 = code(row, o0, h0, m0) + s0, b1 = code(row, o1, h1, m1) + s1, b2 = code(row, o2, h2, m2) + s2, b3 = code(row, o3, h3, m3) + s3;
    count(br + (<usize>b0 << 2));
    count(br + (<usize>b1 << 2));
    count(br + (<usize>b2 << 2));
    count(br + (<usize>b3 << 2));
    add(hs + (<usize>(b0 * k + yi) << 3), wi);
    add(hs + (<usize>(b1 * k + yi) << 3), wi);
    add(hs + (<usize>(b2 * k + yi) << 3), wi);
    add(hs + (<usize>(b3 * k + yi) << 3), wi);
  }
}

function rows3(ly: usize, start: i32, end: i32, feats: usize, slots: usize, k: i32): void {
  const f0 = load<i32>(feats), f1 = load<i32>(feats, 4), f2 = load<i32>(feats, 8);
  const o0 = byteAt(f0), o1 = byteAt(f1), o2 = byteAt(f2);
  const h0 = shiftAt(f0), h1 = shiftAt(f1), h2 = shiftAt(f2);
  const m0 = maskAt(f0), m1 = maskAt(f1), m2 = maskAt(f2);
  const s0 = load<i32>(slots), s1 = load<i32>(slots, 4), s2 = load<i32>(slots, 8);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist, br = binRows;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    const b0 = code(row, o0, h0, m0) + s0, b1 = code(row, o1, h1, m1) + s1, b2 = code(row, o2, h2, m2) + s2;
    count(br + (<usize>b0 << 2));
    count(br + (<usize>b1 << 2));
    count(br + (<usize>b2 << 2));
    add(hs + (<usize>(b0 * k + yi) << 3), wi);
    add(hs + (<usize>(b1 * k + yi) << 3), wi);
    add(hs + (<usize>(b2 * k + yi) << 3), wi);
  }
}

function rows2(ly: usize, start: i32, end: i32, feats: usize, slots: usize, k: i32): void {
  const f0 = load<i32>(feats), f1 = load<i32>(feats, 4);
  const o0 = byteAt(f0), o1 = byteAt(f1), h0 = shiftAt(f0), h1 = shiftAt(f1), m0 = maskAt(f0), m1 = maskAt(f1);
  const s0 = load<i32>(slots), s1 = load<i32>(slots, 4);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist, br = binRows;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    const b0 = code(row, o0, h0, m0) + s0, b1 = code(row, o1, h1, m1) + s1;
    count(br + (<usize>b0 << 2));
    count(br + (<usize>b1 << 2));
    add(hs + (<usize>(b0 * k + yi) << 3), wi);
    add(hs + (<usize>(b1 * k + yi) << 3), wi);
  }
}

function rows1(ly: usize, start: i32, end: i32, feats: usize, slots: usize, k: i32): void {
  const f0 = load<i32>(feats), o0 = byteAt(f0), h0 = shiftAt(f0), m0 = maskAt(f0), s0 = load<i32>(slots);
  const c = codes, st = stride, ix = idx, w = wts, hs = hist, br = binRows;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const row = c + <usize>(i * st), wi = <f64>load<u16>(w + (<usize>i << 1)), yi = load<i32>(ly + (<usize>i << 2));
    const b0 = code(row, o0, h0, m0) + s0;
    count(br + (<usize>b0 << 2));
    add(hs + (<usize>(b0 * k + yi) << 3), wi);
  }
}

/**
 * One feature's class weights (k per bin into dHist, f64), rows per bin (dRows, i32) and a bitmap
 * of the bins that hold rows (dBits, i32 words), over rows idx[start .. end): a small node's wide
 * feature (see `direct` in tree.ts).
 */
export function directHistogram(ly: usize, start: i32, end: i32, f: i32, k: i32, dHist: usize, dRows: usize, dBits: usize): void {
  const o = byteAt(f), h = shiftAt(f), m = maskAt(f);
  const c = codes, st = stride, ix = idx, w = wts;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const b = code(c + <usize>(i * st), o, h, m);
    add(dHist + (<usize>(b * k + load<i32>(ly + (<usize>i << 2))) << 3), <f64>load<u16>(w + (<usize>i << 1)));
    count(dRows + (<usize>b << 2));
    const word = dBits + (<usize>(b >> 5) << 2);
    store<i32>(word, load<i32>(word) | (1 << (b & 31)));
  }
}

/**
 * Stable partition of idx[start .. end) by feature f: rows with a bin <= `at` first, in order,
 * then the others (through `spare`, i32 scratch), in order. Returns where the right side starts.
 * Without a branch: which side a row goes is a coin toss the processor cannot predict. Each row
 * is written to both sides (a <= r, so in place is safe) and the count of its side moves on.
 */
export function partition(start: i32, end: i32, f: i32, at: i32, spare: usize): i32 {
  const o = byteAt(f), h = shiftAt(f), m = maskAt(f);
  const c = codes, st = stride, ix = idx;
  let a = start, nr = 0;
  for (let r = start; r < end; r++) {
    const i = load<i32>(ix + (<usize>r << 2));
    const right = <u32>(at - code(c + <usize>(i * st), o, h, m)) >> 31;
    store<i32>(ix + (<usize>a << 2), i);
    store<i32>(spare + (<usize>nr << 2), i);
    a += 1 - right;
    nr += right;
  }
  memory.copy(ix + (<usize>a << 2), spare, <usize>nr << 2);
  return a;
}
