// Dictionary encoding straight from bytes: the fast path looks a field up without first making a
// JavaScript string of it (a string per field is most of papaparse's cost on large files).
// Open addressing with FNV-1a hashes; keys are kept as bytes in a pool for comparison.

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
  readonly keys: string[] = [];
  private table: Int32Array = new Int32Array(1024).fill(-1);
  private hashes: Int32Array = new Int32Array(256);
  private starts: Int32Array = new Int32Array(256);
  private lengths: Int32Array = new Int32Array(256);
  private pool = Buffer.allocUnsafe(4096);
  private poolUsed = 0;

  get size(): number {
    return this.keys.length;
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
    const code = this.keys.length;
    this.store(code, this.lastHash, buf, s, e);
    this.table[this.lastSlot] = code;
    if (this.keys.length * 2 > this.table.length) this.rehash();
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
    this.pool.set(buf.subarray(s, e), this.poolUsed);
    this.hashes[code] = h;
    this.starts[code] = this.poolUsed;
    this.lengths[code] = len;
    this.poolUsed += len;
    this.keys.push(this.pool.toString('utf8', this.poolUsed - len, this.poolUsed));
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let c = 0; c < this.keys.length; c++) {
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
