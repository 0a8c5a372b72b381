// Runs the fast path over byte ranges in worker threads, one range per fresh thread (threads.ts,
// runInThread): a range's columns are transferred back, and cancel ends every thread at once.
import * as fs from 'node:fs';
import { CancelledError } from './errors';
import { parseRange, RangeJob, RangeResult } from './fastPath';
import { runInThread, workerScript } from '../threads';

/** Split [start, size) into n ranges that each begin at a line start. */
export function splitAtLines(file: string, start: number, size: number, n: number): [number, number][] {
  const cuts = [start];
  const fd = fs.openSync(file, 'r');
  try {
    const probe = Buffer.allocUnsafe(64 * 1024);
    for (let i = 1; i < n; i++) {
      let p = Math.max(start + Math.floor(((size - start) * i) / n), cuts[cuts.length - 1]);
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

export async function parseRanges(
  base: Omit<RangeJob, 'start' | 'end' | 'sharedOffset'>,
  ranges: [number, number][],
  threads: number,
  signal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<RangeResult[]> {
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
    const all = ranges.map(([start, end], i) => runInThread<RangeJob, RangeResult, number>(
      script, { ...base, start, end, sharedOffset: i * base.capacityHint }, { what: 'CSV', signal: stop.signal, cancelled, onEvent: (bytes) => onBytes?.(bytes) },
    ));
    for (const p of all) p.catch(() => stop.abort());
    return await Promise.all(all);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
