// The fast path's fused line reader as a WebAssembly kernel (AssemblyScript, compiled at build time
// by scripts/build.mjs's assemblyScript plugin): one pass over each line that finds every field's
// end and parses it on the way (digits into a number, a date by its fixed layout, a string hashed
// for its dictionary), for a batch of lines at a time. ../fusedLines.ts owns the memory and hands
// the parsed values to the columns' accumulators; every array here is a byte offset into it.
//
// It reads exactly what the JavaScript reader it replaced read, line for line: the same lines are
// declined (left to the general reader), and the numbers are the same doubles (a mantissa of at
// most 15 digits, exact as an integer, divided by the same exact power of ten). Why: that reader was the
// bulk of a profile's time (flights_3m.csv: ~1 s of CPU over two threads), and the forest's byte
// loops ran twice as fast as WebAssembly as they had as JavaScript (see ../fusedLines.ts for this one's figures).

const NL = 10, CR = 13, MINUS = 45, DOT = 46, COLON = 58, SPACE = 32, T = 84;
const NUMBER = 0, DATETIME = 1, STRING = 2;
const FNV_OFFSET: i32 = 0x811c9dc5, FNV_PRIME: i32 = 0x01000193;

// Set by setup (see there).
let ncol = 0, delim = 0, emptyIsMissing = 0, cap = 0;
/** Whether a datetime's end may be looked for at its layouts' lengths: the delimiter is none of their bytes. */
let layoutEnds = false;
let kinds: usize = 0, pow10: usize = 0, lastDate: usize = 0, lastDay: usize = 0, dots: usize = 0;
let values: usize = 0, starts: usize = 0, ends: usize = 0, hashes: usize = 0;
let cache: usize = 0, codes: usize = 0, misses: usize = 0, missCounts: usize = 0;
/** The buffer of the last batch (remember reads the keys' bytes from it). */
let bufAt: usize = 0;
/** Where the last readLines stopped: the start of the first line it did not read. */
let next = 0;

/**
 * kinds: u8 per column (0 number, 1 datetime, 2 string); pow10: 23 f64s, 10^0 .. 10^22;
 * lastDate: 10 bytes per column, zeros (the last date seen in a datetime column); lastDay: f64 per
 * column, NaN (its day in ms); dots: i32 per column, set to 1 by a number written with a decimal
 * point; values: f64 [column][cap]; starts, ends, hashes: i32 [column][cap] (a string field's
 * bytes and its FNV-1a hash). A batch holds at most `cap` lines.
 */
export function setup(n: i32, d: i32, empty: i32, c: i32, k: usize, p: usize, ld: usize, ly: usize, dt: usize, v: usize, s: usize, e: usize, h: usize): void {
  ncol = n;
  delim = d;
  emptyIsMissing = empty;
  cap = c;
  kinds = k;
  pow10 = p;
  lastDate = ld;
  lastDay = ly;
  dots = dt;
  values = v;
  starts = s;
  ends = e;
  hashes = h;
  layoutEnds = d != MINUS && d != COLON && d != SPACE && d != T && (d < 48 || d > 57);
}

/**
 * The string columns' codes. cache: i32 per column, where its CACHE entries of 32 bytes (hash,
 * length, code, -, the key's bytes as a u64; zeros at first) are, or 0 for none; codes: i32 [column][cap], a field's code when the cache knew
 * its bytes, else -1; misses: i32 [column][cap], the batch lines whose code the cache did not know
 * (missCounts: i32 per column, how many). The caller finds those in its dictionary and tells
 * `remember` their codes.
 */
export function setupStrings(ch: usize, cd: usize, ms: usize, mc: usize): void {
  cache = ch;
  codes = cd;
  misses = ms;
  missCounts = mc;
}

/**
 * Entries per string column, direct-mapped by hash; a key of up to 8 bytes (a code, an airport, a
 * state) is cached. flights_3m (about 300 airports a column): 1024 entries missed 10% of lookups
 * (keys sharing a slot evict each other), 4096 under 1%; half the file on one thread, columns
 * already touched, medians of 9: 178 ms without the cache, 141 with it.
 */
const CACHE = 4096;

/** Column c's entry for hash h, or 0 if the column has no cache. */
@inline function entryOf(c: i32, h: i32): usize {
  const entries = <usize>load<i32>(cache + (<usize>c << 2));
  return entries == 0 ? 0 : entries + (<usize>(h & (CACHE - 1)) << 5);
}

/** The bytes buf[s, s + len) for 1 <= len <= 8 as a u64 (the buffer has 8 bytes to spare after it). */
@inline function keyOf(buf: usize, s: i32, len: i32): u64 {
  return load<u64>(buf + <usize>s) & (len == 8 ? <u64>-1 : (<u64>1 << (<u64>len << 3)) - 1);
}

