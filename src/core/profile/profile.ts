// Profiles a Frame: what pandas info()/describe()/isnull().sum()/value_counts() and seaborn's
// usual plots show, plus ydata-profiling-style alerts.
import { BooleanColumn, Column, ColumnKind, Frame, NumericColumn, StringColumn, frameMemoryBytes, isMissingAt, columnByName, columnList, CODE_MISSING, BOOL_MISSING } from '../frame';
import { alertsFor } from './alerts';
import { byCount, codeCounts, countedQuantiles, distinctFloats, duplicateRows } from './distinct';
import { histogram, histogramOfCounts, locationMoments, moments, nonMissing, pearson, quantiles, reservoir } from './stats';
import { MAX_CORRELATION_COLUMNS, MAX_STRONGEST_PAIRS } from './types';
import type { BoxStats, CategoryRates, ColumnProfile, Correlations, Matrix, Profile, TargetProfile, TopValue } from './types';

export interface ProfileOptions {
  target?: string;
  /** Columns with more non-missing values than this get sketched quantiles. */
  exactQuantileLimit?: number;
  topValues?: number;
  /** Reservoir size for sketched quantiles. */
  sketchSize?: number;
  loadMs?: number;
  signal?: AbortSignal;
  /** Results computed elsewhere (a worker thread, see parallelProfile.ts); left out here. */
  precomputed?: { duplicateRows?: number; correlations?: Correlations; columns?: Map<number, ColumnProfile> };
}

const MAX_BOX_CLASSES = 12;
const MAX_ASSOC_CATEGORIES = 100;
const MAX_ASSOC_COLUMNS = 30;

export function profileFrame(frame: Frame, options: ProfileOptions = {}): Profile {
  const t0 = performance.now();
  const limit = options.exactQuantileLimit ?? 50_000_000;
  const topN = options.topValues ?? 10;
  const scratch = new Float64Array(Math.min(frame.rows, limit));
  const columns = frame.columns.map((c, i) => {
    if (options.signal?.aborted) throw new Error('cancelled');
    return options.precomputed?.columns?.get(i) ?? profileColumn(c, frame.rows, limit, topN, options.sketchSize ?? 1_000_000, scratch);
  });
  const typeCounts = typeCountsOf(columns);
  const missingCells = columns.reduce((n, c) => n + c.missing, 0);
  const correlations = options.precomputed?.correlations ?? numericCorrelations(frame);
  const associations = cramersV(frame);
  const target = options.target !== undefined ? profileTarget(frame, options.target) : undefined;
  const duplicates = options.precomputed?.duplicateRows ?? duplicateRows(frame.columns, frame.rows);
  const profile: Profile = {
    file: frame.source,
    rows: frame.rows,
    columnsCount: frame.columns.length,
    memoryBytes: frameMemoryBytes(frame),
    duplicateRows: duplicates,
    missingCells,
    missingCellsPct: frame.rows * frame.columns.length ? (100 * missingCells) / (frame.rows * frame.columns.length) : 0,
    typeCounts,
    columns,
    target,
    correlations,
    associations,
    alerts: [],
    warnings: [...frame.warnings, ...[correlationNote(correlations)].filter((w): w is string => w !== undefined)],
    timings: { loadMs: options.loadMs ?? 0, profileMs: 0 },
  };
  profile.alerts = alertsFor(profile);
  profile.timings.profileMs = performance.now() - t0;
  return profile;
}

/** Says so when the correlation matrix holds only some of the numeric columns. */
/** Columns of each type (a profile's typeCounts). */
export function typeCountsOf(columns: ColumnProfile[]): Record<ColumnKind, number> {
  const counts: Record<ColumnKind, number> = { numeric: 0, categorical: 0, boolean: 0, datetime: 0, text: 0 };
  for (const c of columns) counts[c.type]++;
  return counts;
}

export function correlationNote(c: Correlations): string | undefined {
  if (c.numericColumns <= c.columns.length) return undefined;
  return `correlations: ${c.numericColumns.toLocaleString('en-US')} numeric columns; the matrix holds the first ${c.columns.length}, and the ${c.strongest.length} strongest pairs of all of them are listed`;
}

export function pandasDtype(c: { kind: ColumnKind; integer?: boolean }, missing: number): string {
  switch (c.kind) {
    case 'numeric':
      return c.integer && missing === 0 ? 'int64' : 'float64';
    case 'boolean':
      return missing === 0 ? 'bool' : 'object';
    case 'datetime':
      return 'datetime64[ns]';
    default:
      return 'object';
  }
}

