// Counting and grouping without making strings: codes count in arrays, floats in a hash set.
import { Column, CODE_MISSING, BOOL_MISSING } from '../frame';

/**
 * Distinct non-NaN values of a float column. Whole numbers (after dividing by a common step such
 * as 1000 or 60000 for datetimes in ms) within a modest range go into a bitset; anything else into
 * an open-addressing hash set over the IEEE bits.
 */
export function distinctFloats(values: Float64Array, datetime = false): number {
  let n = 0, min = Infinity, max = -Infinity, step = datetime ? 60000 : 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
    while (step > 1 && v - Math.floor(v / step) * step !== 0) step = step === 60000 ? 1000 : 1;
  }
  if (n === 0) return 0;
  if (Number.isInteger(min) && Number.isInteger(max) && (max - min) / step < 1 << 27) {
    let integral = true;
    for (let i = 0; i < values.length && integral; i++) {
      const v = values[i];
      if (v === v && !Number.isInteger(v)) integral = false;
    }
    if (integral) return distinctInBitset(values, min, step, Math.floor((max - min) / step) + 1);
  }
  return distinctHashed(values, n);
}

function distinctInBitset(values: Float64Array, min: number, step: number, range: number): number {
  const bits = new Uint32Array((range + 31) >>> 5);
  let distinct = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    const k = (v - min) / step;
    const w = k >>> 5, b = 1 << (k & 31);
    if ((bits[w] & b) === 0) {
      bits[w] |= b;
      distinct++;
    }
  }
  return distinct;
}

function distinctHashed(values: Float64Array, n: number): number {
  let size = 16;
  while (size < n * 2) size *= 2;
  const keys = new Float64Array(size);
  const used = new Uint8Array(size);
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const mask = size - 1;
  let distinct = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    const key = v === 0 ? 0 : v; // -0 and 0 are one value
    let slot = v === 0 ? 0 : (Math.imul(words[2 * i] ^ Math.imul(words[2 * i + 1], 0x9e3779b1), 0x85ebca6b) >>> 0) & mask;
    while (used[slot] && keys[slot] !== key) slot = (slot + 1) & mask;
    if (!used[slot]) {
      used[slot] = 1;
      keys[slot] = key;
      distinct++;
    }
  }
  return distinct;
}

/** Rows per dictionary code (or per boolean value 0/1). */
export function codeCounts(col: Column): Int32Array {
  if (col.kind === 'boolean') {
    const counts = new Int32Array(2);
    for (let i = 0; i < col.length; i++) if (col.values[i] !== BOOL_MISSING) counts[col.values[i]]++;
    return counts;
  }
  if (col.kind !== 'categorical' && col.kind !== 'text') throw new Error(`codeCounts: ${col.name} is ${col.kind}`);
  const counts = new Int32Array(col.dictionary.length);
  for (let i = 0; i < col.length; i++) {
    const c = col.codes[i];
    if (c !== CODE_MISSING) counts[c]++;
  }
  return counts;
}

/** Codes sorted by count (most first), ties in order of first appearance. */
export function byCount(counts: Int32Array, limit = Infinity): number[] {
  const order = Array.from(counts.keys()).filter((c) => counts[c] > 0);
  order.sort((a, b) => counts[b] - counts[a] || a - b);
  return order.slice(0, limit);
}

/** pandas df.duplicated().sum(): rows equal to an earlier row in every column (NaN equals NaN). */
export function duplicateRows(columns: Column[], rows: number): number {
  if (rows < 2 || columns.length === 0) return 0;
  const words: (Uint32Array | Int32Array | Uint8Array)[] = columns.map((c) => {
    if (c.kind === 'numeric' || c.kind === 'datetime') return new Uint32Array(c.values.buffer, c.values.byteOffset, c.values.length * 2);
    return c.kind === 'boolean' ? c.values : c.codes;
  });
  const floats = columns.map((c) => c.kind === 'numeric' || c.kind === 'datetime');
  const hash = new Int32Array(rows);
  for (let col = 0; col < columns.length; col++) {
    const w = words[col];
    const c = columns[col];
    if (floats[col]) {
      const v = (c as { values: Float64Array }).values;
      for (let i = 0; i < rows; i++) {
        const h = v[i] !== v[i] ? 0x7ff80000 : v[i] === 0 ? 0 : Math.imul(w[2 * i] ^ 0x27d4eb2d, 0x165667b1) ^ w[2 * i + 1];
        hash[i] = Math.imul(hash[i] ^ h, 0x01000193) + col;
      }
    } else {
      for (let i = 0; i < rows; i++) hash[i] = Math.imul(hash[i] ^ (w[i] + 0x9e3779b9), 0x01000193) + col;
    }
  }
  // Open addressing with [hash, row + 1] pairs side by side (one cache line per probe); a zero
  // row slot is empty, so the freshly allocated table needs no fill pass. Load factor <= 0.75.
  let size = 16;
  while (size * 0.75 < rows) size *= 2;
  const table = new Int32Array(size * 2);
  const mask = size - 1;
  let dups = 0;
  const same = (a: number, b: number): boolean => {
    for (let col = 0; col < columns.length; col++) {
      const c = columns[col];
      if (c.kind === 'numeric' || c.kind === 'datetime') {
        const x = c.values[a], y = c.values[b];
        if (x !== y && !(x !== x && y !== y)) return false;
      } else if (c.kind === 'boolean') {
        if (c.values[a] !== c.values[b]) return false;
      } else if (c.codes[a] !== c.codes[b]) return false;
    }
    return true;
  };
  for (let i = 0; i < rows; i++) {
    const h = hash[i];
    let slot = (Math.imul(h, 0x9e3779b1) >>> 0) & mask;
    let dup = false;
    for (;;) {
      const row = table[2 * slot + 1];
      if (row === 0) break;
      if (table[2 * slot] === h && same(i, row - 1)) {
        dup = true;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (dup) dups++;
    else {
      table[2 * slot] = h;
      table[2 * slot + 1] = i + 1;
    }
  }
  return dups;
}
