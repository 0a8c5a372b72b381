// The profile on two threads: a worker thread takes the passes over whole rows (duplicate rows,
// correlations) and, to balance the load, some numeric columns' statistics, while this thread
// does the rest. Only when the columns already live in SharedArrayBuffers (the parallel reader's
// output), so that the worker reads them in place, with no copy.
import type { Column, Frame } from '../frame';
import type { Worker } from 'node:worker_threads';
import { runInThread, workerScript } from '../threads';
import { alertsFor } from './alerts';
import { correlationNote, profileFrame, ProfileOptions } from './profile';
import type { ColumnProfile, Correlations, Profile } from './types';

const MIN_ROWS = 200_000;

export interface WorkerJob {
  columns: Column[];
  rows: number;
  /** Indices of the columns whose statistics the worker computes. */
  profileColumns: number[];
  exactQuantileLimit: number;
  topValues: number;
  sketchSize: number;
}

export interface WorkerResult {
  duplicateRows: number;
  correlations: Correlations;
  columns: [number, ColumnProfile][];
}

function shared(c: Column): boolean {
  const data = 'codes' in c ? c.codes : c.values;
  return data.buffer instanceof SharedArrayBuffer;
}

/** Rough cost of one column's statistics, in units of one numeric column. */
const cost = (c: Column) => (c.kind === 'numeric' || c.kind === 'datetime' ? 1 : 0.2);

/** The numeric columns, from the last, that bring the worker's share closest to half. */
function splitColumns(columns: Column[]): number[] {
  const numericCount = columns.filter((c) => c.kind === 'numeric').length;
  const rowPasses = 2 + 0.25 * numericCount; // duplicate rows + correlations
  const total = rowPasses + columns.reduce((s, c) => s + cost(c), 0);
  const picked: number[] = [];
  let worker = rowPasses;
  for (let i = columns.length - 1; i >= 0; i--) {
    const c = columns[i];
    if (cost(c) < 1) continue;
    if (worker + cost(c) > total / 2 + 0.5) break;
    picked.push(i);
    worker += cost(c);
  }
  return picked;
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
  const profileColumns = splitColumns(frame.columns);
  const job: WorkerJob = {
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
    profile = profileFrame(frame, { ...options, precomputed: { duplicateRows: 0, correlations: { columns: [], values: [], numericColumns: 0, strongest: [] }, columns: placeholder } });
  } catch (e) {
    stop.abort(); // this thread's share failed: the worker's is not wanted
    fromWorker.catch(() => undefined);
    throw e;
  }
  const result = await fromWorker;
  profile.duplicateRows = result.duplicateRows;
  profile.correlations = result.correlations;
  const note = correlationNote(result.correlations);
  if (note) profile.warnings.push(note);
  for (const [i, c] of result.columns) profile.columns[i] = c;
  for (const c of profile.columns) profile.typeCounts[c.type] = 0;
  for (const c of profile.columns) profile.typeCounts[c.type]++;
  profile.missingCells = profile.columns.reduce((n, c) => n + c.missing, 0);
  profile.missingCellsPct = (100 * profile.missingCells) / (frame.rows * frame.columns.length);
  profile.alerts = alertsFor(profile);
  profile.timings.profileMs = performance.now() - t0;
  return profile;
}