export function profileColumn(c: Column, rows: number, exactLimit: number, topN: number, sketchSize: number, scratch: Float64Array): ColumnProfile {
  const base = (count: number, distinct: number): ColumnProfile => {
    const missing = rows - count;
    return {
      name: c.name,
      type: c.kind,
      dtype: pandasDtype(c, missing),
      count,
      missing,
      missingPct: rows ? (100 * missing) / rows : 0,
      distinct,
      idLike: false,
    };
  };
  if (c.kind === 'numeric' || c.kind === 'datetime') {
    const m = c.kind === 'datetime' ? locationMoments(c.values) : moments(c.values);
    const known = c.kind === 'numeric' && c.integer ? m : undefined; // every value whole: its grid is min..max
    // A datetime's min and max let countedQuantiles guess its grid (checked as it counts).
    const counted = m.count <= exactLimit ? countedQuantiles(c.values, c.kind === 'datetime', [0.25, 0.5, 0.75], c.kind === 'datetime' ? m : known) : undefined;
    const p = base(m.count, counted?.distinct ?? distinctFloats(c.values, c.kind === 'datetime', known));
    let qs: number[];
    if (counted) {
      qs = counted.quantiles;
      p.quantiles = { method: 'exact' };
    } else if (m.count <= exactLimit) {
      qs = quantiles(nonMissing(c.values, scratch), [0.25, 0.5, 0.75]);
      p.quantiles = { method: 'exact' };
    } else {
      const { sample, rankError } = reservoir(c.values, sketchSize);
      qs = quantiles(sample, [0.25, 0.5, 0.75]);
      p.quantiles = { method: 'sketch', rankError, sampleSize: sample.length };
    }
    const integer = c.kind === 'numeric' && c.integer;
    p.histogram = counted ? histogramOfCounts(counted.each, m.min, m.max, integer) : histogram(c.values, m.min, m.max, integer);
    if (c.kind === 'datetime') {
      p.minDate = isoOrUndefined(m.min);
      p.maxDate = isoOrUndefined(m.max);
      Object.assign(p, { min: m.min, q25: qs[0], median: qs[1], q75: qs[2], max: m.max, mean: m.mean });
      return p;
    }
    Object.assign(p, {
      mean: m.mean, std: m.std, min: m.min, q25: qs[0], median: qs[1], q75: qs[2], max: m.max,
      skewness: m.skewness, zeros: m.zeros, zerosPct: rows ? (100 * m.zeros) / rows : 0, infinite: m.infinite,
    });
    p.idLike = c.integer && m.count > 1 && p.distinct === m.count && looksLikeId(c.name, m.count, rows);
    return p;
  }
  const counts = codeCounts(c);
  let count = 0, distinct = 0;
  for (let i = 0; i < counts.length; i++) {
    count += counts[i];
    if (counts[i] > 0) distinct++;
  }
  const p = base(count, distinct);
  const label = (code: number) => (c.kind === 'boolean' ? (code ? 'True' : 'False') : c.dictionary[code]);
  p.top = byCount(counts, topN).map((code): TopValue => ({ value: label(code), count: counts[code] }));
  p.idLike = c.kind === 'categorical' && count > 1 && distinct === count && looksLikeId(c.name, count, rows);
  return p;
}

/** Every value distinct, and either named like an id or present on (almost) every row. */
export function looksLikeId(name: string, count: number, rows: number): boolean {
  return /(^|[^a-z])id$|^id|_id\b|Id$|ID$|number$|num$/i.test(name) || count >= 0.95 * rows;
}

