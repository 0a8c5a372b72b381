// Counters for a profile read in chunks (bounded.ts): each is exact while its state fits the budget
// it was given, then turns into a mergeable sketch with a stated error. HyperLogLog for distinct
// counts (values and whole rows), Misra-Gries summaries for top values, counts per grid point (the
// reservoir for quantiles is stats.ts's, shared with the in-memory profile).
import { fmix32 } from '../hash';

export { fmix32 };

/** Two independent 32-bit hashes of a string (FNV-1a over UTF-16 units, then finalised with two seeds). */
export function hashString(s: string, out: Uint32Array, at: number): void {
  let a = 0x811c9dc5, b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  out[at] = fmix32(a);
  out[at + 1] = fmix32(b ^ 0x9e3779b9);
}

const P = 16;
const M = 1 << P;

/**
 * HyperLogLog with 2^16 registers: relative standard error 1.04 / 256 = 0.41%. Takes a 48-bit
 * hash as (h1, h2): the register from h1's top 16 bits, the rank from h2's leading zeros.
 */
export class HyperLogLog {
  static readonly relativeError = 1.04 / Math.sqrt(M);
  readonly registers = new Uint8Array(M);
  add(h1: number, h2: number): void {
    const r = h2 === 0 ? 33 : Math.clz32(h2) + 1;
    const i = h1 >>> (32 - P);
    if (r > this.registers[i]) this.registers[i] = r;
  }
  estimate(): number {
    let sum = 0, zeros = 0;
    for (let i = 0; i < M; i++) {
      sum += 2 ** -this.registers[i];
      if (this.registers[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / M);
    const raw = (alpha * M * M) / sum;
    // Linear counting where the raw estimate is biased (few values per register).
    return Math.round(raw <= 2.5 * M && zeros > 0 ? M * Math.log(M / zeros) : raw);
  }
}

/** Distinct non-NaN floats (-0 and 0 one value): an exact hash set up to `maxExact`, then HyperLogLog. */
export class DistinctFloats {
  private keys: Float64Array | undefined = new Float64Array(64);
  private used: Uint8Array | undefined = new Uint8Array(64);
  private size = 0;
  private hll: HyperLogLog | undefined;
  constructor(private readonly maxExact: number) {}

  get exact(): boolean {
    return this.hll === undefined;
  }

  add(values: Float64Array): void {
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) continue;
      const lo = v === 0 ? 0 : words[2 * i], hi = v === 0 ? 0 : words[2 * i + 1];
      if (this.hll) {
        this.hll.add(fmix32(hi ^ fmix32(lo)), fmix32(lo ^ fmix32(hi ^ 0x9e3779b9)));
        continue;
      }
      this.insert(v === 0 ? 0 : v, lo, hi);
      if (this.size > this.maxExact) this.toSketch();
    }
  }

  private insert(key: number, lo: number, hi: number): void {
    const keys = this.keys!, used = this.used!;
    const mask = keys.length - 1;
    let slot = fmix32(lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (used[slot] && keys[slot] !== key) slot = (slot + 1) & mask;
    if (used[slot]) return;
    used[slot] = 1;
    keys[slot] = key;
    if (++this.size * 2 > keys.length) this.grow();
  }

  private grow(): void {
    const oldKeys = this.keys!, oldUsed = this.used!;
    this.keys = new Float64Array(oldKeys.length * 2);
    this.used = new Uint8Array(oldKeys.length * 2);
    this.size = 0;
    const w = new Uint32Array(oldKeys.buffer);
    for (let s = 0; s < oldKeys.length; s++) if (oldUsed[s]) this.insert(oldKeys[s], oldKeys[s] === 0 ? 0 : w[2 * s], oldKeys[s] === 0 ? 0 : w[2 * s + 1]);
  }

  private toSketch(): void {
    const hll = new HyperLogLog();
    const keys = this.keys!, used = this.used!;
    const w = new Uint32Array(keys.buffer);
    for (let s = 0; s < keys.length; s++) {
      if (!used[s]) continue;
      const lo = keys[s] === 0 ? 0 : w[2 * s], hi = keys[s] === 0 ? 0 : w[2 * s + 1];
      hll.add(fmix32(hi ^ fmix32(lo)), fmix32(lo ^ fmix32(hi ^ 0x9e3779b9)));
    }
    this.hll = hll;
    this.keys = this.used = undefined;
  }

  count(): number {
    return this.hll ? this.hll.estimate() : this.size;
  }
}

/**
 * Counts of strings: exact in a Map up to `maxExact` distinct values; past that a Misra-Gries
 * summary of `capacity` counters (each kept count is low by at most `maxUndercount`, and any value
 * more frequent than that is kept) and HyperLogLog for the distinct count.
 */
export class StringCounts {
  counts = new Map<string, number>();
  private hll: HyperLogLog | undefined;
  /** Misra-Gries: the most any count can be below the truth. */
  maxUndercount = 0;
  /** Over the distinct strings seen while exact: their characters and spaces (free text or categories). */
  chars = 0;
  spaces = 0;
  sampled = 0;
  private readonly hashes = new Uint32Array(2);
  constructor(private readonly maxExact: number, private readonly capacity = 10_000) {}

