// Growable typed-array columns that both parsing paths fill, one field at a time.
// push* returns false when a value does not fit the column's guessed kind (a "violation"): the
// loader then widens that column to strings and reads the file again.
import { BOOL_MISSING, CODE_MISSING } from '../frame';
import { ByteDictionary, fnv1a } from './byteDictionary';
import { isValidDate, daysFromCivil, parseBoolean, parseDatetime, parseNumber, trimField, ValueKind } from './values';

/** What one parser (a thread, or one byte range) produced for one column; transferable between threads. */
export interface PartialColumn {
  kind: ValueKind;
  length: number;
  /** numeric/datetime: Float64Array; boolean: Uint8Array. */
  values?: Float64Array | Uint8Array;
  /** string: codes into dictionary. */
  codes?: Int32Array;
  dictionary?: string[];
  integer: boolean;
  /** The rows still sit in the SharedArrayBuffer window they were given (they did not outgrow it). */
  inShared?: boolean;
}

export const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Missing-value tokens as bytes, for comparing without decoding. */
export class MissingTokens {
  readonly set: Set<string>;
  private readonly bytes: Uint8Array[];
  readonly emptyIsMissing: boolean;
  constructor(tokens: Iterable<string>) {
    this.set = new Set([...tokens].map((t) => t.trim()));
    this.bytes = [...this.set].filter((t) => t.length > 0).map((t) => Buffer.from(t, 'utf8'));
    this.emptyIsMissing = this.set.has('');
  }
  isMissing(trimmed: string): boolean {
    return this.set.has(trimmed);
  }
  /** buf[s, e) must already be trimmed. */
  isMissingBytes(buf: Uint8Array, s: number, e: number): boolean {
    const len = e - s;
    if (len === 0) return this.emptyIsMissing;
    outer: for (const t of this.bytes) {
      if (t.length !== len) continue;
      for (let i = 0; i < len; i++) if (t[i] !== buf[s + i]) continue outer;
      return true;
    }
    return false;
  }
}

function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

function decode(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8');
}

/**
 * `into` with `block` written from `length` on; when it would not hold it, a larger array (twice
 * as long, or long enough) of its first `length` values first, as put() grows one value at a time.
 */
function appended<A extends Float64Array | Int32Array>(into: A, length: number, block: A, make: (size: number) => A): A {
  let out = into;
  if (length + block.length > into.length) {
    out = make(Math.max(into.length * 2, length + block.length));
    out.set(into.subarray(0, length));
  }
  out.set(block, length);
  return out;
}

export abstract class Accumulator {
  length = 0;
  constructor(protected readonly missing: MissingTokens) {}
  abstract pushString(raw: string): boolean;
  abstract pushMissing(): void;
  abstract pushBytes(buf: Uint8Array, s: number, e: number): boolean;
  abstract result(): PartialColumn;
}

export class FloatAccumulator extends Accumulator {
  values: Float64Array;
  integer = true;
  constructor(missing: MissingTokens, private readonly kind: 'numeric' | 'datetime', into: Float64Array) {
    super(missing);
    this.values = into;
  }
  protected put(v: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }
  protected parse(t: string): number | undefined {
    return this.kind === 'numeric' ? parseNumber(t) : parseDatetime(t);
  }
  pushMissing(): void {
    this.put(NaN);
  }
  pushString(raw: string): boolean {
    const t = trimField(raw);
    if (this.missing.isMissing(t)) {
      this.put(NaN);
      return true;
    }
    const v = this.parse(t);
    if (v === undefined) return false;
    // "Integer" as pandas reads it: whole numbers written without a decimal point or exponent.
    if (this.integer && (!Number.isInteger(v) || /[.eEnN]/.test(t))) this.integer = false;
    this.put(v);
    return true;
  }
  pushBytes(buf: Uint8Array, s: number, e: number): boolean {
    while (s < e && buf[s] <= 32) s++;
    while (e > s && buf[e - 1] <= 32) e--;
    const v = this.kind === 'numeric' ? fastNumber(buf, s, e) : fastDatetime(buf, s, e);
    if (v === v) { // not NaN: the fast reader was sure
      if (this.integer && (fastNumberHadDot || !Number.isInteger(v))) this.integer = false;
      this.put(v);
      return true;
    }
    if (this.missing.isMissingBytes(buf, s, e)) {
      this.put(NaN);
      return true;
    }
    return this.pushString(decode(buf, s, e));
  }
  /**
   * A value the fast path's fused line reader parsed as fastNumber/fastDatetime would (NaN for a
   * missing field), and whether it was written with a decimal point.
   */
  putParsed(v: number, hadDot: boolean): void {
    if (hadDot && this.integer) this.integer = false;
    this.put(v);
  }
  /** putParsed for a batch of values, `hadDot` if any of them was written with a decimal point. */
  putParsedBlock(v: Float64Array, hadDot: boolean): void {
    if (hadDot && this.integer) this.integer = false;
    this.values = appended(this.values, this.length, v, (size) => new Float64Array(size));
    this.length += v.length;
  }
  result(): PartialColumn {
    return { kind: this.kind, length: this.length, values: this.values.subarray(0, this.length), integer: this.kind === 'numeric' && this.integer, inShared: isShared(this.values) };
  }
}