/** Column c's misses of the last batch, their codes now in `codes`: cached where the code is a key's (>= 0) of 1 to 8 bytes. */
export function remember(c: i32): void {
  const n = load<i32>(missCounts + (<usize>c << 2));
  for (let m = 0; m < n; m++) {
    const line = load<i32>(misses + (<usize>(c * cap + m) << 2));
    const slot = <usize>(c * cap + line) << 2;
    const code = load<i32>(codes + slot), s = load<i32>(starts + slot), len = load<i32>(ends + slot) - s;
    if (code < 0 || len < 1 || len > 8) continue;
    const h = load<i32>(hashes + slot), e = entryOf(c, h);
    if (e == 0) return;
    store<i32>(e, h);
    store<i32>(e, len, 4);
    store<i32>(e, code, 8);
    store<u64>(e, keyOf(bufAt, s, len), 16);
  }
}

export function stop(): i32 {
  return next;
}

/**
 * Reads the lines of buf[p, usable) into the batch until one is blank or declined (then `stop`
 * is its start), the batch is full or the bytes end; returns how many it read.
 */
export function readLines(buf: usize, p: i32, usable: i32): i32 {
  bufAt = buf;
  for (let c = 0; c < ncol; c++) store<i32>(missCounts + (<usize>c << 2), 0);
  let n = 0;
  while (p < usable && n < cap) {
    const b = <i32>load<u8>(buf + <usize>p);
    if (b == NL || b == CR) break;
    const nl = readLine(buf, p, usable, n);
    if (nl < 0) {
      // Declined after its string fields were looked up: their misses are not the batch's.
      for (let c = 0; c < ncol; c++) {
        const mc = missCounts + (<usize>c << 2), m = load<i32>(mc);
        if (m > 0 && load<i32>(misses + (<usize>(c * cap + m - 1) << 2)) == n) store<i32>(mc, m - 1);
      }
      break;
    }
    n++;
    p = nl + 1;
  }
  next = p;
  return n;
}

@inline function at(buf: usize, i: i32): i32 {
  return <i32>load<u8>(buf + <usize>i);
}

/** Whether a field ends at q: the bytes end there, or a delimiter or line end is there. */
@inline function endsAt(buf: usize, q: i32, usable: i32): bool {
  if (q >= usable) return q == usable;
  const b = at(buf, q);
  return b == delim || b == NL || b == CR;
}

