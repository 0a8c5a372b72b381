// The fast path's inner loop: one pass over a line that finds each field's end and parses it on the
// way (digits into a number, a date by its fixed layout, a string hashed for its dictionary), instead
// of finding the delimiters first and reading every field again. A line it is not sure of (blank,
// ragged, padded, quoted numbers, long mantissas, missing tokens other than the empty field) is
// declined, and fastPath.ts reads it the general way; so the values, kinds, integer flags and
// violations are those of the two-pass reader, which the parity tests hold.
//
// The loop is a WebAssembly kernel (wasm/lines.ts) that reads a batch of lines into arrays in its
// memory; this class owns that memory (the block of the file being read lives there too, so the
// bytes are read from disk straight into it) and hands each batch to the columns' accumulators.
//
// Measured (bench: flights_3m.csv, 97 MB, 3M rows of a date, two whole numbers and two codes, one
// thread, into arrays already touched, medians of 8 alternating rounds in one process): the
// two-pass reader 585-600 ms, the fused reader in JavaScript 470-490 ms, of which about 90 ms is
// reading the file; with its fields read into locals once per line, 450-460 ms against 613-660 ms
// in a noisier run. As WebAssembly, in whole processes (bench/profileRun.ts, two threads, medians of
// 5 alternating): the load phase 0.579 s → 0.505 s; with the kernel's cache of short strings'
// codes (see CACHE in wasm/lines.ts), half the file on one thread 178 → 141 ms; with the mantissa
// in i64 and a datetime's end looked for at its layouts' lengths, the whole file on one thread
// 280 → 212 ms (medians of 7 in a process, 3 alternating processes each). What is left is
// mostly not the parse: the accumulators' first writes into fresh pages of the columns (about 15 µs
// a page on these machines, 96 MB of columns).
import linesWasm from './wasm/lines.ts?wasm';
import { FloatAccumulator, POW10, StringAccumulator, type Accumulator } from './accumulators';
import type { ValueKind } from './values';

const NL = 10, CR = 13;
const NUMBER = 0, DATETIME = 1, STRING = 2;
/**
 * Lines per batch: up to 4096, fewer for wide files, so that the batch's arrays (28 bytes a field:
 * 640 KB for 5 columns) stay under about 4 MB and in cache until the accumulators take them.
 */
const batchLines = (ncol: number) => Math.max(16, Math.min(4096, Math.floor(131072 / ncol)));
/** wasm/lines.ts' CACHE entries of 32 bytes, for each of the first CACHED string columns. */
const CACHE_BYTES = 4096 * 32, CACHED = 16;

/** wasm/lines.ts's exports; every pointer is a byte offset into `memory`. */
interface LineExports {
  memory: WebAssembly.Memory;
  setup(ncol: number, delim: number, empty: number, cap: number, kinds: number, pow10: number, lastDate: number, lastDay: number, dots: number, values: number, starts: number, ends: number, hashes: number): void;
  setupStrings(cache: number, codes: number, misses: number, missCounts: number): void;
  readLines(buf: number, p: number, usable: number): number;
  remember(c: number): void;
  stop(): number;
}

let compiled: WebAssembly.Module | undefined;
let instance: LineExports | undefined;
/** The reader whose arrays the memory holds now (each lays its own out from the same place). */
let owner: FusedLines | undefined;

/** One instance per thread: a range is read start to end before another starts (parseRange is synchronous). */
function kernels(): LineExports {
  if (instance) return instance;
  compiled ??= new WebAssembly.Module(linesWasm);
  const { exports } = new WebAssembly.Instance<LineExports>(compiled, { env: { abort: () => { throw new Error('CSV line reader: internal assertion'); } } });
  // What the type says, checked: a build that compiled other kernels fails here, not mid-read.
  for (const name of ['setup', 'setupStrings', 'readLines', 'remember', 'stop'] as const) if (typeof exports[name] !== 'function') throw new Error(`CSV line reader: no ${name} export`);
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new Error('CSV line reader: no memory export');
  return (instance = exports);
}

const align = (bytes: number) => (bytes + 15) & ~15;

export class FusedLines {
  private readonly ncol: number;
  private readonly kind: Int8Array;
  private readonly floats: (FloatAccumulator | undefined)[];
  private readonly strings: (StringAccumulator | undefined)[];
  /** Whether the line reader applies at all: every column numeric, datetime or string. */
  readonly usable: boolean;
  private k: LineExports | undefined;
  private dotsAt = 0;
  private valuesAt = 0;
  private startsAt = 0;
  private endsAt = 0;
  private hashesAt = 0;
  private codesAt = 0;
  private missesAt = 0;
  private missCountsAt = 0;
  private batch = 0;
  /** Where the file's block lives in the memory (after everything else), and how long it is. */
  private bufAt = 0;
  private bufLength = 0;
  /** The start of the first line the last `read` did not read. */
  next = 0;

  constructor(kinds: ValueKind[], acc: Accumulator[], private readonly delim: number, private readonly emptyIsMissing: boolean) {
    const ncol = (this.ncol = kinds.length);
    this.kind = Int8Array.from(kinds, (k) => (k === 'numeric' ? NUMBER : k === 'datetime' ? DATETIME : k === 'string' ? STRING : -1));
    this.floats = acc.map((a) => (a instanceof FloatAccumulator ? a : undefined));
    this.strings = acc.map((a) => (a instanceof StringAccumulator ? a : undefined));
    this.usable = ncol > 0 && delim !== NL && delim !== CR && kinds.every((k, c) => (k === 'string' ? this.strings[c] : k === 'numeric' || k === 'datetime' ? this.floats[c] : undefined) !== undefined);
  }

