// The profile on two threads: a worker thread counts duplicate rows, and both take the
// correlations and the numeric columns' statistics as they go (see sharedTasks), while this
// thread does the rest. Only when the columns already live in SharedArrayBuffers (the parallel
// reader's output), so that the worker reads them in place, with no copy.
import type { Column, Frame } from '../frame';
import type { Worker } from 'node:worker_threads';
import { runInThread, workerScript } from '../threads';
import { alertsFor } from './alerts';
import { duplicateRows } from './distinct';
import { correlationNote, numericCorrelations, profileColumn, profileFrame, ProfileOptions, typeCountsOf } from './profile';
import type { ColumnProfile, Correlations, Profile } from './types';

const MIN_ROWS = 200_000;

export interface WorkerJob {
  columns: Column[];
  rows: number;
  /** The shared tasks (see claimTasks), and their counter: an Int32Array(1) over a SharedArrayBuffer. */
  tasks: Task[];
  next: Int32Array;
  exactQuantileLimit: number;
  topValues: number;
  sketchSize: number;
}

export interface WorkerResult {
  duplicateRows: number;
  correlations?: Correlations;
  columns: [number, ColumnProfile][];
}

/** A task either thread may take: the correlations, or a numeric or datetime column's statistics (its index). */
export type Task = 'correlations' | number;

/** What a thread computed of the shared tasks. */
export interface Claimed {
  correlations?: Correlations;
  columns: Map<number, ColumnProfile>;
}

function shared(c: Column): boolean {
  const data = 'codes' in c ? c.codes : c.values;
  return data.buffer instanceof SharedArrayBuffer;
}

/**
 * The work is split as it goes, not by a cost model: the worker counts duplicate rows (the largest
 * single task), and both threads take the shared tasks (the correlations first, then the columns in
 * order) one at a time from a counter in shared memory, each the next one nobody has taken. The
 * fixed split by estimated costs it replaced had this thread busy 350 ms and the worker 250 ms on
 * flights_3m once duplicateRows got faster; split as it goes, the profile's phase took 366 → 359 ms
 * (medians of 6 alternating fresh processes: within the noise), and needs no costs kept up to date.
 */
export function sharedTasks(columns: Column[]): Task[] {
  const numeric = columns.filter((c) => c.kind === 'numeric').length;
  const tasks: Task[] = numeric >= 2 ? ['correlations'] : [];
  columns.forEach((c, i) => {
    if (c.kind === 'numeric' || c.kind === 'datetime') tasks.push(i);
  });
  return tasks;
}

/** The worker's side: duplicate rows (into `zeros` if given, see duplicateRows), then the shared tasks not taken yet. */
export function workerShare(job: WorkerJob, zeros?: Int32Array): WorkerResult {
  const duplicates = duplicateRows(job.columns, job.rows, zeros);
  const claimed = claimTasks(job, new Float64Array(Math.min(job.rows, job.exactQuantileLimit)));
  return { duplicateRows: duplicates, correlations: claimed.correlations, columns: [...claimed.columns] };
}

/** Takes the next untaken task and does it, until none is left. */
export function claimTasks(job: Omit<WorkerJob, 'columns'> & { columns: Column[] }, scratch: Float64Array): Claimed {
  const claimed: Claimed = { columns: new Map() };
  for (let t = Atomics.add(job.next, 0, 1); t < job.tasks.length; t = Atomics.add(job.next, 0, 1)) {
    const task = job.tasks[t];
    if (task === 'correlations') claimed.correlations = numericCorrelations({ columns: job.columns });
    else claimed.columns.set(task, profileColumn(job.columns[task], job.rows, job.exactQuantileLimit, job.topValues, job.sketchSize, scratch));
  }
  return claimed;
}

/** Whether profileFrameParallel will use its worker for a frame of `rows` rows read into shared memory. */
export const profilesInParallel = (rows: number): boolean => rows >= MIN_ROWS;

/**
 * `started`: a profileWorker thread, started earlier (startThread) to overlap its start-up with
 * the read, or kept from reading a range of the file (runInThread's keep).
 */
export async function profileFrameParallel(frame: Frame, options: ProfileOptions = {}, started?: Worker): Promise<Profile> {
  if (!profilesInParallel(frame.rows) || !frame.columns.every(shared)) {
    void started?.terminate();
    return profileFrame(frame, options);
  }
  const t0 = performance.now();
  const tasks = sharedTasks(frame.columns);
  const job: WorkerJob = {
    // Row equality needs codes only: the string columns stay on this thread, with their dictionaries.
    columns: frame.columns.map((c) => ('codes' in c ? { ...c, dictionary: [] } : c)),
    rows: frame.rows,
    tasks,
    next: new Int32Array(new SharedArrayBuffer(4)),
    exactQuantileLimit: options.exactQuantileLimit ?? 50_000_000,
    topValues: options.topValues ?? 10,
    sketchSize: options.sketchSize ?? 1_000_000,
  };
  // Posted now; this thread takes tasks while the worker counts duplicate rows, then both do.
  const stop = new AbortController();
  const fromWorker = runInThread<WorkerJob, WorkerResult>(workerScript('profileWorker'), job, { what: 'profile', signal: stop.signal, started, endInBackground: true });
  let profile: Profile;
  try {
    const scratch = new Float64Array(Math.min(frame.rows, job.exactQuantileLimit));
    const mine = claimTasks({ ...job, columns: frame.columns }, scratch);
    // The worker's columns are left as placeholders here, and filled in below.
    const columns = new Map(tasks.filter((t): t is number => t !== 'correlations').map((i) => [i, mine.columns.get(i) ?? ({} as ColumnProfile)]));
    const none: Correlations = { columns: [], values: [], numericColumns: 0, strongest: [] };
    const correlations = tasks.includes('correlations') ? mine.correlations ?? none : undefined;
    profile = profileFrame(frame, { ...options, precomputed: { duplicateRows: 0, correlations, columns } });
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
