// Dictionary encoding straight from bytes: the fast path looks a field up without first making a
// JavaScript string of it (a string per field is most of papaparse's cost on large files).
// Open addressing with FNV-1a hashes; keys are kept as bytes in a pool for comparison, and made
// strings only when asked for (`keys()`, once the column is read): a string and a Buffer view per
// new key cost mpls_stops' 52k distinct ids ~60 ms of a ~330 ms read, most of it allocation and GC.

/** FNV-1a, 32 bits: the offset basis and the prime. */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** The FNV-1a hash of buf[s, e), as the dictionary keys fields by. */
export function fnv1a(buf: Uint8Array, s: number, e: number): number {
  let h = FNV_OFFSET;
  for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
  return h;
}

export class ByteDictionary {
  private count = 0;
  private readonly decoded: string[] = [];
  private table: Int32Array = new Int32Array(1024).fill(-1);
  private hashes: Int32Array = new Int32Array(256);
  private starts: Int32Array = new Int32Array(256);
  private lengths: Int32Array = new Int32Array(256);
  private pool = Buffer.allocUnsafe(4096);
  private poolUsed = 0;

  get size(): number {
    return this.count;
  }

  /**
   * The keys as strings, in code order (the same array each call, extended by keys added since).
   * An all-ASCII pool is decoded once and cut up; otherwise each key is decoded as UTF-8.
   */
  keys(): string[] {
    const out = this.decoded, pool = this.pool;
    if (out.length === this.count) return out;
    const from = this.starts[out.length], to = this.poolUsed;
    let ascii = true;
    for (let i = from; i < to; i++) if (pool[i] > 127) { ascii = false; break; }
    const text = ascii ? pool.toString('latin1', from, to) : '';
    for (let c = out.length; c < this.count; c++) {
      const start = this.starts[c], end = start + this.lengths[c];
      out.push(ascii ? text.substring(start - from, end - from) : pool.toString('utf8', start, end));
    }
    return out;
  }

  private lastHash = 0;
  private lastSlot = 0;

  /** The code of buf[s, e), or -1 when it is not in the dictionary (then `add` may follow). */
  find(buf: Uint8Array, s: number, e: number): number {
    return this.findHashed(buf, s, e, fnv1a(buf, s, e));
  }

  /**
   * `find` for a caller that hashed buf[s, e) while scanning it (the fast path's fused line reader),
   * with `h = Math.imul(h ^ byte, FNV_PRIME)` from FNV_OFFSET over the bytes.
   */
  findHashed(buf: Uint8Array, s: number, e: number, h: number): number {
    const mask = this.table.length - 1;
    let slot = h & mask;
    const len = e - s;
    for (;;) {
      const c = this.table[slot];
      if (c < 0) break;
      if (this.hashes[c] === h && this.lengths[c] === len && this.sameBytes(c, buf, s, len)) return c;
      slot = (slot + 1) & mask;
    }
    this.lastHash = h;
    this.lastSlot = slot;
    return -1;
  }

  /** Adds buf[s, e), which the last `find` did not find; returns its code. */
  add(buf: Uint8Array, s: number, e: number): number {
    const code = this.count++;
    this.store(code, this.lastHash, buf, s, e);
    this.table[this.lastSlot] = code;
    if (this.count * 2 > this.table.length) this.rehash();
    return code;
  }

  /** The code of buf[s, e), adding it when new. */
  code(buf: Uint8Array, s: number, e: number): number {
    const c = this.find(buf, s, e);
    return c >= 0 ? c : this.add(buf, s, e);
  }

  private sameBytes(c: number, buf: Uint8Array, s: number, len: number): boolean {
    const p = this.pool;
    const start = this.starts[c];
    for (let i = 0; i < len; i++) if (p[start + i] !== buf[s + i]) return false;
    return true;
  }

  private store(code: number, h: number, buf: Uint8Array, s: number, e: number): void {
    if (code >= this.hashes.length) {
      this.hashes = grow(this.hashes, code * 2);
      this.starts = grow(this.starts, code * 2);
      this.lengths = grow(this.lengths, code * 2);
    }
    const len = e - s;
    if (this.poolUsed + len > this.pool.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.pool.length * 2, this.poolUsed + len));
      this.pool.copy(bigger, 0, 0, this.poolUsed);
      this.pool = bigger;
    }
    // Byte by byte: a subarray to set from is an allocation per key.
    const pool = this.pool, at = this.poolUsed;
    for (let i = 0; i < len; i++) pool[at + i] = buf[s + i];
    this.hashes[code] = h;
    this.starts[code] = at;
    this.lengths[code] = len;
    this.poolUsed += len;
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let c = 0; c < this.count; c++) {
      let slot = this.hashes[c] & mask;
      while (table[slot] >= 0) slot = (slot + 1) & mask;
      table[slot] = c;
    }
    this.table = table;
  }
}

function grow(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
