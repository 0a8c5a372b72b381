// The profile of a file whose columns would not fit the memory budget: the file is read in chunks
// (csv/chunks.ts) and each chunk folded into state that merges. Exact where the state is small or
// fits its share of the budget: counts, missing, mean/std/skewness (Chan-Pébay merges), min/max,
// zeros, Pearson correlations (merged co-moments); quartiles, distinct counts and histograms from
// the values kept, or from a count per value while they sit on a modest grid (whole numbers,
// datetimes in minutes), or else a second read for the histograms; top values and duplicate rows
// while their sets fit. Past its share a
// set turns into a sketch that says so in the profile: HyperLogLog distinct counts, Misra-Gries top
// values, reservoir quantiles with their rank error; the target's box plots and rates and Cramér's
// V come from a uniform sample of rows (the class counts stay exact).
import { BOOL_MISSING, CODE_MISSING, Column, ColumnKind, Frame } from '../frame';
import { CsvError } from '../csv/errors';
import { freeTextBy } from '../csv/load';
import { streamCsv, StreamOptions } from '../csv/chunks';
import type { ValueKind } from '../csv/values';
import { alertsFor } from './alerts';
import { byCount, codeCounts } from './distinct';
import { checkTarget, correlationNote, cramersV, imbalanceOf, looksLikeId, pandasDtype, profileTarget, strongestPairs, typeCountsOf } from './profile';
import { DistinctFloats, DistinctRows, fmix32, GridCounts, hashString, HyperLogLog, StringCounts } from './sketches';
import { Bins, coMoments, countInto, histogram, histogramBins, MomentSums, mergeMomentSums, momentSums, momentsFromSums, quantiles, quantilesOfCounts, Reservoir, rng } from './stats';
import { MAX_CORRELATION_COLUMNS, MAX_STRONGEST_PAIRS } from './types';
import type { ColumnProfile, Correlations, Matrix, Profile, TargetProfile, TopValue } from './types';

export interface BoundedOptions extends StreamOptions {
  target?: string;
  topValues?: number;
  /** The peak memory to stay under; the exact state gets a share of it (STATE_SHARE). */
  memoryBudgetMB: number;
  loadMs?: number;
}

/** Of the budget, what the exact state may take; the rest is the runtime, a chunk and its parsing. */
const STATE_SHARE = 0.55;

interface NumericState {
  kind: 'numeric' | 'datetime';
  sums: MomentSums;
  integer: boolean;
  distinct: DistinctFloats;
  /** Each chunk's non-missing values, while their total fits `limit`; then the reservoir. */
  kept: Float64Array[] | undefined;
  keptCount: number;
  limit: number;
  reservoir?: Reservoir;
  /** Counts per grid point while the values sit on a modest grid: exact quartiles, distinct count and histogram. */
  grid: GridCounts | undefined;
  bins?: Bins;
}
interface StringState { kind: 'string'; counts: StringCounts; nonMissing: number }
interface BooleanState { kind: 'boolean'; counts: [number, number] }
type State = NumericState | StringState | BooleanState;

function isNumericState(s: State): s is NumericState {
  return s.kind === 'numeric' || s.kind === 'datetime';
}

/** A chunk's column of numbers (or datetimes): what the settled kinds promise. */
function floats(col: Column): Float64Array {
  if (col.kind !== 'numeric' && col.kind !== 'datetime') throw kindChanged(col);
  return col.values;
}

function kindChanged(col: Column): Error {
  return new Error(`internal: ${col.name} came back as ${col.kind} in a later chunk`);
}

/** Co-moments of a pair of columns over the rows where both are present. */
interface Pair { n: number; mx: number; my: number; cxx: number; cyy: number; cxy: number }

const RESERVOIR = 1_000_000;
/** Columns whose pairs are correlated (for the strongest pairs; the matrix shows the first MAX_CORRELATION_COLUMNS): 500,000 pairs' co-moments, 24 MB. */
const MAX_PAIRED_COLUMNS = 1000;