  /**
   * A buffer of `size` bytes to read the file's block into, in the kernel's memory; asked again
   * for a larger one, it keeps the bytes it holds (only the memory behind it grows).
   */
  buffer(size: number): Buffer {
    const k = this.layout();
    const need = this.bufAt + align(size + 8); // the kernel reads a short key as 8 bytes
    const have = k.memory.buffer.byteLength;
    if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
    this.bufLength = size;
    return Buffer.from(k.memory.buffer, this.bufAt, size);
  }

  /** The kernel bound to this reader's columns, with its arrays laid out (once). */
  private layout(): LineExports {
    if (this.k) {
      if (owner !== this) throw new Error('internal: two fused line readers at once on one thread');
      return this.k;
    }
    owner = this;
    let k = kernels();
    const ncol = this.ncol;
    // A memory only grows: one that a line of tens of MB grew is left with its instance.
    if (k.memory.buffer.byteLength > 64 * 2 ** 20) {
      instance = undefined;
      k = kernels();
    }
    let top = 65536; // the module's own static data lives below
    const take = (bytes: number) => {
      const at = top;
      top += align(bytes);
      return at;
    };
    const kindsAt = take(ncol), pow10At = take(8 * POW10.length), lastDateAt = take(10 * ncol), lastDayAt = take(8 * ncol);
    this.dotsAt = take(4 * ncol);
    const batch = (this.batch = batchLines(ncol));
    this.valuesAt = take(8 * ncol * batch);
    this.startsAt = take(4 * ncol * batch);
    this.endsAt = take(4 * ncol * batch);
    this.hashesAt = take(4 * ncol * batch);
    const cached = Math.min(CACHED, this.kind.filter((k) => k === STRING).length);
    const cacheTableAt = take(4 * ncol), cacheAt = take(CACHE_BYTES * cached);
    this.codesAt = take(4 * ncol * batch);
    this.missesAt = take(4 * ncol * batch);
    this.missCountsAt = take(4 * ncol);
    this.bufAt = top;
    const have = k.memory.buffer.byteLength;
    if (top > have) k.memory.grow(Math.ceil((top - have) / 65536));
    const mem = k.memory.buffer;
    new Int8Array(mem, kindsAt, ncol).set(this.kind);
    new Float64Array(mem, pow10At, POW10.length).set(POW10);
    new Uint8Array(mem, lastDateAt, 10 * ncol).fill(0);
    new Float64Array(mem, lastDayAt, ncol).fill(NaN);
    // The first CACHED string columns' caches, empty: another range's codes are not this one's.
    const table = new Int32Array(mem, cacheTableAt, ncol);
    for (let c = 0, t = 0; c < ncol; c++) table[c] = this.kind[c] === STRING && t < cached ? cacheAt + CACHE_BYTES * t++ : 0;
    new Uint8Array(mem, cacheAt, CACHE_BYTES * cached).fill(0);
    k.setup(ncol, this.delim, this.emptyIsMissing ? 1 : 0, batch, kindsAt, pow10At, lastDateAt, lastDayAt, this.dotsAt, this.valuesAt, this.startsAt, this.endsAt, this.hashesAt);
    k.setupStrings(cacheTableAt, this.codesAt, this.missesAt, this.missCountsAt);
    return (this.k = k);
  }

  /**
   * Reads the non-blank lines from p in `buf` (a buffer from `buffer`) and stores their rows, until
   * one is blank or declined, a batch is full, or `usable`; returns how many it read (0: the line
   * at p is blank or needs the general reader), with `next` where it stopped.
   */
  read(buf: Buffer, p: number, usable: number): number {
    const k = this.layout();
    if (buf.buffer !== k.memory.buffer || buf.byteOffset !== this.bufAt || buf.length !== this.bufLength) throw new Error('internal: the fused reader reads only the buffer it gave');
    const mem = k.memory.buffer, ncol = this.ncol;
    const dots = new Int32Array(mem, this.dotsAt, ncol), missCounts = new Int32Array(mem, this.missCountsAt, ncol);
    dots.fill(0);
    const n = k.readLines(this.bufAt, p, usable);
    this.next = k.stop();
    if (n === 0) return 0;
    for (let c = 0; c < ncol; c++) {
      const f = this.floats[c];
      if (f !== undefined) {
        f.putParsedBlock(new Float64Array(mem, this.valuesAt + 8 * c * this.batch, n), dots[c] === 1);
      } else {
        const at = 4 * c * this.batch, missed = missCounts[c];
        this.strings[c]!.pushCodedBlock(buf, new Int32Array(mem, this.startsAt + at, n), new Int32Array(mem, this.endsAt + at, n), new Int32Array(mem, this.hashesAt + at, n),
          new Int32Array(mem, this.codesAt + at, n), new Int32Array(mem, this.missesAt + at, missed));
        if (missed > 0) k.remember(c);
      }
    }
    return n;
  }
}
