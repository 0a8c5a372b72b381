// Worker threads kept for the next fit of the same kind. Starting one costs about 0.1 s, and a
// fresh one compiles its hot loops again (its first tree is its slowest); training several models
// or repeating a fit reuses them. Idle workers are unref'd, so they never keep a process alive,
// and end after a minute unused.
import { Worker } from 'node:worker_threads';

const IDLE_MS = 60_000;

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
