// Counting and grouping without making strings: codes count in arrays, floats in a hash set.
import { Column, CODE_MISSING, BOOL_MISSING } from '../frame';
import { quantilesOfCounts } from './stats';

/**
 * Distinct non-NaN values of a float column. Whole numbers (after dividing by a common step such
 * as 1000 or 60000 for datetimes in ms) within a modest range go into a bitset; anything else into
 * an open-addressing hash set over the IEEE bits.
 */
export function distinctFloats(values: Float64Array, datetime = false, known?: KnownWhole): number {
  const grid = gridOf(values, datetime, known);
  if (grid === 'empty') return 0;
  if (grid) return distinctInBitset(values, grid.min, grid.step, grid.range);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  return distinctHashed(values, n);
}

/** Whole numbers (of `step`s) in [min, min + range * step): what a bitset or a count per value can index. */
interface Grid {
  min: number;
  step: number;
  range: number;
}

/**
 * What a caller may know of a column already: its count, min and max (moments), and that every
 * value is whole (a numeric column's `integer`, from its parse). gridOf then needs no pass, 25 ms a
 * column of flights_3m: the profile's second half 368 → 355 ms (medians of 5 alternating runs;
 * the duplicate rows on the other thread take about as long, so the gain stays small).
 */
export interface KnownWhole {
  count: number;
  min: number;
  max: number;
}

function gridOf(values: Float64Array, datetime: boolean, known?: KnownWhole): Grid | 'empty' | undefined {
  if (known && !datetime) {
    if (known.count === 0) return 'empty';
    const { min, max } = known;
    return Number.isInteger(min) && Number.isInteger(max) && max - min < 1 << 27 ? { min, step: 1, range: max - min + 1 } : undefined;
  }
  // One pass: whether every value is whole is tracked beside min, max and the step (a second pass
  // for it cost 15-20 ms a column of flights_3m).
  let n = 0, min = Infinity, max = -Infinity, step = datetime ? 60000 : 1, integral = true;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (Math.floor(v) !== v) integral = false; // infinities pass here, and fail on min or max below
    while (step > 1 && v - Math.floor(v / step) * step !== 0) step = step === 60000 ? 1000 : 1;
  }
  if (n === 0) return 'empty';
  if (integral && Number.isInteger(min) && Number.isInteger(max) && (max - min) / step < 1 << 27) {
    return { min, step, range: Math.floor((max - min) / step) + 1 };
  }
  return undefined;
}

/** A grid this wide or less is counted rather than sorted: 16 MB of counts at most. */
const MAX_COUNTED_RANGE = 1 << 22;

/**
 * Distinct count and the quantiles of a column whose values sit on a modest grid (whole numbers,
 * minutes of datetimes): one pass counting each value, then a walk over the counts for the order
 * statistics, instead of copying and selecting. The same order statistics, interpolated by the same
 * lerp, as quantiles() gives: equal to numpy bit for bit. Undefined for other columns.
 * Measured on flights_3m: delay 227 ms → 25 ms, distance 186 ms → 20 ms, date 149 ms → 30 ms
 * (distinct and quartiles together).
 */
export function countedQuantiles(values: Float64Array, datetime: boolean, qs: number[], known?: KnownWhole): { distinct: number; quantiles: number[]; each: (f: (v: number, n: number) => void) => void } | undefined {
  // A datetime's step (whole minutes, seconds or milliseconds) is guessed from its min and max, and
  // checked while counting, instead of found by a pass of its own: flights_3m's date 28 ms less
  // (one pass of 3M values). A value off the guessed grid sends it the long way.
  const guessed = datetime && known ? guessedGrid(known) : undefined;
  const grid = guessed ?? gridOf(values, datetime, known);
  if (!grid || grid === 'empty' || grid.range > MAX_COUNTED_RANGE || grid.range > 4 * values.length) {
    return guessed ? countedQuantiles(values, datetime, qs) : undefined;
  }
  const { min, step, range } = grid;
  const counts = new Int32Array(range);
  const n = guessed ? countOnGrid(values, counts, min, step) : countAll(values, counts, min, step);
  if (n < 0) return countedQuantiles(values, datetime, qs);
  let distinct = 0;
  for (let k = 0; k < range; k++) if (counts[k] > 0) distinct++;
  // Each value and its count, in order; min + k * step is the value itself (whole numbers).
  const each = (f: (v: number, n: number) => void) => {
    for (let k = 0; k < range; k++) if (counts[k] > 0) f(min + k * step, counts[k]);
  };
  return { distinct, quantiles: quantilesOfCounts(each, n, qs), each };
}

/** The coarsest step (a minute, a second, a millisecond) that the min and max of datetimes sit on. */
function guessedGrid(known: KnownWhole): Grid | 'empty' | undefined {
  if (known.count === 0) return 'empty';
  const { min, max } = known;
  if (!Number.isInteger(min) || !Number.isInteger(max)) return undefined;
  const step = min % 60000 === 0 && max % 60000 === 0 ? 60000 : min % 1000 === 0 && max % 1000 === 0 ? 1000 : 1;
  return (max - min) / step < 1 << 27 ? { min, step, range: (max - min) / step + 1 } : undefined;
}

