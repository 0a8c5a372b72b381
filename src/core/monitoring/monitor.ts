// Prediction monitoring from a serving log (the JSON lines mlw serve and the FastAPI scaffold write,
// format in src/core/serving/server.ts): per time window, requests, latency p50/p95/p99, the
// predicted classes (or the predicted values' spread), input drift against the model's training
// reference, and, where labels are joined by request id or a key column, accuracy (or RMSE) with a
// 95% interval; then alert rules over consecutive windows. The log is streamed line by line: a
// window keeps counts, its latencies and a seeded sample of at most 10,000 values per input column
// (category counts exact), never the lines, so a log of any size is read in bounded memory.
import { rng } from '../ml/random';
import { driftReport } from './drift';
import { Labels, labelOf, readPredictionLog, SkippedLines } from './log';
import { REFERENCE_SAMPLE, ReferenceColumn, TrainingReference } from './reference';
import { wilson, Z95 } from './tests';

/** The window metrics a rule can watch. */
export const MONITOR_METRICS = ['accuracy', 'rmse', 'latencyP50', 'latencyP95', 'latencyP99', 'driftedShare', 'requests'] as const;
export type MonitorMetric = (typeof MONITOR_METRICS)[number];

/** An alert: the metric below or above a bound for `windows` windows in a row (1 by default). */
export interface MonitorRule {
  metric: MonitorMetric;
  below?: number;
  above?: number;
  windows?: number;
}

export interface MonitorOptions {
  /** The window's length in milliseconds. */
  windowMs: number;
  /** The model's training reference, for input drift per window. */
  reference?: { source: string; reference: TrainingReference };
  labels?: Labels;
  /** The input field that keys the labels, when not the request id. */
  idField?: string;
  rules?: MonitorRule[];
  /** Rows a window needs before its input drift is tested (30). */
  minDriftRows?: number;
  /** Read only these variants' lines (an A/B log), all when absent. */
  variant?: string;
}

export interface MonitorWindow {
  start: string;
  end: string;
  requests: number;
  rows: number;
  latencyMs: { p50: number; p95: number; p99: number };
  predictions: { kind: 'classes'; counts: Record<string, number> } | { kind: 'values'; mean: number; p5: number; p50: number; p95: number };
  drift: { driftedShare: number; drifted: string[]; columns: number } | null;
  /** Rows with a joined label. */
  labelled: number;
  accuracy?: { value: number; ci95: [number, number] };
  rmse?: { value: number; ci95: [number, number] };
  /** Rows per A/B variant, where lines name one. */
  variants?: Record<string, number>;
}

export interface Breach {
  rule: string;
  metric: MonitorMetric;
  /** The windows in a row that broke the rule (their starts), the last one the breach's. */
  windows: string[];
  value: number;
}

export interface MonitorReport {
  log: string;
  windowMs: number;
  model?: { runId?: string; version?: string };
  lines: number;
  /** Lines that are not prediction log lines: how many, and the first few with why. */
  skippedLines: number;
  skipped: { line: number; reason: string }[];
  reference?: string;
  labels?: { file: string; column: string; joined: number; of: number };
  windows: MonitorWindow[];
  rules: MonitorRule[];
  breaches: Breach[];
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30s", "15m", "1h", "1d", "1w" → milliseconds. */
export function parseWindow(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new Error(`a window is a number and a unit: 30s, 15m, 1h, 1d or 1w (got "${text}")`);
  return Number(m[1]) * UNITS[m[2]];
}

/** numpy's default percentile (linear interpolation) of sorted values. */
function percentile(sorted: ArrayLike<number>, q: number): number {
  if (!sorted.length) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
}


/** One window's running state. */
class WindowState {
  requests = 0;
  rows = 0;
  latencies: number[] = [];
  classes = new Map<string, number>();
  /** Predicted values (regression): a reservoir sample. */
  predicted = { seen: 0, sample: [] as number[] };
  valueCount = 0;
  valueSum = 0;
  labelled = 0;
  correct = 0;
  sqErrSum = 0;
  sqErrSqSum = 0;
  variants = new Map<string, number>();
  /** Input samples per reference column: reservoir for numbers, counts for categories. */
  numbers = new Map<string, { seen: number; sample: number[] }>();
  counts = new Map<string, { count: number; counts: Record<string, number> }>();
  private readonly rand: () => number;

