// Runs the fast path over byte ranges in worker threads, one range per fresh thread (threads.ts,
// runInThread), or the first on this thread: a range's columns are transferred back (or written
// in place into shared memory), and cancel ends every thread at once.
import * as fs from 'node:fs';
import { CancelledError } from './errors';
import { parseRange, RangeJob, RangeResult } from './fastPath';
import type { Worker } from 'node:worker_threads';
import { runInThread, workerScript } from '../threads';

/**
 * Split [start, size) into n ranges that each begin at a line start: equal, or with `firstShare`
 * of the bytes in the first and the rest split equally.
 */
export function splitAtLines(file: string, start: number, size: number, n: number, firstShare = 1 / n): [number, number][] {
  const cuts = [start];
  const fd = fs.openSync(file, 'r');
  try {
    const probe = Buffer.allocUnsafe(64 * 1024);
    for (let i = 1; i < n; i++) {
      const share = firstShare + ((1 - firstShare) * (i - 1)) / (n - 1);
      let p = Math.max(start + Math.floor((size - start) * share), cuts[cuts.length - 1]);
      // Find the next newline after p: the next range starts just past it.
      for (;;) {
        const got = fs.readSync(fd, probe, 0, probe.length, p);
        if (got === 0) { p = size; break; }
        const nl = probe.subarray(0, got).indexOf(10);
        if (nl >= 0) { p += nl + 1; break; }
        p += got;
      }
      if (p >= size) break;
      cuts.push(p);
    }
  } finally {
    fs.closeSync(fd);
  }
  cuts.push(size);
  const ranges: [number, number][] = [];
  for (let i = 0; i + 1 < cuts.length; i++) if (cuts[i + 1] > cuts[i]) ranges.push([cuts[i], cuts[i + 1]]);
  return ranges;
}

/**
 * Lines in each range, estimated from newlines in SAMPLES blocks spread over it (exact for a range
 * no larger than the sample). The ranges' windows in the shared columns are sized from it.
 * Blocks of 4 KB, not 16: on flights_3m the two ranges' estimates sum to 0.03% under the true
 * count (0.01% over with 16 KB), well inside the windows' 3% margin, and the call, made cold
 * once per read, takes 4.6 ms, not 12.5 (a loop over the bytes; indexOf per newline took longer).
 */
export function estimateLines(file: string, ranges: [number, number][]): number[] {
  const SAMPLES = 32, BLOCK = 4 << 10;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(BLOCK);
    return ranges.map(([start, end]) => {
      const bytes = end - start;
      const step = bytes / SAMPLES;
      let read = 0, lines = 0;
      for (let k = 0; k < SAMPLES && read < bytes; k++) {
        const at = bytes <= SAMPLES * BLOCK ? start + read : start + Math.floor(k * step);
        const got = fs.readSync(fd, buf, 0, Math.min(BLOCK, end - at), at);
        if (got <= 0) break;
        for (let i = 0; i < got; i++) if (buf[i] === 10) lines++;
        read += got;
      }
      return read === 0 ? 0 : Math.ceil((lines * bytes) / read);
    });
  } finally {
    fs.closeSync(fd);
  }
}

export async function parseRanges(
  base: Omit<RangeJob, 'start' | 'end' | 'sharedOffset'>,
  ranges: [number, number][],
  threads: number,
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
  how: {
    /**
     * Threads started earlier (startThread) on a script that serves range jobs (csvWorker, or
     * profileWorker, which serves the profile's share too), taken in order; the ones left over end.
     */
    started?: Worker[];
    /**
     * The first range is read on this thread, the others on workers, instead of one worker per
     * range while this thread waits: one thread fewer to start (65 ms of CPU each here, while
     * the others read). Not when this thread has other work meanwhile (chunks.ts folds a chunk).
     * flights_3m's profile, medians of 6 alternating fresh processes: 1.135 → 1.098 s.
     */
    firstHere?: boolean;
    /**
     * The started thread that read the first range on a worker, kept for a next job (runInThread's
     * keep): only a started one, whose script the caller chose to serve that job too.
     */
    keep?: (worker: Worker) => void;
    /** For the kept thread's next job: see RangeJob.prepareScratch. */
    prepareScratch?: number;
  } = {},
): Promise<RangeResult[]> {
  const started = how.started ?? [];
  const here = how.firstHere ? 1 : 0;
  const spare = threads <= 1 || ranges.length === 1 ? started : started.slice(ranges.length - here);
  for (const w of spare) void w.terminate();
  if (threads <= 1 || ranges.length === 1) {
    const out: RangeResult[] = [];
    for (const [start, end] of ranges) {
      if (signal?.aborted) throw new CancelledError();
      out.push(parseRange({ ...base, start, end, sharedOffset: out.length * base.capacityHint }, onBytes));
    }
    return out;
  }
  const script = workerScript('csvWorker');
  // The first range to fail stops the others.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  const cancelled = () => new CancelledError();
  try {
    const onWorkers = ranges.slice(here).map(([start, end], i) => runInThread<RangeJob, RangeResult, number>(
      script, { ...base, start, end, sharedOffset: (i + here) * base.capacityHint, ...(i === 0 && how.keep ? { prepareScratch: how.prepareScratch } : {}) }, { what: 'CSV', signal: stop.signal, cancelled, onEvent: (bytes) => onBytes?.(bytes), started: started[i], keep: i === 0 && started[i] ? how.keep : undefined },
    ));
    for (const p of onWorkers) p.catch(() => stop.abort());
    const first: RangeResult[] = [];
    if (here) {
      try {
        first.push(parseRange({ ...base, start: ranges[0][0], end: ranges[0][1], sharedOffset: 0 }, onBytes));
      } catch (e) {
        stop.abort(); // this range failed: the others are not wanted
        throw e;
      }
    }
    return [...first, ...(await Promise.all(onWorkers))];
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