/** The non-blank line at p as batch line `line`; the index of the newline that ends it (or usable), or -1. */
function readLine(buf: usize, p: i32, usable: i32, line: i32): i32 {
  const last = ncol - 1;
  let i = p;
  for (let c = 0; c < ncol; c++) {
    const k = <i32>load<u8>(kinds + <usize>c);
    const slot = <usize>(c * cap + line);
    if (k == NUMBER) {
      let neg = false;
      if (i < usable && at(buf, i) == MINUS) {
        neg = true;
        i++;
      }
      // At most 15 digits: every partial mantissa is an integer below 2^53, so building it in i64
      // and converting once gives the very double the f64 steps gave, without their latency.
      let mant: i64 = 0;
      let digits = 0, frac = 0, seenDot = false, any = false;
      // The whole part, then after a dot the fraction: leading zeros are not digits of the mantissa.
      for (; i < usable; i++) {
        const d = at(buf, i) - 48;
        if (<u32>d > 9) break;
        any = true;
        if (mant == 0 && d == 0) continue;
        if (++digits > 15) return -1;
        mant = mant * 10 + <i64>d;
      }
      if (i < usable && at(buf, i) == DOT) {
        seenDot = true;
        for (i++; i < usable; i++) {
          const d = at(buf, i) - 48;
          if (<u32>d > 9) break;
          any = true;
          frac++;
          if (mant == 0 && d == 0) continue;
          if (++digits > 15) return -1;
          mant = mant * 10 + <i64>d;
        }
      }
      if (!any) {
        if (neg || seenDot || !emptyIsMissing) return -1;
        store<f64>(values + (slot << 3), NaN);
      } else {
        if (frac > 22) return -1;
        const v = frac == 0 ? <f64>mant : <f64>mant / load<f64>(pow10 + (<usize>frac << 3));
        store<f64>(values + (slot << 3), neg ? -v : v);
        if (seenDot) store<i32>(dots + (<usize>c << 2), 1);
      }
    } else if (k == DATETIME) {
      const s = i;
      if (layoutEnds) {
        // The field can only be one of three lengths: its end is looked for there, and the checks
        // below find any other byte out of place (none of the layouts' bytes ends a field).
        if (endsAt(buf, s + 10, usable)) i = s + 10;
        else if (endsAt(buf, s + 16, usable)) i = s + 16;
        else if (endsAt(buf, s + 19, usable)) i = s + 19;
        else return -1;
      } else {
        for (; i < usable; i++) {
          const b = at(buf, i);
          if (b == delim || b == NL || b == CR) break;
        }
      }
      // The day of the last line's date is kept: files are often in time order, and comparing ten
      // bytes (as eight and two) is cheaper than checking and converting the date again.
      const len = i - s;
      if (len != 10 && len != 16 && len != 19) return -1;
      const kept = lastDate + <usize>(c * 10);
      let day = load<f64>(lastDay + (<usize>c << 3));
      const from = buf + <usize>s;
      if (load<u64>(kept) != load<u64>(from) || load<u16>(kept, 8) != load<u16>(from, 8)) {
        day = dateMs(buf, s);
        if (isNaN(day)) return -1;
        memory.copy(kept, from, 10);
        store<f64>(lastDay + (<usize>c << 3), day);
      }
      if (isNaN(day)) return -1; // ten NUL bytes matched the empty cache
      const secs = timeSeconds(buf, s, len);
      if (secs < 0) return -1;
      store<f64>(values + (slot << 3), day + <f64>secs * 1000);
    } else if (k == STRING) {
      const s = i;
      let h = FNV_OFFSET;
      for (; i < usable; i++) {
        const b = at(buf, i);
        if (b == delim || b == NL || b == CR) break;
        h = (h ^ b) * FNV_PRIME;
      }
      store<i32>(starts + (slot << 2), s);
      store<i32>(ends + (slot << 2), i);
      store<i32>(hashes + (slot << 2), h);
      // Its code, if the cache knows its bytes; else the caller's dictionary is asked.
      const len = i - s;
      let code = -1;
      if (len >= 1 && len <= 8) {
        const e = entryOf(c, h);
        if (e != 0 && load<i32>(e) == h && load<i32>(e, 4) == len && load<u64>(e, 16) == keyOf(buf, s, len)) code = load<i32>(e, 8);
      }
      store<i32>(codes + (slot << 2), code);
      if (code < 0) {
        const mc = missCounts + (<usize>c << 2), m = load<i32>(mc);
        store<i32>(misses + (<usize>(c * cap + m) << 2), line);
        store<i32>(mc, m + 1);
      }
    } else {
      return -1;
    }
    // The field must end where the two-pass reader would end it.
    if (c < last) {
      if (i >= usable || at(buf, i) != delim) return -1;
      i++;
    } else if (i < usable) {
      const b = at(buf, i);
      if (b == CR) {
        if (i + 1 < usable && at(buf, i + 1) != NL) return -1; // a CR inside the field
        i++; // i is now the newline, or usable
      } else if (b != NL) {
        return -1; // more fields than columns, or a byte the parse did not expect
      }
    }
  }
  return i;
}

/** Two digits at buf[i], or -1. */
@inline function d2(buf: usize, i: i32): i32 {
  const a = at(buf, i) - 48, b = at(buf, i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** YYYY-MM-DD at buf[s]: epoch milliseconds of that day (UTC), or NaN (accumulators.ts' fastDateMs). */
function dateMs(buf: usize, s: i32): f64 {
  const y1 = d2(buf, s), y2 = d2(buf, s + 2), mo = d2(buf, s + 5), d = d2(buf, s + 8);
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || at(buf, s + 4) != MINUS || at(buf, s + 7) != MINUS) return NaN;
  const y = y1 * 100 + y2;
  if (mo < 1 || mo > 12 || d < 1) return NaN;
  const leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > (mo == 2 && leap ? 29 : daysIn(mo))) return NaN;
  return daysFromCivil(<f64>y, <f64>mo, <f64>d) * 86400000;
}

function daysIn(m: i32): i32 {
  return m == 2 ? 28 : m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
}

/** Days since 1970-01-01 (values.ts' daysFromCivil, in the same f64 arithmetic). */
function daysFromCivil(y: f64, m: f64, d: f64): f64 {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Seconds of the [ T]HH:MM[:SS] after a date, for a field of len 10 (0), 16 or 19; -1 if invalid. */
function timeSeconds(buf: usize, s: i32, len: i32): i32 {
  if (len == 10) return 0;
  const sep = at(buf, s + 10);
  if (sep != SPACE && sep != T) return -1;
  const hh = d2(buf, s + 11), mi = d2(buf, s + 14);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || at(buf, s + 13) != COLON) return -1;
  let secs = hh * 3600 + mi * 60;
  if (len == 19) {
    const ss = d2(buf, s + 17);
    if (ss < 0 || ss > 59 || at(buf, s + 16) != COLON) return -1;
    secs += ss;
  }
  return secs;
}
