// The profile on two threads: a worker thread takes the passes over whole rows (duplicate rows,
// correlations) and, to balance the load, some numeric columns' statistics, while this thread
// does the rest. Only when the columns already live in SharedArrayBuffers (the parallel reader's
// output), so that the worker reads them in place, with no copy.
import type { Column, Frame } from '../frame';
import type { Worker } from 'node:worker_threads';
import { runInThread, workerScript } from '../threads';
import { alertsFor } from './alerts';
import { correlationNote, profileFrame, ProfileOptions, typeCountsOf } from './profile';
import type { ColumnProfile, Correlations, Profile } from './types';

const MIN_ROWS = 200_000;

export interface WorkerJob {
  columns: Column[];
  rows: number;
  /** Whether the worker computes the correlations (else this thread does). */
  correlations: boolean;
  /** Indices of the columns whose statistics the worker computes. */
  profileColumns: number[];
  exactQuantileLimit: number;
  topValues: number;
  sketchSize: number;
}

export interface WorkerResult {
  duplicateRows: number;
  correlations?: Correlations;
  columns: [number, ColumnProfile][];
}

function shared(c: Column): boolean {
  const data = 'codes' in c ? c.codes : c.values;
  return data.buffer instanceof SharedArrayBuffer;
}

/**
 * Rough costs, in units of one numeric column's statistics (about 80 ms for 3M rows), measured on
 * flights_3m: a string column's counts 0.2; duplicate rows 0.8 a column (332 ms for 5 columns);
 * correlations, a pass per numeric column and a dot product per pair (95 ms for one pair).
 */
const cost = (c: Column) => (c.kind === 'numeric' || c.kind === 'datetime' ? 1 : 0.2);
const duplicatesCost = (columns: Column[]) => 0.8 * columns.length;
function correlationsCost(columns: Column[]): number {
  const k = columns.filter((c) => c.kind === 'numeric').length;
  return k < 2 ? 0 : 0.6 * k + 0.1 * ((k * (k - 1)) / 2);
}

/**
 * The worker's share: duplicate rows always; correlations unless they would make its share the
 * larger (flights_3m: this thread 270 ms, the worker 430 ms with them, so they moved here); then
 * the numeric columns, from the last, that bring its share closest to half.
 */
function splitWork(columns: Column[]): { correlations: boolean; profileColumns: number[] } {
  const dup = duplicatesCost(columns), corr = correlationsCost(columns);
  const total = dup + corr + columns.reduce((s, c) => s + cost(c), 0);
  const half = total / 2 + 0.5;
  const correlations = dup + corr <= half;
  const picked: number[] = [];
  let worker = dup + (correlations ? corr : 0);
  for (let i = columns.length - 1; i >= 0; i--) {
    const c = columns[i];
    if (cost(c) < 1) continue;
    if (worker + cost(c) > half) break;
    picked.push(i);
    worker += cost(c);
  }
  return { correlations, profileColumns: picked };
}

/** Whether profileFrameParallel will use its worker for a frame of `rows` rows read into shared memory. */
export const profilesInParallel = (rows: number): boolean => rows >= MIN_ROWS;

/** `started`: the worker thread, started earlier (startThread) to overlap its start-up with the read. */
export async function profileFrameParallel(frame: Frame, options: ProfileOptions = {}, started?: Worker): Promise<Profile> {
  if (!profilesInParallel(frame.rows) || !frame.columns.every(shared)) {
    void started?.terminate();
    return profileFrame(frame, options);
  }
  const t0 = performance.now();
  const { correlations, profileColumns } = splitWork(frame.columns);
  const job: WorkerJob = {
    correlations,
    // Row equality needs codes only; the worker's own columns keep their dictionaries.
    columns: frame.columns.map((c, i) => ('codes' in c && !profileColumns.includes(i) ? { ...c, dictionary: [] } : c)),
    rows: frame.rows,
    profileColumns,
    exactQuantileLimit: options.exactQuantileLimit ?? 50_000_000,
    topValues: options.topValues ?? 10,
    sketchSize: options.sketchSize ?? 1_000_000,
  };
  // Posted now; this thread profiles its share while the worker does its own.
  const stop = new AbortController();
  const fromWorker = runInThread<WorkerJob, WorkerResult>(workerScript('profileWorker'), job, { what: 'profile', signal: stop.signal, started });
  const placeholder = new Map(profileColumns.map((i) => [i, {} as ColumnProfile]));
  let profile: Profile;
  try {
    const none: Correlations = { columns: [], values: [], numericColumns: 0, strongest: [] };
    profile = profileFrame(frame, { ...options, precomputed: { duplicateRows: 0, correlations: correlations ? none : undefined, columns: placeholder } });
  } catch (e) {
    stop.abort(); // this thread's share failed: the worker's is not wanted
    fromWorker.catch(() => undefined);
    throw e;
  }
  const result = await fromWorker;
  profile.duplicateRows = result.duplicateRows;
  if (result.correlations) {
    profile.correlations = result.correlations;
    const note = correlationNote(result.correlations);
    if (note) profile.warnings.push(note);
  }
  for (const [i, c] of result.columns) profile.columns[i] = c;
  // Counted again: this thread's count saw the worker's columns as placeholders.
  profile.typeCounts = typeCountsOf(profile.columns);
  profile.missingCells = profile.columns.reduce((n, c) => n + c.missing, 0);
  profile.missingCellsPct = (100 * profile.missingCells) / (frame.rows * frame.columns.length);
  profile.alerts = alertsFor(profile);
  profile.timings.profileMs = performance.now() - t0;
  return profile;
}
