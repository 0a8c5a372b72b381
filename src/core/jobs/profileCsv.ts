// Load and profile in one call: what the CLI, the extension's worker and the benchmark run. A file
// whose columns would not fit the memory budget is profiled in chunks instead (profile/bounded.ts).
import { csvFileSize, loadCsv, planCsv, readThreads } from '../csv/load';
import { storageFor } from '../csv/accumulators';
import { profileCsvBounded } from '../profile/bounded';
import { checkTarget } from '../profile/profile';
import type { CsvOptions } from '../csv/options';
import type { ProfileOptions } from '../profile/profile';
import { profileFrameParallel, profilesInParallel } from '../profile/parallelProfile';
import type { Worker } from 'node:worker_threads';
import { startThread, workerScript } from '../threads';
import type { Profile } from '../profile/types';

export interface ProfileCsvOptions extends CsvOptions, Omit<ProfileOptions, 'loadMs' | 'signal'> {
  /**
   * Peak memory to aim for, in MB (default 1024): a file whose columns, with the profile's working
   * arrays, would take more is read in chunks, exact figures kept while they fit and sketches past it.
   */
  memoryBudgetMB?: number;
}

export const DEFAULT_MEMORY_BUDGET_MB = 1024;

/**
 * What profiling the file in memory would take: its columns, and as much again for the profile's
 * working arrays (a scratch copy for quantiles, hash tables), plus the runtime. Measured: 30M rows
 * of flights (5 columns, 960 MB of columns) peaked at 2.0 GB.
 */
export function inMemoryBytes(rows: number, widths: number[]): number {
  return 2.1 * rows * widths.reduce((a, b) => a + b, 0) + (60 << 20);
}

export async function profileCsv(file: string, options: ProfileCsvOptions = {}): Promise<Profile> {
  const budget = options.memoryBudgetMB ?? DEFAULT_MEMORY_BUDGET_MB;
  const t0 = performance.now();
  // The reader's threads start first, so that their start-up (about 65 ms each) overlaps the
  // sniffing; loadCsv ends the ones it does not use. This thread reads the first range itself.
  // They run profileWorker, which reads a range and then takes the profile's worker share: the
  // one that read a range is kept for it, instead of a thread started for it while the others
  // read. flights_3m, medians of 8 alternating fresh processes: 1.071 → 1.012 s.
  const readers = [];
  const threads = readThreads(csvFileSize(file), options);
  if (threads > 1 && !options.forceGeneralPath) {
    for (let i = 1; i < threads; i++) readers.push(startThread(workerScript('profileWorker')));
  }
  let plan;
  try {
    // Sniffed once, here: loadCsv takes the plan (it is 0.1-0.2 s for a 1 MB head).
    plan = planCsv(file, options);
    checkTarget(file, plan.names, options.target);
  } catch (e) {
    for (const w of readers) void w.terminate();
    throw e;
  }
  if (inMemoryBytes(plan.rowsEstimate, plan.kinds.map((k) => storageFor(k).BYTES_PER_ELEMENT)) > budget * (1 << 20)) {
    for (const w of readers) void w.terminate();
    return profileCsvBounded(file, { ...options, memoryBudgetMB: budget });
  }
  let kept: Worker | undefined;
  const keep = (w: Worker) => {
    void kept?.terminate(); // a range read again (a column widened) keeps the newer thread
    kept = w;
  };
  let frame;
  try {
    frame = await loadCsv(file, options, plan, readers, profilesInParallel(plan.rowsEstimate) ? keep : undefined);
  } catch (e) {
    void kept?.terminate();
    throw e;
  }
  const loadMs = performance.now() - t0;
  return profileFrameParallel(frame, { ...options, loadMs, signal: options.signal }, kept);
}