function isoOrUndefined(ms: number): string | undefined {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** pandas' df.corr(numeric_only=True) (booleans and datetimes left out), bounded as Correlations says. */
export function numericCorrelations(frame: Pick<Frame, 'columns'>): Correlations {
  return correlationMatrix(frame.columns.filter((c): c is NumericColumn => c.kind === 'numeric'));
}

/** The `max` pairs of largest |r| seen, strongest first: a short sorted list (max is small). */
export function strongestPairs(max: number) {
  const pairs: { columns: [string, string]; r: number }[] = [];
  return {
    pairs,
    offer(a: string, b: string, r: number) {
      if (pairs.length === max && Math.abs(r) <= Math.abs(pairs[max - 1].r)) return;
      let at = pairs.length;
      while (at > 0 && Math.abs(pairs[at - 1].r) < Math.abs(r)) at--;
      pairs.splice(at, 0, { columns: [a, b], r });
      if (pairs.length > max) pairs.pop();
    },
  };
}

/**
 * Pearson r for every pair. With many columns, those without gaps are normalised once, so that a
 * pair is one dot product; with few, each pair is computed directly (no extra arrays).
 */
function correlationMatrix(cols: NumericColumn[]): Correlations {
  const k = cols.length;
  const shown = Math.min(k, MAX_CORRELATION_COLUMNS);
  const strongest = strongestPairs(MAX_STRONGEST_PAIRS);
  const unit: (Float64Array | null)[] = cols.map((c) => {
    if (k <= 8) return null;
    let n = 0, s = 0;
    for (let i = 0; i < c.length; i++) {
      const v = c.values[i];
      if (v !== v || v === Infinity || v === -Infinity) return null;
      s += v;
      n++;
    }
    const mean = s / n;
    const out = new Float64Array(c.length);
    let ss = 0;
    for (let i = 0; i < c.length; i++) {
      const d = c.values[i] - mean;
      out[i] = d;
      ss += d * d;
    }
    if (ss === 0) return null;
    const norm = Math.sqrt(ss);
    for (let i = 0; i < out.length; i++) out[i] /= norm;
    return out;
  });
  const values: (number | null)[][] = cols.slice(0, shown).map(() => new Array<number | null>(shown).fill(null));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let r: number;
      const ua = unit[a], ub = unit[b];
      if (ua && ub) {
        let dot = 0;
        for (let i = 0; i < ua.length; i++) dot += ua[i] * ub[i];
        r = a === b ? 1 : Math.max(-1, Math.min(1, dot));
      } else {
        r = pearson(cols[a].values, cols[b].values);
        if (a === b && Number.isFinite(r)) r = 1;
      }
      const v = Number.isFinite(r) ? r : null;
      if (b < shown) {
        values[a][b] = v;
        values[b][a] = v;
      }
      if (v !== null && a !== b) strongest.offer(cols[a].name, cols[b].name, v);
    }
  }
  return { columns: cols.slice(0, shown).map((c) => c.name), values, numericColumns: k, strongest: strongest.pairs };
}

/** Cramér's V (no bias correction) over pairs of low-cardinality categorical columns. */
export function cramersV(frame: Frame): Matrix {
  const cols = frame.columns
    .filter((c): c is StringColumn => c.kind === 'categorical' && (c as StringColumn).dictionary.length >= 2 && c.dictionary.length <= MAX_ASSOC_CATEGORIES)
    .slice(0, MAX_ASSOC_COLUMNS);
  const k = cols.length;
  const values: (number | null)[][] = cols.map(() => new Array<number | null>(k).fill(null));
  for (let a = 0; a < k; a++) {
    values[a][a] = 1;
    for (let b = a + 1; b < k; b++) {
      const ca = cols[a], cb = cols[b];
      const ra = ca.dictionary.length, rb = cb.dictionary.length;
      const table = new Float64Array(ra * rb);
      const rowSum = new Float64Array(ra), colSum = new Float64Array(rb);
      let n = 0;
      for (let i = 0; i < frame.rows; i++) {
        const x = ca.codes[i], y = cb.codes[i];
        if (x === CODE_MISSING || y === CODE_MISSING) continue;
        table[x * rb + y]++;
        rowSum[x]++;
        colSum[y]++;
        n++;
      }
      let chi2 = 0, r = 0, c = 0;
      for (let x = 0; x < ra; x++) if (rowSum[x] > 0) r++;
      for (let y = 0; y < rb; y++) if (colSum[y] > 0) c++;
      for (let x = 0; x < ra; x++) {
        if (rowSum[x] === 0) continue;
        for (let y = 0; y < rb; y++) {
          if (colSum[y] === 0) continue;
          const e = (rowSum[x] * colSum[y]) / n;
          const d = table[x * rb + y] - e;
          chi2 += (d * d) / e;
        }
      }
      const denom = n * (Math.min(r, c) - 1);
      const v = denom > 0 ? Math.sqrt(chi2 / denom) : null;
      values[a][b] = v;
      values[b][a] = v;
    }
  }
  return { columns: cols.map((c) => c.name), values };
}

/** Refuses a target the file has no column for, before any work, naming the columns there are. */
export function checkTarget(file: string, names: string[], target: string | undefined): void {
  if (target !== undefined && !names.includes(target)) {
    throw new Error(`${file}: no column named "${target}" to use as target (columns: ${columnList({ columns: names.map((name) => ({ name })) })})`);
  }
}

