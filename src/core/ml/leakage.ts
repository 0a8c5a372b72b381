// Leakage checks before training, which no anchor tool gives: what makes a model look better in
// its run than it will be on new rows. Each is a warning, not a refusal (a perfectly separating
// feature can be legitimate); a session records them in its warnings (the CLI and the results
// panel show them) and, as data, in the mlworkbench.leakage tag.
// - a feature that alone predicts the target almost perfectly on the training split: single-
//   feature ROC AUC ≥ 0.99 (either direction; multiclass: every class against the rest) or
//   |r| ≥ 0.99, or an input column each of whose values names one class on 99% of the rows;
// - a feature computed from the target itself: a rolling window with includeCurrent, an
//   aggregate, a formula, polynomial terms or bins of the target column (target encoding and lags
//   of the target read only other rows' targets, and are not flagged);
// - test rows that repeat a training row exactly (every column of the file);
// - a numeric feature that looks like a row identifier (distinct whole numbers, named like an id).
import type { Frame } from '../frame';
import { CODE_MISSING, isMissingAt } from '../frame';
import { pearson } from '../profile/stats';
import { looksLikeId } from '../profile/profile';
import type { TrainTestData } from './dataset';

export interface LeakageAlert {
  kind: 'predictive-feature' | 'from-target' | 'duplicate-rows' | 'id-like';
  columns: string[];
  message: string;
  /** The file's columns that dropping would remove it with (none when a feature step makes it, or for duplicate rows). */
  drop?: string[];
}

export const LEAKAGE_AUC = 0.99;
export const LEAKAGE_R = 0.99;
/** Beyond this many feature × class pairs only the first are checked (a wide one-hot file). */
const MAX_PAIRS = 5000;

function predictiveFeatures(data: TrainTestData): LeakageAlert[] {
  const { Xtrain: X, ytrain: y, target } = data;
  const names = data.preprocessor.state!.outputNames;
  const classes = target.task === 'classification' ? (target.labels!.length === 2 ? [1] : target.labels!.map((_, c) => c)) : [];
  const alertFor = (j: number, column: Float64Array): LeakageAlert | undefined => {
    if (target.task === 'regression') {
      const r = pearson(column, y as Float64Array);
      return Math.abs(r) >= LEAKAGE_R ? { kind: 'predictive-feature', columns: [names[j]], message: `feature "${names[j]}" alone predicts the target "${data.targetName}" on the training split (r = ${r.toFixed(3)}): is it computed from the target, or recorded after it?` } : undefined;
    }
    // Binary: its ROC AUC either way; multiclass: every class against the rest (one class alone
    // apart, as Gentoo penguins by flipper length, is biology, not a leak). From the column's
    // ranks, sorted once for every class (Mann–Whitney: ties count a half, as roc_auc_score):
    // an AUC per class from roc curves took 2 s on letter's 16 features × 26 classes.
    const few = fewValueRankSums(column, y, target.labels!.length);
    const ranks = few ? undefined : averageRanks(column);
    let worst = 1;
    for (const c of classes) {
      let positives = 0, rankSum = 0;
      if (few) {
        positives = few.positives[c];
        rankSum = few.rankSums[c];
      } else {
        for (let i = 0; i < ranks!.length; i++) if (y[i] === c) {
          positives++;
          rankSum += ranks![i];
        }
      }
      const negatives = X.rows - positives;
      const auc = positives && negatives ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives) : 0.5;
      worst = Math.min(worst, Math.max(auc, 1 - auc));
    }
    if (worst < LEAKAGE_AUC) return undefined;
    const which = classes.length > 1 ? ' (each class against the rest)' : '';
    return { kind: 'predictive-feature', columns: [names[j]], message: `feature "${names[j]}" alone separates the classes of "${data.targetName}" on the training split${which} (ROC AUC ${worst.toFixed(3)}): is it computed from the target, or recorded after it?` };
  };
  const out: LeakageAlert[] = [];
  const checked = Math.min(X.cols, Math.ceil(MAX_PAIRS / Math.max(1, classes.length)));
  // Columns are copied out of the row-major matrix BLOCK at a time, in one pass over its rows: a
  // pass per column read a cache line per value (mpls_stops: 120 passes over 33 MB).
  const BLOCK = 16;
  const block = Array.from({ length: Math.min(BLOCK, checked) }, () => new Float64Array(X.rows));
  for (let j0 = 0; j0 < checked; j0 += BLOCK) {
    const width = Math.min(BLOCK, checked - j0);
    for (let i = 0; i < X.rows; i++) {
      const row = i * X.cols + j0;
      for (let b = 0; b < width; b++) block[b][i] = X.data[row + b];
    }
    for (let b = 0; b < width; b++) {
      const alert = alertFor(j0 + b, block[b]);
      if (alert) out.push(alert);
    }
  }
  return out;
}