  get exact(): boolean {
    return this.hll === undefined;
  }

  /** One chunk's counts: `counts[code]` rows hold `dictionary[code]`. */
  add(dictionary: string[], counts: ArrayLike<number>): void {
    const map = this.counts;
    for (let code = 0; code < dictionary.length; code++) {
      const n = counts[code];
      if (n === 0) continue;
      const s = dictionary[code];
      const had = map.get(s);
      if (had === undefined) {
        if (this.hll) {
          hashString(s, this.hashes, 0);
          this.hll.add(this.hashes[0], this.hashes[1]);
        } else {
          this.chars += s.length;
          for (let i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) this.spaces++;
          this.sampled++;
        }
      }
      map.set(s, (had ?? 0) + n);
    }
    if (!this.hll && map.size > this.maxExact) {
      this.hll = new HyperLogLog();
      for (const s of map.keys()) {
        hashString(s, this.hashes, 0);
        this.hll.add(this.hashes[0], this.hashes[1]);
      }
    }
    if (this.hll && map.size > this.capacity) this.shrink();
  }

  /** Misra-Gries merge step: subtract the (capacity+1)-th largest count from all, drop the rest. */
  private shrink(): void {
    const values = Float64Array.from(this.counts.values()).sort().reverse();
    const cut = values[this.capacity];
    this.maxUndercount += cut;
    const kept = new Map<string, number>();
    for (const [s, n] of this.counts) if (n > cut) kept.set(s, n - cut);
    this.counts = kept;
  }

  distinct(): number {
    return this.hll ? Math.max(this.hll.estimate(), this.counts.size) : this.counts.size;
  }
}

/**
 * Whole rows seen, as 64-bit hashes (h1, h2): an exact set up to `maxExact` distinct rows (two
 * rows count as equal when both hashes match: a false match has odds near n² / 2^65), then
 * HyperLogLog. Duplicate rows are the rows minus the distinct ones.
 */
export class DistinctRows {
  private table: Uint32Array | undefined = new Uint32Array(2 * 1024);
  private size = 0;
  private hll: HyperLogLog | undefined;
  constructor(private readonly maxExact: number) {}

  get exact(): boolean {
    return this.hll === undefined;
  }

  add(h1: Uint32Array, h2: Uint32Array, rows: number): void {
    for (let i = 0; i < rows; i++) {
      if (this.hll) this.hll.add(h1[i], h2[i]);
      else {
        this.insert(h1[i], h2[i]);
        if (this.size > this.maxExact) this.toSketch();
      }
    }
  }

  private insert(a: number, b: number): void {
    // (0, 0) marks an empty slot; a row hashing there is moved to (0, 1).
    if (a === 0 && b === 0) b = 1;
    const t = this.table!;
    const mask = t.length / 2 - 1;
    let slot = a & mask;
    for (;;) {
      const x = t[2 * slot], y = t[2 * slot + 1];
      if (x === 0 && y === 0) break;
      if (x === a && y === b) return;
      slot = (slot + 1) & mask;
    }
    t[2 * slot] = a;
    t[2 * slot + 1] = b;
    if (++this.size * 2 > t.length / 2) this.grow();
  }