  constructor(readonly start: number, seed: number) {
    this.rand = rng(seed);
  }

  /** Algorithm R: each of the `seen` values stays with probability k/seen. */
  reservoir(into: { seen: number; sample: number[] }, v: number, k = REFERENCE_SAMPLE): void {
    into.seen++;
    if (into.sample.length < k) into.sample.push(v);
    else {
      const j = Math.floor(this.rand() * into.seen);
      if (j < k) into.sample[j] = v;
    }
  }
}

/** The kinds of input the reference compares, by column. */
const kindsOf = (ref?: TrainingReference) => new Map((ref?.columns ?? []).map((c) => [c.name, c.kind]));

/**
 * Reads the log line by line (log.ts: any size; malformed lines counted and the first 20 named by
 * line number) and reports each window.
 */
export async function monitorLog(file: string, o: MonitorOptions, signal?: AbortSignal): Promise<MonitorReport> {
  const windows = new Map<number, WindowState>();
  const kinds = kindsOf(o.reference?.reference);
  const skipped = new SkippedLines();
  let lines = 0, lastRequest = '', joined = 0;
  let model: MonitorReport['model'];
  for await (const { entry: l } of readPredictionLog(file, skipped)) {
    lines++;
    if (signal?.aborted) throw new Error('cancelled');
    if (o.variant !== undefined && l.variant !== o.variant) continue;
    model ??= l.model && { ...(l.model.runId ? { runId: l.model.runId } : {}), ...(l.model.version ? { version: l.model.version } : {}) };
    const start = Math.floor(Date.parse(l.timestamp) / o.windowMs) * o.windowMs;
    let w = windows.get(start);
    if (!w) windows.set(start, (w = new WindowState(start, 42 + windows.size)));
    w.rows++;
    // The lines of one request carry its latency once each: counted once.
    if (l.requestId !== lastRequest || l.row === 0) {
      w.requests++;
      w.latencies.push(l.latencyMs);
      lastRequest = l.requestId;
    }
    if (l.variant !== undefined) w.variants.set(String(l.variant), (w.variants.get(String(l.variant)) ?? 0) + 1);
    const p = l.outputs.prediction;
    if (typeof p === 'number') {
      w.valueCount++;
      w.valueSum += p;
      w.reservoir(w.predicted, p);
    } else w.classes.set(String(p), (w.classes.get(String(p)) ?? 0) + 1);
    const inputs = l.inputs ?? {};
    for (const [name, kind] of kinds) {
      const v = inputs[name];
      if (v === null || v === undefined || v === '') continue;
      if (kind === 'numeric') {
        const x = typeof v === 'number' ? v : Number(v);
        if (!Number.isFinite(x)) continue;
        let s = w.numbers.get(name);
        if (!s) w.numbers.set(name, (s = { seen: 0, sample: [] }));
        w.reservoir(s, x);
      } else {
        const key = typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
        let c = w.counts.get(name);
        if (!c) w.counts.set(name, (c = { count: 0, counts: {} }));
        c.count++;
        c.counts[key] = (c.counts[key] ?? 0) + 1;
      }
    }
    const label = o.labels && labelOf(o.labels, o.idField, l);
    if (label !== undefined) {
      joined++;
      w.labelled++;
      if (typeof p === 'number') {
        const e2 = (p - Number(label)) ** 2;
        w.sqErrSum += e2;
        w.sqErrSqSum += e2 * e2;
      } else if (String(p) === String(label)) w.correct++;
    }
  }
  const out = [...windows.values()].sort((a, b) => a.start - b.start).map((w) => windowReport(w, o));
  const rules = o.rules ?? [];
  return {
    log: file, windowMs: o.windowMs, ...(model ? { model } : {}), lines, skippedLines: skipped.count, skipped: skipped.first,
    ...(o.reference ? { reference: o.reference.source } : {}),
    ...(o.labels ? { labels: { file: o.labels.file, column: o.labels.column, joined, of: out.reduce((s, w) => s + w.rows, 0) } } : {}),
    windows: out, rules, breaches: breaches(out, rules),
  };
}

function windowReport(w: WindowState, o: MonitorOptions): MonitorWindow {
  const lat = Float64Array.from(w.latencies).sort();
  const out: MonitorWindow = {
    start: new Date(w.start).toISOString(), end: new Date(w.start + o.windowMs).toISOString(), requests: w.requests, rows: w.rows,
    latencyMs: { p50: percentile(lat, 0.5), p95: percentile(lat, 0.95), p99: percentile(lat, 0.99) },
    predictions: w.valueCount
      ? (() => {
        const v = Float64Array.from(w.predicted.sample).sort();
        return { kind: 'values' as const, mean: w.valueSum / w.valueCount, p5: percentile(v, 0.05), p50: percentile(v, 0.5), p95: percentile(v, 0.95) };
      })()
      : { kind: 'classes' as const, counts: Object.fromEntries([...w.classes].sort((a, b) => b[1] - a[1])) },
    drift: null,
    labelled: w.labelled,
  };
  if (w.variants.size) out.variants = Object.fromEntries(w.variants);
  if (o.reference && w.rows >= (o.minDriftRows ?? 30)) {
    const columns: ReferenceColumn[] = [];
    for (const c of o.reference.reference.columns) {
      if (c.kind === 'numeric') {
        const s = w.numbers.get(c.name);
        if (s?.sample.length) columns.push({ name: c.name, kind: 'numeric', count: s.seen, sample: s.sample });
      } else {
        const s = w.counts.get(c.name);
        if (s?.count) columns.push({ name: c.name, kind: 'categorical', count: s.count, counts: s.counts });
      }
    }
    if (columns.length) {
      const report = driftReport(o.reference, { source: `the window from ${out.start}`, reference: { version: 1, rows: w.rows, seed: 42, columns } });
      out.drift = { driftedShare: report.driftedShare, drifted: report.columns.filter((c) => c.drifted).map((c) => c.name), columns: report.columns.length };
    }
  }
  if (w.labelled) {
    if (w.valueCount) {
      const mse = w.sqErrSum / w.labelled;
      // A normal interval on the mean squared error, its bounds' square roots.
      const sd = w.labelled > 1 ? Math.sqrt(Math.max(0, (w.sqErrSqSum - w.labelled * mse * mse) / (w.labelled - 1))) : 0;
      const half = (Z95 * sd) / Math.sqrt(w.labelled);
      out.rmse = { value: Math.sqrt(mse), ci95: [Math.sqrt(Math.max(0, mse - half)), Math.sqrt(mse + half)] };
    } else out.accuracy = { value: w.correct / w.labelled, ci95: wilson(w.correct, w.labelled) };
  }
  return out;
}

/** A window's value of a rule's metric, or undefined where the window has none (no labels, too few rows). */
export function metricOf(w: MonitorWindow, m: MonitorMetric): number | undefined {
  switch (m) {
    case 'accuracy': return w.accuracy?.value;
    case 'rmse': return w.rmse?.value;
    case 'latencyP50': return w.latencyMs.p50;
    case 'latencyP95': return w.latencyMs.p95;
    case 'latencyP99': return w.latencyMs.p99;
    case 'driftedShare': return w.drift?.driftedShare;
    case 'requests': return w.requests;
  }
}

export const ruleText = (r: MonitorRule) => `${r.metric} ${r.below !== undefined ? `below ${r.below}` : ''}${r.below !== undefined && r.above !== undefined ? ' or ' : ''}${r.above !== undefined ? `above ${r.above}` : ''}${(r.windows ?? 1) > 1 ? ` for ${r.windows} windows in a row` : ''}`;

/** Each run of `windows` consecutive windows breaking a rule is a breach (a longer run: one per window past the first N). */
export function breaches(windows: MonitorWindow[], rules: MonitorRule[]): Breach[] {
  const out: Breach[] = [];
  for (const r of rules) {
    const need = r.windows ?? 1;
    let streak: string[] = [];
    for (const w of windows) {
      const v = metricOf(w, r.metric);
      const broken = v !== undefined && ((r.below !== undefined && v < r.below) || (r.above !== undefined && v > r.above));
      if (!broken) {
        streak = [];
        continue;
      }
      streak.push(w.start);
      if (streak.length >= need) out.push({ rule: ruleText(r), metric: r.metric, windows: streak.slice(-need), value: v! });
    }
  }
  return out.sort((a, b) => (a.windows[a.windows.length - 1] < b.windows[b.windows.length - 1] ? -1 : 1));
}