class BooleanAccumulator extends Accumulator {
  values: Uint8Array;
  constructor(missing: MissingTokens, into: Uint8Array) {
    super(missing);
    this.values = into;
  }
  pushMissing(): void {
    this.put(BOOL_MISSING);
  }
  pushString(raw: string): boolean {
    const t = trimField(raw);
    const v = this.missing.isMissing(t) ? BOOL_MISSING : parseBoolean(t);
    if (v === undefined) return false;
    this.put(v);
    return true;
  }
  private put(v: number): void {
    if (this.length === this.values.length) {
      const bigger = new Uint8Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }
  pushBytes(buf: Uint8Array, s: number, e: number): boolean {
    return this.pushString(decode(buf, s, e));
  }
  result(): PartialColumn {
    return { kind: 'boolean', length: this.length, values: this.values.subarray(0, this.length), integer: false, inShared: isShared(this.values) };
  }
}

export class StringAccumulator extends Accumulator {
  codes: Int32Array;
  private readonly map = new Map<string, number>();
  private readonly bytes = new ByteDictionary();
  private dictionary: string[] = [];
  private usedBytes = false;
  private usedStrings = false;
  constructor(missing: MissingTokens, into: Int32Array) {
    super(missing);
    this.codes = into;
  }
  private put(code: number): void {
    if (this.length === this.codes.length) {
      const bigger = new Int32Array(this.codes.length * 2);
      bigger.set(this.codes);
      this.codes = bigger;
    }
    this.codes[this.length++] = code;
  }
  pushMissing(): void {
    this.put(CODE_MISSING);
  }
  pushString(raw: string): boolean {
    this.usedStrings = true;
    if (this.missing.isMissing(trimField(raw))) {
      this.put(CODE_MISSING);
      return true;
    }
    let code = this.map.get(raw);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(raw);
      this.map.set(raw, code);
    }
    this.put(code);
    return true;
  }
  pushBytes(buf: Uint8Array, s: number, e: number): boolean {
    this.pushHashed(buf, s, e, fnv1a(buf, s, e));
    return true;
  }
  /** pushBytes for a field whose FNV-1a hash the caller computed while scanning it. */
  pushHashed(buf: Uint8Array, s: number, e: number, h: number): number {
    // One parser uses one of the two ways for a whole range, so the codes never mix.
    this.usedBytes = true;
    // Known values first: the dictionary holds no missing tokens, so a hit needs no further check.
    const known = this.bytes.findHashed(buf, s, e, h);
    if (known >= 0) {
      this.put(known);
      return known;
    }
    let ts = s, te = e;
    while (ts < te && buf[ts] <= 32) ts++;
    while (te > ts && buf[te - 1] <= 32) te--;
    const code = this.missing.isMissingBytes(buf, ts, te) ? CODE_MISSING : this.bytes.add(buf, s, e);
    this.put(code);
    return code;
  }
  /**
   * A batch of fields buf[starts[i], ends[i]) hashed to hashes[i], whose codes are known but for the
   * lines `misses` (ascending): those are pushed as pushHashed does, and their codes written into
   * `codes`. (The fused line reader's kernel caches the codes of the keys it has been told.)
   */
  pushCodedBlock(buf: Uint8Array, starts: Int32Array, ends: Int32Array, hashes: Int32Array, codes: Int32Array, misses: Int32Array): void {
    this.usedBytes = true;
    let from = 0;
    for (let m = 0; m < misses.length; m++) {
      const i = misses[m];
      this.putMany(codes.subarray(from, i));
      codes[i] = this.pushHashed(buf, starts[i], ends[i], hashes[i]);
      from = i + 1;
    }
    this.putMany(codes.subarray(from));
  }
  private putMany(block: Int32Array): void {
    if (block.length === 0) return;
    this.codes = appended(this.codes, this.length, block, (size) => new Int32Array(size));
    this.length += block.length;
  }
  result(): PartialColumn {
    if (this.usedBytes && this.usedStrings) throw new Error('internal: string column filled both from bytes and strings');
    const dictionary = this.usedBytes ? this.bytes.keys() : this.dictionary;
    return { kind: 'string', length: this.length, codes: this.codes.subarray(0, this.length), dictionary, integer: false, inShared: isShared(this.codes) };
  }
}