  private grow(): void {
    const old = this.table!;
    this.table = new Uint32Array(old.length * 2);
    this.size = 0;
    for (let s = 0; s < old.length; s += 2) if (old[s] !== 0 || old[s + 1] !== 0) this.insert(old[s], old[s + 1]);
  }

  private toSketch(): void {
    const hll = new HyperLogLog();
    const t = this.table!;
    for (let s = 0; s < t.length; s += 2) if (t[s] !== 0 || t[s + 1] !== 0) hll.add(t[s], t[s + 1]);
    this.hll = hll;
    this.table = undefined;
  }

  count(): number {
    return this.hll ? this.hll.estimate() : this.size;
  }
}

/**
 * Exact counts of a column's values when they sit on a grid (whole numbers; datetimes in whole
 * minutes, seconds or milliseconds) of at most `maxBins` points between the smallest and the
 * largest: a count per point, however many rows. Quartiles, distinct count and histogram then come
 * out exact from one read (flights' delay, distance and minute-stamped dates take 1,000 to 525,000
 * points against 30M rows). `add` returns false, and the counter is dropped, once a value is off
 * the grid or the range outgrows maxBins.
 */
export class GridCounts {
  private counts = new Float64Array(0);
  /** The grid point counts[0] stands for, in steps. */
  private base = 0;
  step: number;
  constructor(private readonly maxBins: number, datetime: boolean) {
    this.step = datetime ? 60000 : 1;
  }

  add(values: Float64Array): boolean {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) continue;
      while (v % this.step !== 0) if (!this.refine()) return false;
      if (!Number.isFinite(v)) return false;
      const k = v / this.step - this.base;
      if (k < 0 || k >= this.counts.length) {
        if (!this.cover(v / this.step)) return false;
        this.counts[v / this.step - this.base]++;
      } else this.counts[k]++;
    }
    return true;
  }

  /** A datetime off the minute grid: seconds, then milliseconds (each old point spread to the new step). */
  private refine(): boolean {
    const finer = this.step === 60000 ? 1000 : this.step === 1000 ? 1 : 0;
    if (!finer) return false;
    const f = this.step / finer;
    if (this.counts.length * f > this.maxBins) return false;
    const next = new Float64Array(this.counts.length === 0 ? 0 : (this.counts.length - 1) * f + 1);
    for (let k = 0; k < this.counts.length; k++) next[k * f] = this.counts[k];
    this.counts = next;
    this.base *= f;
    this.step = finer;
    return true;
  }

  /** Grows the counts to hold grid point `p` (in steps), with room to spare, within maxBins. */
  private cover(p: number): boolean {
    if (this.counts.length === 0) {
      this.base = p;
      this.counts = new Float64Array(16);
      return true;
    }
    const lo = Math.min(this.base, p), hi = Math.max(this.base + this.counts.length - 1, p);
    if (hi - lo + 1 > this.maxBins) return false;
    const spare = Math.min(this.maxBins - (hi - lo + 1), hi - lo + 1);
    const newLo = p < this.base ? Math.max(lo - spare, hi - this.maxBins + 1) : lo;
    const length = Math.min(this.maxBins, hi - newLo + 1 + (p > this.base ? spare : 0));
    const next = new Float64Array(length);
    next.set(this.counts, this.base - newLo);
    this.counts = next;
    this.base = newLo;
    return true;
  }

  /** Each value with its count, ascending (what a walk for quantiles or a histogram reads). */
  forEach(f: (value: number, count: number) => void): void {
    for (let k = 0; k < this.counts.length; k++) if (this.counts[k] > 0) f((this.base + k) * this.step, this.counts[k]);
  }

  distinct(): number {
    let n = 0;
    for (let k = 0; k < this.counts.length; k++) if (this.counts[k] > 0) n++;
    return n;
  }

  /** The distinct values counted (for a distinct-value set to take over from). */
  points(): Float64Array {
    const out = new Float64Array(this.distinct());
    let o = 0;
    this.forEach((v) => (out[o++] = v));
    return out;
  }
}