/** Counts each non-NaN value at (v - min) / step; the number counted. */
function countAll(values: Float64Array, counts: Int32Array, min: number, step: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    counts[(v - min) / step]++;
    n++;
  }
  return n;
}

/** countAll for a guessed grid: -1 as soon as a value is not on it. */
function countOnGrid(values: Float64Array, counts: Int32Array, min: number, step: number): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    const k = (v - min) / step;
    if (k !== Math.floor(k)) return -1;
    counts[k]++;
    n++;
  }
  return n;
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
export function duplicateRows(columns: Column[], rows: number, zeros?: Int32Array): number {
  if (rows < 2 || columns.length === 0) return 0;
  const words: (Uint32Array | Int32Array | Uint8Array)[] = columns.map((c) => {
    if (c.kind === 'numeric' || c.kind === 'datetime') return new Uint32Array(c.values.buffer, c.values.byteOffset, c.values.length * 2);
    return c.kind === 'boolean' ? c.values : c.codes;
  });
  const floats = columns.map((c) => c.kind === 'numeric' || c.kind === 'datetime');
  // [hash, row] pairs side by side, so that the probes below read them in sequence. Fresh memory
  // costs here (a page fault per 4 KB, about 20 µs each): one array of pairs, hashed into and then
  // sorted in place, touches 24 MB for flights_3m, where a hash array and a sorted copy of it with
  // the row numbers touched 36 MB; duplicateRows 290 → 245 ms (medians of 4 alternating runs).
  // `zeros`, when long enough: an array of zeros whose pages a caller touched beforehand, while its
  // thread had nothing else to do (see profileWorker.ts).
  const pairs = zeros && zeros.length >= 2 * rows ? zeros.subarray(0, 2 * rows) : new Int32Array(2 * rows);
  for (let col = 0; col < columns.length; col++) {
    const w = words[col];
    const c = columns[col];
    if (floats[col]) {
      const v = (c as { values: Float64Array }).values;
      for (let i = 0; i < rows; i++) {
        const h = v[i] !== v[i] ? 0x7ff80000 : v[i] === 0 ? 0 : Math.imul(w[2 * i] ^ 0x27d4eb2d, 0x165667b1) ^ w[2 * i + 1];
        pairs[2 * i] = Math.imul(pairs[2 * i] ^ h, 0x01000193) + col;
      }
    } else {
      for (let i = 0; i < rows; i++) pairs[2 * i] = Math.imul(pairs[2 * i] ^ (w[i] + 0x9e3779b9), 0x01000193) + col;
    }
  }
  // Rows are grouped by their hash's top bits first, then each group is checked against a small
  // open-addressing table of [hash, row + 1] pairs that stays in cache. One table over all 3M rows
  // of flights missed the cache on almost every probe: 391 ms, grouped 150 ms (measured alone, one
  // thread). The grouping is an American flag sort, in place: the order of rows within a group
  // changes, which the count does not depend on (of k equal rows, k - 1 repeat an earlier one).
  const BITS = rows > 1 << 16 ? 8 : 0;
  const groups = 1 << BITS;
  const starts = new Int32Array(groups + 1);
  const shift = 32 - BITS;
  for (let i = 0; i < rows; i++) {
    pairs[2 * i + 1] = i;
    if (BITS) starts[(pairs[2 * i] >>> shift) + 1]++;
  }
  if (!BITS) starts[1] = rows;
  for (let g = 0; g < groups; g++) starts[g + 1] += starts[g];
  if (BITS) {
    // Each pair moves to the next free place of its group, displacing the pair there, until one
    // for the group being filled turns up.
    const next = starts.slice(0, groups);
    for (let g = 0; g < groups; g++) {
      for (let at = next[g]; at < starts[g + 1]; at = next[g]) {
        let h = pairs[2 * at], row = pairs[2 * at + 1];
        for (let to = h >>> shift; to !== g; to = h >>> shift) {
          const k = next[to]++;
          const h2 = pairs[2 * k], row2 = pairs[2 * k + 1];
          pairs[2 * k] = h;
          pairs[2 * k + 1] = row;
          h = h2;
          row = row2;
        }
        pairs[2 * at] = h;
        pairs[2 * at + 1] = row;
        next[g]++;
      }
    }
  }
  let largest = 0;
  for (let g = 0; g < groups; g++) largest = Math.max(largest, starts[g + 1] - starts[g]);
  let size = 16;
  while (size * 0.75 < largest) size *= 2;
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
  for (let g = 0; g < groups; g++) {
    const from = starts[g], to = starts[g + 1];
    if (to - from < 2) continue;
    // A group's rows fill at most 75% of the table; it is cleared before the next group.
    for (let j = from; j < to; j++) {
      const h = pairs[2 * j], i = pairs[2 * j + 1];
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
    table.fill(0);
  }
  return dups;
}
