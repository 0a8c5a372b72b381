// Runs the fast path over byte ranges in worker threads, one range per worker.
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CancelledError } from './errors';
import { parseRange, RangeJob, RangeResult } from './fastPath';
import { workerScript } from '../workerScripts';

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
  const workers: Worker[] = [];
  try {
    return await Promise.all(
      ranges.map(([start, end], i) => new Promise<RangeResult>((resolve, reject) => {
        const w = new Worker(script);
        workers.push(w);
        const onAbort = () => reject(new CancelledError());
        signal?.addEventListener('abort', onAbort, { once: true });
        w.on('message', (m: { type: string; bytes?: number; result?: RangeResult; message?: string }) => {
          if (m.type === 'progress') onBytes?.(m.bytes ?? 0);
          else if (m.type === 'done') resolve(m.result!);
          else reject(new Error(m.message));
        });
        w.on('error', reject);
        w.on('exit', (code) => reject(new Error(`CSV worker exited with code ${code}`)));
        w.postMessage({ ...base, start, end, sharedOffset: i * base.capacityHint } satisfies RangeJob);
      })),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
