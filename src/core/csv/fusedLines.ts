// The fast path's inner loop: one pass over a line that finds each field's end and parses it on the
// way (digits into a number, a date by its fixed layout, a string hashed for its dictionary), instead
// of finding the delimiters first and reading every field again. A line it is not sure of (blank,
// ragged, padded, quoted numbers, long mantissas, missing tokens other than the empty field) is
// declined, and fastPath.ts reads it the general way; so the values, kinds, integer flags and
// violations are those of the two-pass reader, which the parity tests hold.
//
// Measured (bench: flights_3m.csv, 97 MB, 3M rows of a date, two whole numbers and two codes, one
// thread, into arrays already touched, medians of 8 alternating rounds in one process): the
// two-pass reader 585-600 ms, this one 470-490 ms, of which about 90 ms is reading the file; with
// its fields read into locals once per line, 450-460 ms against 613-660 ms in a noisier run.
// Keeping the last date's day saves little here (490 → 474 ms) but skips the calendar checks.
import { fastDateMs, fastTimeSeconds, FloatAccumulator, POW10, StringAccumulator, type Accumulator } from './accumulators';
import { FNV_OFFSET, FNV_PRIME } from './byteDictionary';
import type { ValueKind } from './values';

const NL = 10, CR = 13, MINUS = 45, DOT = 46;
const NUMBER = 0, DATETIME = 1, STRING = 2;

export class FusedLines {
  private readonly ncol: number;
  private readonly kind: Int8Array;
  private readonly floats: (FloatAccumulator | undefined)[];
  private readonly strings: (StringAccumulator | undefined)[];
  /** Per column, the line's parsed value (numbers, dates) or field bounds and hash (strings). */
  private readonly value: Float64Array;
  private readonly dot: Uint8Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly hash: Int32Array;
  /** Per datetime column, the last date's ten bytes (zeros match no date) and its day in ms. */
  private readonly lastDate: Uint8Array;
  private readonly lastDay: Float64Array;
  /** Whether the line reader applies at all: every column numeric, datetime or string. */
  readonly usable: boolean;

  constructor(kinds: ValueKind[], acc: Accumulator[], private readonly delim: number, private readonly emptyIsMissing: boolean) {
    const ncol = (this.ncol = kinds.length);
    this.kind = Int8Array.from(kinds, (k) => (k === 'numeric' ? NUMBER : k === 'datetime' ? DATETIME : k === 'string' ? STRING : -1));
    this.floats = acc.map((a) => (a instanceof FloatAccumulator ? a : undefined));
    this.strings = acc.map((a) => (a instanceof StringAccumulator ? a : undefined));
    this.usable = ncol > 0 && delim !== NL && delim !== CR && kinds.every((k, c) => (k === 'string' ? this.strings[c] : k === 'numeric' || k === 'datetime' ? this.floats[c] : undefined) !== undefined);
    this.value = new Float64Array(ncol);
    this.dot = new Uint8Array(ncol);
    this.start = new Int32Array(ncol);
    this.end = new Int32Array(ncol);
    this.hash = new Int32Array(ncol);
    this.lastDate = new Uint8Array(ncol * 10);
    this.lastDay = new Float64Array(ncol).fill(NaN);
  }

  /**
   * Reads the non-blank line starting at p and stores its row; returns the index of the newline that
   * ends it (or `usable`), or -1 without storing anything when the line needs the general reader.
   */
  read(buf: Uint8Array, p: number, usable: number): number {
    const ncol = this.ncol, last = ncol - 1, delim = this.delim;
    // Fields read into locals: the loads are not repeated per field when a call is not inlined.
    const kind = this.kind, value = this.value, dot = this.dot, start = this.start, end = this.end, hash = this.hash;
    let i = p;
    for (let c = 0; c < ncol; c++) {
      const k = kind[c];
      if (k === NUMBER) {
        // fastNumber, with the field's end found by the same loop.
        let neg = false;
        if (i < usable && buf[i] === MINUS) { neg = true; i++; }
        let mant = 0, digits = 0, frac = 0, seenDot = false, any = false;
        for (; i < usable; i++) {
          const b = buf[i];
          if (b >= 48 && b <= 57) {
            any = true;
            if (mant === 0 && b === 48) { if (seenDot) frac++; continue; }
            if (++digits > 15) return -1;
            mant = mant * 10 + (b - 48);
            if (seenDot) frac++;
          } else if (b === DOT && !seenDot) {
            seenDot = true;
          } else {
            break;
          }
        }
        if (!any) {
          if (neg || seenDot || !this.emptyIsMissing) return -1;
          value[c] = NaN;
          dot[c] = 0;
        } else {
          if (frac > 22) return -1;
          const v = frac === 0 ? mant : mant / POW10[frac];
          value[c] = neg ? -v : v;
          dot[c] = seenDot ? 1 : 0;
        }
      } else if (k === DATETIME) {
        const s = i;
        for (; i < usable; i++) {
          const b = buf[i];
          if (b === delim || b === NL || b === CR) break;
        }
        // fastDatetime, with the day of the last line's date kept: files are often in time order,
        // and comparing ten bytes is cheaper than checking and converting the date again.
        const len = i - s;
        if (len !== 10 && len !== 16 && len !== 19) return -1;
        const at = c * 10, kept = this.lastDate;
        let day = this.lastDay[c];
        for (let j = 0; j < 10; j++) {
          if (kept[at + j] !== buf[s + j]) {
            day = fastDateMs(buf, s);
            if (day !== day) return -1;
            for (let q = 0; q < 10; q++) kept[at + q] = buf[s + q];
            this.lastDay[c] = day;
            break;
          }
        }
        if (day !== day) return -1; // ten NUL bytes matched the empty cache
        const secs = fastTimeSeconds(buf, s, len);
        if (secs < 0) return -1;
        value[c] = day + secs * 1000;
        dot[c] = 0;
      } else if (k === STRING) {
        const s = i;
        let h = FNV_OFFSET;
        for (; i < usable; i++) {
          const b = buf[i];
          if (b === delim || b === NL || b === CR) break;
          h = Math.imul(h ^ b, FNV_PRIME);
        }
        start[c] = s;
        end[c] = i;
        hash[c] = h;
      } else {
        return -1;
      }
      // The field must end where the two-pass reader would end it.
      if (c < last) {
        if (i >= usable || buf[i] !== delim) return -1;
        i++;
      } else if (i < usable) {
        const b = buf[i];
        if (b === CR) {
          if (i + 1 < usable && buf[i + 1] !== NL) return -1; // a CR inside the field
          i++; // i is now the newline, or usable
        } else if (b !== NL) {
          return -1; // more fields than columns, or a byte the parse did not expect
        }
      }
    }
    for (let c = 0; c < ncol; c++) {
      const f = this.floats[c];
      if (f !== undefined) {
        f.putParsed(value[c], dot[c] === 1);
      } else {
        const t = this.strings[c];
        if (t !== undefined) t.pushHashed(buf, start[c], end[c], hash[c]);
      }
    }
    return i;
  }
}
