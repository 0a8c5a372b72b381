// The tree grower's WebAssembly kernels (wasm/grow.ts) and the memory they work in: one instance
// per thread, whose memory holds a tree's arrays while it grows. growTree reads and writes the
// same arrays through typed-array views, and hands the kernels their byte offsets.
//
// The fit's packed codes are copied in once per thread and kept while the same codes keep coming
// (a forest's trees share one input); everything else is laid out again for each tree, after
// them. A memory only grows: a thread keeps a large fit's arrays until a fit a quarter its size
// (worker threads end after a minute idle), which then starts a fresh instance.
import growWasm from './wasm/grow.ts?wasm';
import type { CodeLayout } from './binning';

/** wasm/grow.ts's exports; every pointer is a byte offset into `memory`. */
interface GrowExports {
  memory: WebAssembly.Memory;
  bind(codes: number, stride: number, byte: number, shift: number, mask: number, idx: number, wts: number, hist: number, binRows: number): void;
  classHistograms(ly: number, start: number, end: number, feats: number, slots: number, bins: number, n: number, k: number, counts: number): void;
  directHistogram(ly: number, start: number, end: number, f: number, k: number, dHist: number, dRows: number, dBits: number): void;
  partition(start: number, end: number, f: number, at: number, spare: number): number;
}

/** Sizes of a tree's arrays, in elements. */
export interface TreeSizes {
  n: number;
  /** Rows in the tree (bootstrap weight > 0). */
  m: number;
  /** Histogram slots (per slot: `width` f64s and one i32 row count). */
  slots: number;
  width: number;
  /** Columns a batch can pass over. */
  batch: number;
  /** The widest feature's bins, and the classes (for a small node's own histogram). */
  maxBins: number;
  k: number;
}

/** A tree's arrays in the kernels' memory: views for growTree and their offsets for the kernels. */
export interface TreeArrays {
  kernels: GrowExports;
  idx: Int32Array;
  /** Scratch for the partition's right side (m i32s). */
  spare: number;
  wts: Uint16Array;
  yClass: Int32Array;
  yClassAt: number;
  localY: Int32Array;
  localYAt: number;
  hist: Float64Array;
  binRows: Int32Array;
  passes: Int32Array;
  passesAt: number;
  passSlot: Int32Array;
  passSlotAt: number;
  /** Per pass column, its slots (bins). */
  passBins: Int32Array;
  passBinsAt: number;
  dHist: Float64Array;
  dHistAt: number;
  dRows: Int32Array;
  dRowsAt: number;
  dBits: Int32Array;
  dBitsAt: number;
}

let compiled: WebAssembly.Module | undefined;
let kernels: GrowExports | undefined;
/** The codes now in memory (at CODES), and how many bytes they took. */
let held: Uint8Array | undefined;
let heldBytes = 0;

/** The module's own static data lives below this. */
const CODES = 65536;
const align = (bytes: number) => (bytes + 15) & ~15;

function instance(): GrowExports {
  if (kernels) return kernels;
  compiled ??= new WebAssembly.Module(growWasm);
  const { exports } = new WebAssembly.Instance<GrowExports>(compiled, { env: { abort: () => { throw new Error('Forest kernels: internal assertion'); } } });
  // What the type says, checked: a build that compiled other kernels fails here, not mid-fit.
  for (const name of ['bind', 'classHistograms', 'directHistogram', 'partition'] as const) if (typeof exports[name] !== 'function') throw new Error(`Forest kernels: no ${name} export`);
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new Error('Forest kernels: no memory export');
  return (kernels = exports);
}

/**
 * Lays out a tree's arrays after the fit's codes (copied in unless already there) and binds the
 * kernels to them. `yClass` and `weights` are copied in; the rows are written before they are
 * read, and histograms cleared before each pass.
 */
export function treeArrays(codes: Uint8Array, layout: CodeLayout, yClass: Int32Array | undefined, weights: Uint16Array | null, s: TreeSizes): TreeArrays {
  let k = instance();
  let top = CODES + align(codes.length);
  const columns = layout.byte.length;
  const take = (bytes: number) => {
    const at = top;
    top += align(bytes);
    return at;
  };
  const byteAt = take(4 * columns), shiftAt = take(4 * columns), maskAt = take(4 * columns);
  const idxAt = take(4 * s.m), spare = take(4 * s.m), wtsAt = take(2 * s.n);
  const yClassAt = take(yClass ? 4 * s.n : 0), localYAt = take(yClass ? 4 * s.n : 0);
  const histAt = take(8 * s.slots * s.width), binRowsAt = take(4 * s.slots);
  const passesAt = take(4 * s.batch), passSlotAt = take(4 * s.batch), passBinsAt = take(4 * s.batch);
  const dHistAt = take(8 * s.maxBins * s.k), dRowsAt = take(4 * s.maxBins), dBitsAt = take(4 * ((s.maxBins + 31) >> 5));
  if (k.memory.buffer.byteLength > Math.max(4 * top, 64 * 2 ** 20)) {
    kernels = held = undefined; // the old memory goes with its instance
    k = instance();
  }
  const have = k.memory.buffer.byteLength;
  if (top > have) {
    try {
      k.memory.grow(Math.ceil((top - have) / 65536));
    } catch {
      throw new Error(`Random forest: a tree's working memory (${Math.ceil(top / 2 ** 20)} MB for ${s.n} rows) does not fit in WebAssembly's 4 GB; fit on fewer rows or features`);
    }
  }
  const buf = k.memory.buffer;
  if (held !== codes || heldBytes !== codes.length) {
    new Uint8Array(buf, CODES, codes.length).set(codes);
    held = codes;
    heldBytes = codes.length;
  }
  new Int32Array(buf, byteAt, columns).set(layout.byte);
  new Int32Array(buf, shiftAt, columns).set(layout.shift);
  new Int32Array(buf, maskAt, columns).set(layout.mask);
  const wts = new Uint16Array(buf, wtsAt, s.n);
  if (weights) wts.set(weights);
  else wts.fill(1);
  const y = new Int32Array(buf, yClassAt, yClass ? s.n : 0);
  if (yClass) y.set(yClass);
  const hist = new Float64Array(buf, histAt, s.slots * s.width), binRows = new Int32Array(buf, binRowsAt, s.slots);
  const dHist = new Float64Array(buf, dHistAt, s.maxBins * s.k), dRows = new Int32Array(buf, dRowsAt, s.maxBins), dBits = new Int32Array(buf, dBitsAt, (s.maxBins + 31) >> 5);
  // A small node's scratch, which growTree expects cleared and clears after use (the previous tree
  // left it so, but another input's layout may not have). The histograms' slots are cleared before
  // each pass over them.
  dHist.fill(0);
  dRows.fill(0);
  dBits.fill(0);
  k.bind(CODES, layout.stride, byteAt, shiftAt, maskAt, idxAt, wtsAt, histAt, binRowsAt);
  return {
    kernels: k, idx: new Int32Array(buf, idxAt, s.m), spare, wts, yClass: y, yClassAt, localY: new Int32Array(buf, localYAt, yClass ? s.n : 0), localYAt,
    hist, binRows, passes: new Int32Array(buf, passesAt, s.batch), passesAt, passSlot: new Int32Array(buf, passSlotAt, s.batch), passSlotAt,
    passBins: new Int32Array(buf, passBinsAt, s.batch), passBinsAt,
    dHist, dHistAt, dRows, dRowsAt, dBits, dBitsAt,
  };
}