/**
 * Each value's rank from 1, ties sharing their average rank. The values are sorted as numbers (a
 * native sort, no comparator), each run of equal values gets its average rank, and each value finds
 * its run by binary search. An index sort with a comparator took 1.1 s of a fresh
 * `mlw train --models rf` on mpls_stops (150 mostly one-hot columns × 41,000 rows); this, 0.1 s.
 */
export function averageRanks(x: Float64Array): Float64Array {
  const n = x.length;
  const few = fewValueRanks(x);
  if (few) return few;
  const sorted = Float64Array.from(x).sort();
  if (n && sorted[n - 1] !== sorted[n - 1]) {
    // NaN sorts last and equals nothing: each NaN its own rank, after every number, in row order.
    const out = new Float64Array(n);
    const numbers = x.filter((v) => v === v);
    const r = averageRanks(numbers);
    for (let i = 0, k = 0, nan = numbers.length; i < n; i++) out[i] = x[i] === x[i] ? r[k++] : ++nan;
    return out;
  }
  const values: number[] = [], rank: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    values.push(sorted[i]);
    rank.push((i + j) / 2 + 1);
    i = j + 1;
  }
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    let lo = 0, hi = values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = rank[lo];
  }
  return ranks;
}

/**
 * For a column of at most 16 distinct numbers (a one-hot column, a flag, a small count) and class
 * labels 0..k-1: each class's rows and the sum of their average ranks, from a count of rows per
 * value and class rather than a rank per row; undefined for any other column. The same sums as
 * from averageRanks (half-integers, added exactly either way). mpls_stops' 115 one-hot columns: the
 * ranks per row took ~70% of the leakage check, which runs beside the forest's threads.
 */
export function fewValueRankSums(x: Float64Array, y: ArrayLike<number>, k: number): { positives: Float64Array; rankSums: Float64Array } | undefined {
  const few = fewValueSlots(x);
  if (!few) return undefined;
  const { values, slot } = few;
  const table = new Float64Array(values.length * k);
  for (let i = 0; i < x.length; i++) table[slot[i] * k + y[i]]++;
  const positives = new Float64Array(k), rankSums = new Float64Array(k);
  let below = 0;
  for (const s of ascending(values)) {
    let rows = 0;
    for (let c = 0; c < k; c++) rows += table[s * k + c];
    const rank = below + (rows + 1) / 2;
    for (let c = 0; c < k; c++) {
      positives[c] += table[s * k + c];
      rankSums[c] += table[s * k + c] * rank;
    }
    below += rows;
  }
  return { positives, rankSums };
}

/**
 * averageRanks for a column of at most 16 distinct numbers (a one-hot column, a flag, a small
 * count), counted instead of sorted; undefined for any other. mpls_stops' 150 columns: sorting
 * them all took 0.25 s of a fresh mlw train, this 0.02 s.
 */
function fewValueRanks(x: Float64Array): Float64Array | undefined {
  const few = fewValueSlots(x);
  if (!few) return undefined;
  const { values, slot } = few;
  const counts = new Float64Array(values.length);
  for (let i = 0; i < x.length; i++) counts[slot[i]]++;
  // Each value's average rank from the counts below it.
  const rankOf = new Float64Array(values.length);
  let below = 0;
  for (const k of ascending(values)) {
    rankOf[k] = below + (counts[k] + 1) / 2;
    below += counts[k];
  }
  const ranks = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) ranks[i] = rankOf[slot[i]];
  return ranks;
}