/** Class balance and box plots for a categorical target; the distribution for a numeric one. */
export function profileTarget(frame: Frame, name: string): TargetProfile {
  const t = columnByName(frame, name);
  const classify = t.kind !== 'numeric' && t.kind !== 'datetime'
    ? true
    : t.kind === 'numeric' && t.integer && distinctFloats(t.values) <= 20;
  if (!classify && (t.kind === 'numeric' || t.kind === 'datetime')) {
    const m = moments(t.values);
    return { column: name, task: 'regression', histogram: histogram(t.values, m.min, m.max, t.kind === 'numeric' && t.integer) };
  }
  // Class index of each row: the column's own codes, or the distinct numbers in ascending order.
  let labels: string[];
  const cls = new Int32Array(frame.rows).fill(-1);
  if (t.kind === 'numeric') {
    const uniq = [...new Set(nonMissing(t.values))].sort((a, b) => a - b);
    const index = new Map(uniq.map((v, i) => [v, i]));
    labels = uniq.map(String);
    for (let i = 0; i < frame.rows; i++) if (!isMissingAt(t, i)) cls[i] = index.get(t.values[i])!;
  } else if (t.kind === 'boolean') {
    labels = ['False', 'True'];
    for (let i = 0; i < frame.rows; i++) if (t.values[i] !== BOOL_MISSING) cls[i] = t.values[i];
  } else if (t.kind === 'datetime') {
    labels = []; // unreachable: datetimes are regression targets
  } else {
    labels = t.dictionary;
    cls.set(t.codes);
  }
  const counts = new Int32Array(labels.length);
  for (let i = 0; i < frame.rows; i++) if (cls[i] >= 0) counts[cls[i]]++;
  const order = byCount(counts);
  const classes = order.map((c) => ({ value: labels[c], count: counts[c] }));
  const imbalance = imbalanceOf(classes);

  const shown = order.slice(0, MAX_BOX_CLASSES);
  const slot = new Int32Array(labels.length).fill(-1);
  shown.forEach((c, i) => (slot[c] = i));
  const boxplots = frame.columns
    .filter((c): c is NumericColumn => c.kind === 'numeric' && c.name !== name)
    .map((feature) => {
      const groups = shown.map(() => [] as number[]);
      for (let i = 0; i < frame.rows; i++) {
        const s = cls[i] >= 0 ? slot[cls[i]] : -1;
        const v = feature.values[i];
        if (s >= 0 && v === v) groups[s].push(v);
      }
      const boxes = groups.map((g, i) => boxStats(labels[shown[i]], Float64Array.from(g))).filter((b): b is BoxStats => b !== undefined);
      return { feature: feature.name, boxes };
    });
  const rates = frame.columns
    .filter((c): c is StringColumn => c.kind === 'categorical' && c.name !== name && c.dictionary.length <= MAX_RATE_CATEGORIES)
    .map((feature) => categoryRates(feature, cls, order))
    .concat(frame.columns.filter((c): c is BooleanColumn => c.kind === 'boolean' && c.name !== name).map((feature) => booleanRates(feature, cls, order)));
  return { column: name, task: 'classification', classes, imbalance, boxplots, rates };
}

/** 1 - the class counts' entropy over its largest (log k): 0 when balanced, towards 1 as one class takes all. */
export function imbalanceOf(classes: TopValue[]): number {
  const total = classes.reduce((n, c) => n + c.count, 0);
  let entropy = 0;
  for (const c of classes) {
    const p = c.count / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return classes.length > 1 ? 1 - entropy / Math.log(classes.length) : 0;
}

const MAX_RATE_CATEGORIES = 20;

/** A categorical feature's rows of each class per category (pandas' crosstab), categories by count. */
function categoryRates(feature: StringColumn, cls: Int32Array, order: number[]): CategoryRates {
  const k = order.length;
  const position = new Int32Array(Math.max(...order, 0) + 1).fill(-1);
  order.forEach((c, i) => (position[c] = i));
  const table = feature.dictionary.map(() => new Array<number>(k).fill(0));
  for (let i = 0; i < cls.length; i++) {
    const code = feature.codes[i];
    if (code !== CODE_MISSING && cls[i] >= 0) table[code][position[cls[i]]]++;
  }
  const categories = feature.dictionary.map((value, j) => ({ value, count: table[j].reduce((a, b) => a + b, 0), counts: table[j] }));
  return { feature: feature.name, categories: categories.filter((c) => c.count > 0).sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)) };
}

function booleanRates(feature: BooleanColumn, cls: Int32Array, order: number[]): CategoryRates {
  const asStrings: StringColumn = { kind: 'categorical', name: feature.name, length: cls.length, dictionary: ['False', 'True'], codes: Int32Array.from(feature.values, (v) => (v === BOOL_MISSING ? CODE_MISSING : v)) };
  return categoryRates(asStrings, cls, order);
}

function boxStats(group: string, values: Float64Array): BoxStats | undefined {
  if (values.length === 0) return undefined;
  const m = moments(values);
  const [q1, median, q3] = quantiles(values, [0.25, 0.5, 0.75]);
  const lo = q1 - 1.5 * (q3 - q1), hi = q3 + 1.5 * (q3 - q1);
  let whiskerMin = Infinity, whiskerMax = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= lo && v < whiskerMin) whiskerMin = v;
    if (v <= hi && v > whiskerMax) whiskerMax = v;
  }
  return { group, count: values.length, min: m.min, q1, median, q3, max: m.max, whiskerMin, whiskerMax, mean: m.mean };
}