/**
 * An accumulator that writes into `into` (for example a window of a SharedArrayBuffer that the
 * final column will use, so that no copy is needed afterwards) and moves to a private, larger
 * array only if the rows outgrow it.
 */
export function makeAccumulator(kind: ValueKind, missing: MissingTokens, capacity: number, into?: ArrayBufferView): Accumulator {
  const n = Math.max(16, capacity);
  switch (kind) {
    case 'numeric':
    case 'datetime':
      return new FloatAccumulator(missing, kind, (into as Float64Array) ?? new Float64Array(n));
    case 'boolean':
      return new BooleanAccumulator(missing, (into as Uint8Array) ?? new Uint8Array(n));
    default:
      return new StringAccumulator(missing, (into as Int32Array) ?? new Int32Array(n));
  }
}

export type ColumnStorage = Float64Array | Uint8Array | Int32Array;
export interface ColumnStorageConstructor {
  readonly BYTES_PER_ELEMENT: number;
  new (length: number): ColumnStorage;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): ColumnStorage;
}

/** The typed array a column of this kind is stored in. */
export function storageFor(kind: ValueKind): ColumnStorageConstructor {
  return (kind === 'numeric' || kind === 'datetime' ? Float64Array : kind === 'boolean' ? Uint8Array : Int32Array) as ColumnStorageConstructor;
}

/**
 * A decimal number read from bytes: [-]digits[.digits], at most 15 significant digits, so that
 * mantissa / 10^k is exact and correctly rounded (equal to Number()). Anything else: NaN, and the
 * caller falls back to the string path.
 */
/** Whether the last number fastNumber read had a decimal point (pandas then reads floats). */
let fastNumberHadDot = false;

export function fastNumber(buf: Uint8Array, s: number, e: number): number {
  fastNumberHadDot = false;
  if (s >= e) return NaN;
  let i = s;
  let neg = false;
  if (buf[i] === 45) { neg = true; i++; }
  let mant = 0, digits = 0, frac = 0, seenDot = false, any = false;
  for (; i < e; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      any = true;
      if (mant === 0 && c === 48) { if (seenDot) frac++; continue; } // leading zeros carry no digits
      if (++digits > 15) return NaN;
      mant = mant * 10 + (c - 48);
      if (seenDot) frac++;
    } else if (c === 46 && !seenDot) {
      seenDot = true;
    } else {
      return NaN;
    }
  }
  if (!any || frac > 22) return NaN;
  fastNumberHadDot = seenDot;
  const v = frac === 0 ? mant : mant / POW10[frac];
  return neg ? -v : v;
}

function d2(buf: Uint8Array, i: number): number {
  const a = buf[i] - 48, b = buf[i + 1] - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** YYYY-MM-DD, optionally followed by [ T]HH:MM[:SS]; anything else NaN (string path decides). */
export function fastDatetime(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len !== 10 && len !== 16 && len !== 19) return NaN;
  const day = fastDateMs(buf, s);
  if (day !== day) return NaN;
  const secs = fastTimeSeconds(buf, s, len);
  return secs < 0 ? NaN : day + secs * 1000;
}

/** The YYYY-MM-DD at buf[s, s + 10) as ms since the epoch, or NaN. */
export function fastDateMs(buf: Uint8Array, s: number): number {
  const y1 = d2(buf, s), y2 = d2(buf, s + 2), mo = d2(buf, s + 5), d = d2(buf, s + 8);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || buf[s + 4] !== 45 || buf[s + 7] !== 45) return NaN;
  const y = y1 * 100 + y2;
  if (!isValidDate(y, mo, d)) return NaN;
  return daysFromCivil(y, mo, d) * 86400000;
}

/**
 * The seconds of the [ T]HH:MM[:SS] that follows a date at buf[s, s + 10), for a field of len 10
 * (none: 0), 16 or 19 bytes; -1 when it is not a valid time.
 */
export function fastTimeSeconds(buf: Uint8Array, s: number, len: number): number {
  if (len === 10) return 0;
  const sep = buf[s + 10];
  if (sep !== 32 && sep !== 84) return -1;
  const hh = d2(buf, s + 11), mi = d2(buf, s + 14);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || buf[s + 13] !== 58) return -1;
  let secs = hh * 3600 + mi * 60;
  if (len === 19) {
    const ss = d2(buf, s + 17);
    if (ss < 0 || ss > 59 || buf[s + 16] !== 58) return -1;
    secs += ss;
  }
  return secs;
}
