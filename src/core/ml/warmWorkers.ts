// Worker threads kept for the next fit of the same kind. Starting one costs about 0.1 s, and a
// fresh one compiles its hot loops again (its first tree is its slowest); training several models
// or repeating a fit reuses them. Idle workers are unref'd, so they never keep a process alive,
// and end after a minute unused.
import * as os from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';

const IDLE_MS = 60_000;

/** Threads for `tasks` independent tasks under scikit-learn's n_jobs: -1 (or none) one per core. */
export const threadsFor = (nJobs: number | undefined, tasks: number): number =>
  Math.min(nJobs === undefined || nJobs < 0 ? os.cpus().length : Math.max(1, nJobs), tasks);

export interface WorkerHandlers {
  message: (m: unknown) => void;
  error: (e: Error) => void;
}

interface Kept {
  worker: Worker;
  timer: NodeJS.Timeout;
}

const idle = new Map<string, Kept[]>();
// Each worker has one listener per event for life, passing events to whoever holds it now:
// removing listeners from a Worker also removes Node's own, which keep its port delivering.
const holder = new WeakMap<Worker, WorkerHandlers | undefined>();

function forget(script: string, worker: Worker): void {
  const list = idle.get(script) ?? [];
  const at = list.findIndex((k) => k.worker === worker);
  if (at >= 0) {
    clearTimeout(list[at].timer);
    list.splice(at, 1);
  }
}

/** A worker running `script` whose messages and errors go to `handlers`: an idle kept one, else a new one. */
export function takeWorker(script: string, handlers: WorkerHandlers): Worker {
  const kept = idle.get(script)?.pop();
  if (kept) {
    clearTimeout(kept.timer);
    kept.worker.ref();
    holder.set(kept.worker, handlers);
    return kept.worker;
  }
  const worker = new Worker(script);
  holder.set(worker, handlers);
  worker.on('message', (m) => holder.get(worker)?.message(m));
  // An idle worker that fails or exits is dropped (an 'error' nobody listens to would throw).
  worker.on('error', (e) => {
    forget(script, worker);
    holder.get(worker)?.error(e);
  });
  worker.on('exit', () => forget(script, worker));
  return worker;
}

/** Keeps a worker whose job ended cleanly for the next fit; its events go nowhere until then. */
export function keepWorker(script: string, worker: Worker): void {
  holder.set(worker, undefined);
  worker.unref();
  const timer = setTimeout(() => {
    forget(script, worker);
    void worker.terminate();
  }, IDLE_MS).unref();
  const list = idle.get(script) ?? [];
  list.push({ worker, timer });
  idle.set(script, list);
}

/** What a sharing worker is sent: the job's common data once, then items one at a time. */
export type ShareRequest<S, T> = { type: 'setup'; setup: S } | { type: 'item'; q: number; item: T };
export type ShareReply<R> = { type: 'done'; q: number; result: R } | { type: 'error'; message: string };

/**
 * Works through items[0..] on `threads` workers running `script` (see serveItems), handing each
 * worker the next item as it frees up: on a shared machine one thread can run a third slower
 * than another for a whole job, and a fixed share each left the faster one idle. onDone gets
 * each item's index and result. Workers that finish are kept for the next job; after a failure
 * or cancel, all of them end at once.
 */
export async function shareOut<S, T, R>(
  script: string, threads: number, setup: S, items: T[], onDone: (q: number, result: R) => void, signal?: AbortSignal,
): Promise<void> {
  const workers: Worker[] = [];
  let next = 0, clean = false;
  try {
    await Promise.all(Array.from({ length: threads }, () => new Promise<void>((resolve, reject) => {
      const worker = takeWorker(script, {
        message: (raw) => {
          const m = raw as ShareReply<R>;
          if (m.type === 'error') return reject(new Error(m.message));
          // onDone may refuse a result (a forest past its size): the job fails, the process does not.
          try {
            onDone(m.q, m.result);
          } catch (e) {
            return reject(e);
          }
          give();
        },
        error: reject,
      });
      workers.push(worker);
      signal?.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
      const give = () => {
        if (next >= items.length) return resolve();
        const q = next++;
        worker.postMessage({ type: 'item', q, item: items[q] } satisfies ShareRequest<S, T>);
      };
      worker.postMessage({ type: 'setup', setup } satisfies ShareRequest<S, T>);
      give();
    })));
    clean = true;
  } finally {
    if (clean) for (const w of workers) keepWorker(script, w);
    else await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A worker script's side of shareOut: `work` on each item it is handed, with the job's setup. */
export function serveItems<S, T, R>(what: string, work: (setup: S, item: T) => R): void {
  let setup: S | undefined;
  parentPort!.on('message', (m: ShareRequest<S, T>) => {
    if (m.type === 'setup') {
      setup = m.setup;
      return;
    }
    try {
      if (setup === undefined) throw new Error(`${what} worker: an item before its data`);
      // Copied, not transferred: a transferred buffer's memory leaves this thread, and the next
      // item's arrays then came from fresh pages (a forest's trees grew about 15% slower);
      // copied, they are garbage here and their memory is reused.
      parentPort!.postMessage({ type: 'done', q: m.q, result: work(setup, m.item) } satisfies ShareReply<R>);
    } catch (e) {
      parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ShareReply<R>);
    }
  });
}
