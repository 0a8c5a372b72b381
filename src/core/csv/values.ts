// How one field's text becomes a value. Both parsing paths (papaparse and the byte-level fast
// path) call these, or agree with them byte for byte, so a file reads the same either way.

const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INF_RE = /^([+-]?)(?:inf|infinity)$/i;
const BOOL_TRUE = /^true$/i;
const BOOL_FALSE = /^false$/i;
// ISO 8601 dates and date-times as pandas reads them without a format: 2001-01-01, 2001/01/01,
// 2001-01-01 00:01, 2001-01-01T00:01:02.345Z, 2001-01-01 00:01:02+01:00.
const DATE_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/** Trimmed, for tokens where surrounding spaces do not matter (numbers, booleans, dates, missing). */
export function trimField(s: string): string {
  return s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32) ? s.trim() : s;
}

/** The number a field holds, or undefined when it is not a number. */
export function parseNumber(t: string): number | undefined {
  if (NUMBER_RE.test(t)) return Number(t);
  const inf = INF_RE.exec(t);
  if (inf) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/** 1 for true, 0 for false, undefined otherwise (pandas' default true/false values). */
export function parseBoolean(t: string): 0 | 1 | undefined {
  if (t.length === 4 && BOOL_TRUE.test(t)) return 1;
  if (t.length === 5 && BOOL_FALSE.test(t)) return 0;
  return undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (m === 2 && leap ? 29 : DAYS_IN_MONTH[m - 1]);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Epoch milliseconds of an ISO date or date-time (UTC unless it carries an offset), or undefined. */
export function parseDatetime(t: string): number | undefined {
  if (t.length < 8 || t.length > 40) return undefined;
  const c0 = t.charCodeAt(0);
  if (c0 < 48 || c0 > 57) return undefined;
  const m = DATE_RE.exec(t);
  if (!m) return undefined;
  const y = +m[1], mo = +m[2], d = +m[3];
  if (!isValidDate(y, mo, d)) return undefined;
  const hh = m[4] ? +m[4] : 0, mi = m[5] ? +m[5] : 0, ss = m[6] ? +m[6] : 0;
  if (hh > 23 || mi > 59 || ss > 59) return undefined;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000 + 1e-6) : 0;
  let offsetMin = 0;
  if (m[8] && m[8] !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    const digits = m[8].slice(1).replace(':', '');
    offsetMin = sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4));
  }
  return daysFromCivil(y, mo, d) * 86400000 + ((hh * 60 + mi - offsetMin) * 60 + ss) * 1000 + ms;
}

export type ValueKind = 'numeric' | 'boolean' | 'datetime' | 'string';

/** The narrowest kind that holds every sampled (non-missing, trimmed) value. */
export function guessKind(samples: string[]): ValueKind {
  if (samples.length === 0) return 'numeric'; // all missing: a float column of NaN, as pandas reads it
  if (samples.every((s) => parseBoolean(s) !== undefined)) return 'boolean';
  if (samples.every((s) => parseNumber(s) !== undefined)) return 'numeric';
  if (samples.every((s) => parseDatetime(s) !== undefined)) return 'datetime';
  return 'string';
}