export async function profileCsvBounded(file: string, options: BoundedOptions): Promise<Profile> {
  const t0 = performance.now();
  const stateBytes = options.memoryBudgetMB * STATE_SHARE * (1 << 20);
  let chunks = 0;
  let fold: Fold | undefined;
  const pass1 = await streamCsv(file, { ...options, onProgress: (f) => options.onProgress?.(0.6 * f) }, (plan) => {
    checkTarget(file, plan.names, options.target);
    chunks = 0;
    fold = new Fold(plan.names, plan.kinds, stateBytes, options.target);
    return { chunk: (frame: Frame) => { chunks++; fold!.chunk(frame); } };
  });
  const f = fold!;
  if (pass1.rows === 0) throw new CsvError('header-only', file, 'the file has a header but no data rows');
  let passes = 1;
  // Histograms: from the kept values, or a second read with the bins fixed by min and max.
  const needBins: [number, NumericState][] = [];
  f.states.forEach((s, c) => {
    if (isNumericState(s) && !s.kept && !s.grid) needBins.push([c, s]);
  });
  for (const [, s] of needBins) s.bins = histogramBins(s.sums.min, s.sums.max, s.kind === 'numeric' && s.integer);
  if (needBins.length) {
    passes = 2;
    await streamCsv(file, { ...options, kinds: pass1.plan.kinds, onProgress: (p) => options.onProgress?.(0.6 + 0.4 * p) }, () => ({
      chunk: (frame: Frame) => {
        for (const [c, s] of needBins) countInto(s.bins!, floats(frame.columns[c]));
      },
    }));
  }
  const profile = f.profile(file, pass1.rows, options.topValues ?? 10, pass1.warnings);
  profile.bounded = { budgetMB: options.memoryBudgetMB, chunks, passes };
  profile.timings = { loadMs: options.loadMs ?? 0, profileMs: performance.now() - t0 };
  return profile;
}

/** The state every chunk is folded into, and the profile made from it. */
class Fold {
  readonly states: State[];
  private readonly rowsSeen: DistinctRows;
  private readonly corrColumns: number[];
  private readonly pairs: Pair[][];
  private readonly sample: RowSample;
  private readonly targetValues = new Map<number, number>();
  private targetValuesOverflow = false;
  private readonly targetIndex: number;
  private readonly reservoirSize: number;

  constructor(private readonly names: string[], kinds: ValueKind[], budget: number, private readonly target?: string) {
    const numeric = kinds.filter((k) => k === 'numeric' || k === 'datetime').length;
    const strings = kinds.filter((k) => k === 'string').length;
    // Shares of the state budget, in the bytes each entry takes at worst (a table mid-growth holds
    // its old and new arrays; kept values are copied once more at the end to be selected in place).
    this.reservoirSize = Math.min(RESERVOIR, Math.max(1_000, Math.floor((budget * 0.1) / (8 * Math.max(1, numeric)))));
    const keptLimit = Math.max(1_000, Math.floor((budget * 0.3) / (16 * Math.max(1, numeric))));
    const gridLimit = Math.max(1_000, Math.floor((budget * 0.2) / (16 * Math.max(1, numeric))));
    const distinctLimit = Math.max(1_000, Math.floor((budget * 0.15) / (36 * Math.max(1, numeric))));
    const stringLimit = Math.max(1_000, Math.floor((budget * 0.1) / (160 * Math.max(1, strings))));
    this.rowsSeen = new DistinctRows(Math.max(1_000, Math.floor((budget * 0.25) / 32)));
    this.states = kinds.map((k): State => {
      if (k === 'numeric' || k === 'datetime') {
        return { kind: k, sums: momentSums(new Float64Array(0)), integer: true, distinct: new DistinctFloats(distinctLimit), kept: [], keptCount: 0, limit: keptLimit, grid: new GridCounts(gridLimit, k === 'datetime') };
      }
      if (k === 'boolean') return { kind: 'boolean', counts: [0, 0] };
      return { kind: 'string', counts: new StringCounts(stringLimit), nonMissing: 0 };
    });
    this.corrColumns = kinds.map((k, c) => (k === 'numeric' ? c : -1)).filter((c) => c >= 0).slice(0, MAX_PAIRED_COLUMNS);
    this.pairs = this.corrColumns.map((_, a) => this.corrColumns.slice(a + 1).map(() => ({ n: 0, mx: 0, my: 0, cxx: 0, cyy: 0, cxy: 0 })));
    this.targetIndex = target === undefined ? -1 : names.indexOf(target);
    const sampled = kinds.filter((k) => k !== 'datetime').length;
    const sampleRows = Math.min(RESERVOIR, Math.max(1_000, Math.floor((budget * 0.1) / (8 * Math.max(1, sampled)))));
    this.sample = new RowSample(kinds, sampleRows, this.targetIndex);
  }