/** A column's distinct numbers in order of first appearance and each row's index among them; undefined past 16 of them or at a NaN. */
function fewValueSlots(x: Float64Array): { values: number[]; slot: Uint8Array } | undefined {
  const values: number[] = [];
  const slot = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let k = 0;
    while (k < values.length && values[k] !== v) k++;
    if (k === values.length) {
      if (k === 16 || v !== v) return undefined;
      values.push(v);
    }
    slot[i] = k;
  }
  return { values, slot };
}

/** The indices of `values` in ascending order of value. */
const ascending = (values: number[]): number[] => values.map((_, k) => k).sort((a, b) => values[a] - values[b]);

/**
 * An input column whose every value names one class (a copy of the target under another name, as
 * text or codes), which per-column AUCs of its one-hot columns miss for a multiclass target: at
 * most MAX_CODES distinct values on the training rows, each row's class that of its value's
 * majority on 99% of the rows.
 */
const MAX_CODES = 100;
function classCodes(frame: Frame, data: TrainTestData, flagged: Set<string>): LeakageAlert[] {
  if (data.target.task !== 'classification') return [];
  const k = data.target.labels!.length;
  const classAt = new Int32Array(frame.rows);
  data.target.rows.forEach((r, i) => (classAt[r] = data.target.y[i]));
  const out: LeakageAlert[] = [];
  for (const f of data.preprocessor.inputs()) {
    if (flagged.has(f.column) || f.kind === 'datetime') continue;
    const c = frame.columns.find((x) => x.name === f.column);
    if (!c) continue;
    // Rows per value and class, a value keyed by its code or number (not a string per row: a
    // third of the leakage check on mpls_stops). A missing value is one more value; it shares the
    // empty string's code, as the two read alike.
    const empty = 'codes' in c ? c.dictionary.indexOf('') : -1;
    const counts = new Map<number, Float64Array>();
    for (const r of data.trainRows) {
      const v = 'codes' in c ? (c.codes[r] === CODE_MISSING ? empty : c.codes[r]) : isMissingAt(c, r) ? NaN : c.values[r];
      let m = counts.get(v);
      if (!m) counts.set(v, (m = new Float64Array(k)));
      if (counts.size > MAX_CODES) break;
      m[classAt[r]]++;
    }
    if (counts.size > MAX_CODES || counts.size < 2) continue;
    let agree = 0;
    for (const m of counts.values()) agree += Math.max(...m);
    const share = agree / data.trainRows.length;
    if (share >= LEAKAGE_AUC) out.push({ kind: 'predictive-feature', columns: [f.column], message: `column "${f.column}" names the class of "${data.targetName}" on ${(100 * share).toFixed(1)}% of the training rows (each of its ${counts.size} values one class): is it the target under another name?` });
  }
  return out;
}

function fromTarget(data: TrainTestData): LeakageAlert[] {
  const t = data.targetName;
  const out: LeakageAlert[] = [];
  for (const step of data.features.steps) {
    if (!step.inputColumns().some((c) => c.name === t)) continue;
    const p = step.params as { column?: string; includeCurrent?: boolean };
    // Lags, and windows of the previous rows, read other rows' targets: history, not the answer.
    if (step.type === 'lag' || (step.type === 'rolling' && !(p.column === t && p.includeCurrent))) continue;
    const names = step.outputNames();
    const why = step.type === 'rolling' ? 'a rolling window that includes the current row' : `a ${step.type} step`;
    out.push({ kind: 'from-target', columns: names, message: `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} computed from the target "${t}" itself (${why}): the model sees the answer; drop the step or read another column` });
  }
  return out;
}

/**
 * Test rows equal to a training row in every column. Rows are hashed from their values (numbers'
 * bits, categories' codes) and a hash match is confirmed column by column: a string per row made
 * this pass take seconds on millions of rows, in every session.
 */