  chunk(frame: Frame): void {
    frame.columns.forEach((col, c) => this.column(this.states[c], col));
    this.rowHashes(frame);
    this.correlations(frame);
    this.sample.add(frame);
    const t = this.targetIndex >= 0 ? frame.columns[this.targetIndex] : undefined;
    if (t?.kind === 'numeric' && !this.targetValuesOverflow) {
      for (let i = 0; i < t.values.length && !this.targetValuesOverflow; i++) {
        const v = t.values[i];
        if (v !== v) continue;
        this.targetValues.set(v, (this.targetValues.get(v) ?? 0) + 1);
        if (this.targetValues.size > 20) this.targetValuesOverflow = true;
      }
    }
  }

  private column(s: State, col: Column): void {
    if (s.kind === 'boolean') {
      if (col.kind !== 'boolean') throw kindChanged(col);
      const v = col.values;
      for (let i = 0; i < v.length; i++) if (v[i] !== BOOL_MISSING) s.counts[v[i]]++;
      return;
    }
    if (s.kind === 'string') {
      if (col.kind !== 'categorical' && col.kind !== 'text') throw kindChanged(col);
      const counts = codeCounts(col);
      for (let i = 0; i < counts.length; i++) s.nonMissing += counts[i];
      s.counts.add(col.dictionary, counts);
      return;
    }
    const values = floats(col);
    s.sums = mergeMomentSums(s.sums, momentSums(values));
    if (col.kind === 'numeric' && !col.integer) s.integer = false;
    // While the grid counts the values, it knows the distinct ones; once it cannot, the set starts from its points.
    if (s.grid && !s.grid.add(values)) {
      s.distinct.add(s.grid.points());
      s.grid = undefined;
    }
    if (!s.grid) s.distinct.add(values);
    if (s.kept) {
      let n = 0;
      for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
      const copy = new Float64Array(n);
      for (let i = 0, o = 0; i < values.length; i++) if (values[i] === values[i]) copy[o++] = values[i];
      s.kept.push(copy);
      s.keptCount += n;
      if (s.keptCount > s.limit) {
        s.reservoir = new Reservoir(this.reservoirSize);
        for (const k of s.kept) s.reservoir.add(k);
        s.kept = undefined;
      }
    } else s.reservoir!.add(values);
  }

  /** Two 32-bit hashes per row over every column's value (strings by their text, not their chunk's codes). */
  private rowHashes(frame: Frame): void {
    const n = frame.rows;
    const h1 = new Uint32Array(n).fill(0x12345678), h2 = new Uint32Array(n).fill(0x9abcdef0);
    const mix = (h: number, w: number) => (Math.imul(((h << 13) | (h >>> 19)) ^ Math.imul(w, 0xcc9e2d51), 5) + 0xe6546b64) >>> 0;
    for (const col of frame.columns) {
      if (col.kind === 'numeric' || col.kind === 'datetime') {
        const v = col.values;
        const w = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
        for (let i = 0; i < n; i++) {
          const x = v[i];
          const lo = x !== x ? 0x7ff80000 : x === 0 ? 0 : w[2 * i], hi = x !== x ? 0x7ff80000 : x === 0 ? 0 : w[2 * i + 1];
          h1[i] = mix(mix(h1[i], lo), hi);
          h2[i] = mix(mix(h2[i], hi ^ 0x5bd1e995), lo ^ 0x27d4eb2d);
        }
      } else if (col.kind === 'boolean') {
        for (let i = 0; i < n; i++) {
          h1[i] = mix(h1[i], col.values[i] + 0x100);
          h2[i] = mix(h2[i], col.values[i] + 0x3000);
        }
      } else {
        const dict = new Uint32Array(2 * col.dictionary.length);
        col.dictionary.forEach((s, k) => hashString(s, dict, 2 * k));
        for (let i = 0; i < n; i++) {
          const k = col.codes[i];
          h1[i] = mix(h1[i], k === CODE_MISSING ? 0xdeadbeef : dict[2 * k]);
          h2[i] = mix(h2[i], k === CODE_MISSING ? 0xfeedface : dict[2 * k + 1]);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      h1[i] = fmix32(h1[i]);
      h2[i] = fmix32(h2[i] ^ 0x85ebca6b);
    }
    this.rowsSeen.add(h1, h2, n);
  }

  /** The chunk's co-moments per pair (two passes, as pearson() does), merged into the running ones. */
  private correlations(frame: Frame): void {
    const cols = this.corrColumns.map((c) => floats(frame.columns[c]));
    for (let a = 0; a < cols.length; a++) {
      for (let b = a + 1; b < cols.length; b++) {
        const { n, mx, my, sxx: cxx, syy: cyy, sxy: cxy } = coMoments(cols[a], cols[b]);
        if (n === 0) continue;
        const p = this.pairs[a][b - a - 1];
        const total = p.n + n;
        const ddx = mx - p.mx, ddy = my - p.my, w = (p.n * n) / total;
        p.cxx += cxx + ddx * ddx * w;
        p.cyy += cyy + ddy * ddy * w;
        p.cxy += cxy + ddx * ddy * w;
        p.mx += (ddx * n) / total;
        p.my += (ddy * n) / total;
        p.n = total;
      }
    }
  }

  profile(file: string, rows: number, topN: number, warnings: string[]): Profile {
    const columns = this.states.map((s, c) => this.columnProfile(s, this.names[c], rows, topN));
    const typeCounts = typeCountsOf(columns);
    const missingCells = columns.reduce((n, c) => n + c.missing, 0);
    const correlations = this.correlationMatrix();
    const sample = this.sample.frame(file, columns, this.states.map((s) => s.kind === 'numeric' && s.integer));
    const associations: Matrix = cramersV(sample);
    if (sample.rows < rows) associations.sampleRows = sample.rows;
    const distinctRows = this.rowsSeen.count();
    const profile: Profile = {
      file,
      rows,
      columnsCount: columns.length,
      memoryBytes: this.states.reduce((n, s) => n + rows * (s.kind === 'boolean' ? 1 : s.kind === 'string' ? 4 : 8), 0),
      duplicateRows: Math.max(0, rows - distinctRows),
      missingCells,
      missingCellsPct: (100 * missingCells) / (rows * columns.length),
      typeCounts,
      columns,
      target: this.target !== undefined ? this.targetProfile(columns, sample, rows) : undefined,
      correlations,
      associations,
      alerts: [],
      warnings: [...warnings, ...[correlationNote(correlations)].filter((w): w is string => w !== undefined)],
      timings: { loadMs: 0, profileMs: 0 },
    };
    if (!this.rowsSeen.exact) profile.duplicateRowsError = HyperLogLog.relativeError;
    profile.alerts = alertsFor(profile);
    return profile;
  }

  private columnProfile(s: State, name: string, rows: number, topN: number): ColumnProfile {
    const base = (type: ColumnKind, count: number, distinct: number, integer = false): ColumnProfile => {
      const missing = rows - count;
      return { name, type, dtype: pandasDtype({ kind: type, integer }, missing), count, missing, missingPct: (100 * missing) / rows, distinct, idLike: false };
    };
    if (s.kind !== 'boolean' && s.kind !== 'string') {
      const m = momentsFromSums(s.sums);
      const p = base(s.kind, m.count, s.grid ? s.grid.distinct() : s.distinct.count(), s.integer);
      if (!s.distinct.exact && !s.grid) p.distinctError = HyperLogLog.relativeError;
      let qs: number[];
      if (s.kept) {
        const all = new Float64Array(s.keptCount);
        let o = 0;
        for (const k of s.kept) {
          all.set(k, o);
          o += k.length;
        }
        s.kept = undefined;
        p.histogram = histogram(all, m.min, m.max, s.kind === 'numeric' && s.integer);
        qs = quantiles(all, [0.25, 0.5, 0.75]);
        p.quantiles = { method: 'exact' };
      } else if (s.grid) {
        // Exact from the counts: the same order statistics and bins as the values themselves give.
        const grid = s.grid;
        qs = quantilesOfCounts((f) => grid.forEach(f), m.count, [0.25, 0.5, 0.75]);
        p.quantiles = { method: 'exact' };
        const bins = histogramBins(m.min, m.max, s.kind === 'numeric' && s.integer);
        const one = new Float64Array(1);
        grid.forEach((v, n) => {
          one[0] = v;
          countInto(bins, one, n);
        });
        p.histogram = bins.histogram;
      } else {
        const { sample, rankError } = s.reservoir!.result();
        qs = quantiles(sample, [0.25, 0.5, 0.75]);
        p.quantiles = { method: 'sketch', rankError, sampleSize: sample.length };
        p.histogram = s.bins!.histogram;
      }
      if (s.kind === 'datetime') {
        const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
        p.minDate = iso(m.min);
        p.maxDate = iso(m.max);
        return Object.assign(p, { min: m.min, q25: qs[0], median: qs[1], q75: qs[2], max: m.max, mean: m.mean });
      }
      Object.assign(p, {
        mean: m.mean, std: m.std, min: m.min, q25: qs[0], median: qs[1], q75: qs[2], max: m.max,
        skewness: m.skewness, zeros: m.zeros, zerosPct: (100 * m.zeros) / rows, infinite: m.infinite,
      });
      p.idLike = s.integer && m.count > 1 && p.distinct === m.count && s.distinct.exact && looksLikeId(name, m.count, rows);
      return p;
    }
    if (s.kind === 'boolean') {
      const counts = Int32Array.from(s.counts);
      const p = base('boolean', s.counts[0] + s.counts[1], (s.counts[0] > 0 ? 1 : 0) + (s.counts[1] > 0 ? 1 : 0));
      p.top = byCount(counts, topN).map((code): TopValue => ({ value: code ? 'True' : 'False', count: counts[code] }));
      return p;
    }
    return this.stringProfile(s, base, topN, rows);
  }

  private stringProfile(s: StringState, base: (type: ColumnKind, count: number, distinct: number) => ColumnProfile, topN: number, rows: number): ColumnProfile {
    const name = this.names[this.states.indexOf(s)];
    const sc = s.counts;
    const distinct = sc.distinct();
    const type = freeTextBy(distinct, s.nonMissing, sc.chars / Math.max(1, sc.sampled), sc.spaces / Math.max(1, sc.sampled)) ? 'text' : 'categorical';
    const p = base(type, s.nonMissing, distinct);
    if (!sc.exact) {
      p.distinctError = HyperLogLog.relativeError;
      p.topMaxUndercount = sc.maxUndercount;
    }
    // Ties keep the order of first appearance: the Map's insertion order, as the codes' order in memory.
    p.top = [...sc.counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count).slice(0, topN);
    p.idLike = type === 'categorical' && s.nonMissing > 1 && distinct === s.nonMissing && sc.exact && looksLikeId(name, s.nonMissing, rows);
    return p;
  }

  private correlationMatrix(): Correlations {
    const k = this.corrColumns.length;
    const strongest = strongestPairs(MAX_STRONGEST_PAIRS);
    const names = this.corrColumns.map((c) => this.names[c]);
    const shown = Math.min(k, MAX_CORRELATION_COLUMNS);
    const values: (number | null)[][] = names.slice(0, shown).map(() => new Array<number | null>(shown).fill(null));
    for (let a = 0; a < k; a++) {
      // A column with itself: 1, unless it is constant or has fewer than two values (NaN in pandas).
      const s = this.states[this.corrColumns[a]];
      if (a < shown && isNumericState(s)) values[a][a] = s.sums.count >= 2 && s.sums.m2 > 0 && Number.isFinite(s.sums.m2) ? 1 : null;
      for (let b = a + 1; b < k; b++) {
        const p = this.pairs[a][b - a - 1];
        const d = Math.sqrt(p.cxx * p.cyy);
        const r = p.n < 2 || d === 0 ? NaN : Math.max(-1, Math.min(1, p.cxy / d));
        const v = Number.isFinite(r) ? r : null;
        if (b < shown) values[a][b] = values[b][a] = v;
        if (v !== null) strongest.offer(names[a], names[b], v);
      }
    }
    // Past MAX_PAIRED_COLUMNS the strongest pairs are those among the first of them; the count says how many there are.
    const numericColumns = this.states.filter((s) => s.kind === 'numeric').length;
    return { columns: names.slice(0, shown), values, numericColumns, strongest: strongest.pairs };
  }

  private targetProfile(columns: ColumnProfile[], sample: Frame, rows: number): TargetProfile {
    const name = this.target!;
    const t = columns[this.targetIndex];
    const s = this.states[this.targetIndex];
    const classify = s.kind === 'string' || s.kind === 'boolean' || (s.kind === 'numeric' && s.integer && !this.targetValuesOverflow);
    if (!classify) return { column: name, task: 'regression', histogram: t.histogram };
    // Exact class counts, in the order the in-memory profile gives them (count, then first appearance).
    let classes: TopValue[];
    if (s.kind === 'string') classes = [...s.counts.counts].map(([value, count]) => ({ value, count }));
    else if (s.kind === 'boolean') classes = [{ value: 'False', count: s.counts[0] }, { value: 'True', count: s.counts[1] }].filter((c) => c.count > 0);
    else classes = [...this.targetValues].sort((a, b) => a[0] - b[0]).map(([v, count]) => ({ value: String(v), count }));
    classes.sort((a, b) => b.count - a.count);
    const imbalance = imbalanceOf(classes);
    // A target with more categories than the sample keeps has no box plots or rates to draw.
    const fromSample: Partial<TargetProfile> = sample.columns.some((c) => c.name === name) ? profileTarget(sample, name) : {};
    // The sample's rates count its classes in its own order; put them in the exact classes' order.
    const order = (fromSample.classes ?? []).map((c) => c.value);
    const rates = fromSample.rates?.map((r) => ({
      feature: r.feature,
      categories: r.categories.map((cat) => ({ ...cat, counts: classes.map((c) => { const i = order.indexOf(c.value); return i < 0 ? 0 : cat.counts[i]; }) })),
    }));
    const out: TargetProfile = { column: name, task: 'classification', classes, imbalance, boxplots: fromSample.boxplots, rates };
    if (sample.rows < rows) out.sampleRows = sample.rows;
    return out;
  }
}

/**
 * A uniform sample of whole rows (Algorithm R over the chunks), for what needs rows together: the
 * target's box plots and rates, Cramér's V. Numbers, booleans and categories with at most
 * MAX_SAMPLE_CATEGORIES values (others could not be drawn as rates or associations anyway).
 */
const MAX_SAMPLE_CATEGORIES = 1000;

type SampleColumn =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'boolean'; values: Uint8Array }
  | { kind: 'string'; codes: Int32Array; dictionary: string[]; index: Map<string, number> }
  | undefined;

class RowSample {
  private seen = 0;
  private w = 0;
  private next = 0;
  private readonly rand = rng(7);
  private readonly cols: SampleColumn[];
  constructor(kinds: ValueKind[], private readonly k: number, target: number) {
    this.cols = kinds.map((kind, c): SampleColumn => {
      if (kind === 'numeric') return { kind, values: new Float64Array(k) };
      if (kind === 'boolean') return { kind, values: new Uint8Array(k) };
      if (kind === 'string' || c === target) return { kind: 'string', codes: new Int32Array(k), dictionary: [], index: new Map() };
      return undefined;
    });
  }