function duplicateRows(frame: Frame, data: TrainTestData): LeakageAlert[] {
  const cols = frame.columns;
  const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
  const hash = (r: number): number => {
    let h1 = 0x811c9dc5, h2 = 0x01000193;
    for (const c of cols) {
      let a: number, b = 0;
      if ('codes' in c) a = c.codes[r];
      else if (c.kind === 'boolean') a = c.values[r];
      else {
        f64[0] = c.values[r] === c.values[r] ? c.values[r] : NaN; // every NaN alike
        [a, b] = [u32[0], u32[1]];
      }
      h1 = Math.imul(h1 ^ a, 0x01000193) ^ Math.imul(b, 0x85ebca6b);
      h2 = Math.imul(h2 + a, 0xc2b2ae35) + Math.imul(h2 ^ b, 0x27d4eb2f);
    }
    return (h1 >>> 0) * 2 ** 21 + ((h2 >>> 0) & 0x1fffff);
  };
  const same = (r: number, s: number) => cols.every((c) => {
    if ('codes' in c) return c.codes[r] === c.codes[s];
    const x = c.values[r], y = c.values[s];
    return x === y || (x !== x && y !== y);
  });
  const train = new Map<number, number[]>();
  for (const r of data.trainRows) {
    const k = hash(r);
    const list = train.get(k);
    if (list) list.push(r);
    else train.set(k, [r]);
  }
  let repeated = 0;
  for (const r of data.testRows) if (train.get(hash(r))?.some((s) => same(r, s))) repeated++;
  if (repeated === 0) return [];
  return [{ kind: 'duplicate-rows', columns: [], message: `${repeated} of ${data.testRows.length} test rows repeat a training row exactly: their scores measure memory, not prediction; drop duplicate rows before training` }];
}

function idLike(frame: Frame, data: TrainTestData): LeakageAlert[] {
  const out: LeakageAlert[] = [];
  for (const f of data.preprocessor.inputs()) {
    if (f.kind !== 'numeric') continue;
    const c = frame.columns.find((x) => x.name === f.column);
    if (!c || c.kind !== 'numeric' || !c.integer) continue;
    const seen = new Set<number>();
    let count = 0;
    for (const r of data.trainRows) {
      const v = c.values[r];
      if (v !== v) continue;
      count++;
      seen.add(v);
    }
    if (count > 1 && seen.size === count && looksLikeId(c.name, count, data.trainRows.length)) {
      out.push({ kind: 'id-like', columns: [c.name], message: `column "${c.name}" looks like a row identifier (a distinct whole number on every row): a model can learn the order rows were recorded in; drop it` });
    }
  }
  return out;
}

export function leakageAlerts(frame: Frame, data: TrainTestData): LeakageAlert[] {
  const inputs = data.preprocessor.inputs();
  const inputOf = (output: string) => inputs.find((f) => output === f.column || output.startsWith(`${f.column}=`) || output.startsWith(`${f.column}.`))?.column ?? output;
  // An input column is named once, through its first output that gives it away: a two-valued
  // category's one-hot columns ("note=S", "note=D") are one leak, and its values are not checked again.
  const flagged = new Set<string>();
  const predictive = predictiveFeatures(data).filter((a) => !flagged.has(inputOf(a.columns[0])) && flagged.add(inputOf(a.columns[0])));
  const alerts = [...fromTarget(data), ...predictive, ...classCodes(frame, data, flagged), ...duplicateRows(frame, data), ...idLike(frame, data)];
  // What the user can drop: the file's own columns behind an alert, not columns a step makes.
  const made = new Set(data.features.outputNames());
  const own = new Set(frame.columns.map((c) => c.name).filter((n) => !made.has(n)));
  for (const a of alerts) {
    const drop = [...new Set(a.columns.map(inputOf))].filter((c) => own.has(c));
    if (drop.length && a.kind !== 'from-target') a.drop = drop;
  }
  return alerts;
}