  add(frame: Frame): void {
    // Algorithm L, as Reservoir: the first k rows fill the sample, then skips drawn between entries.
    const rows: number[] = [], slots: number[] = [];
    const skip = () => Math.floor(Math.log(this.rand()) / Math.log(1 - this.w));
    for (let i = 0; i < frame.rows; ) {
      if (this.seen < this.k) {
        rows.push(i++);
        slots.push(this.seen++);
        if (this.seen === this.k) {
          this.w = Math.exp(Math.log(this.rand()) / this.k);
          this.next = this.k + skip();
        }
        continue;
      }
      // Rows before the next entry are passed over at once.
      const to = Math.min(frame.rows, i + (this.next - this.seen));
      this.seen += to - i;
      i = to;
      if (i >= frame.rows) break;
      rows.push(i++);
      slots.push(Math.floor(this.rand() * this.k));
      this.w *= Math.exp(Math.log(this.rand()) / this.k);
      this.next = this.seen + skip() + 1;
      this.seen++;
    }
    this.cols.forEach((s, c) => {
      if (!s) return;
      const col = frame.columns[c];
      if (s.kind === 'string') {
        if (col.kind !== 'categorical' && col.kind !== 'text') throw kindChanged(col);
        const sc = col;
        const remap = new Int32Array(sc.dictionary.length).fill(-2);
        for (let j = 0; j < rows.length; j++) {
          const code = sc.codes[rows[j]];
          if (code === CODE_MISSING) {
            s.codes[slots[j]] = CODE_MISSING;
            continue;
          }
          if (remap[code] === -2) {
            const text = sc.dictionary[code];
            let g = s.index.get(text);
            if (g === undefined) {
              g = s.dictionary.length;
              s.dictionary.push(text);
              s.index.set(text, g);
            }
            remap[code] = g;
          }
          s.codes[slots[j]] = remap[code];
        }
        if (s.dictionary.length > MAX_SAMPLE_CATEGORIES) this.cols[c] = undefined;
      } else {
        if ('codes' in col) throw kindChanged(col);
        const values = col.values;
        for (let j = 0; j < rows.length; j++) s.values[slots[j]] = values[rows[j]];
      }
    });
  }

  /** The sample as a Frame, its columns of the kinds the whole file's profile settled on. */
  frame(source: string, profiles: ColumnProfile[], integer: boolean[]): Frame {
    const n = Math.min(this.seen, this.k);
    const columns: Column[] = [];
    this.cols.forEach((s, c) => {
      if (!s) return;
      const name = profiles[c].name;
      if (s.kind === 'numeric') columns.push({ kind: 'numeric', name, length: n, values: s.values.subarray(0, n), integer: integer[c] });
      else if (s.kind === 'boolean') columns.push({ kind: 'boolean', name, length: n, values: s.values.subarray(0, n) });
      else columns.push({ kind: profiles[c].type === 'text' ? 'text' : 'categorical', name, length: n, codes: s.codes.subarray(0, n), dictionary: s.dictionary });
    });
    return { source, rows: n, columns, warnings: [] };
  }
}
