// The engine's one way to use worker threads (the CLI, the extension's jobs and the tests all
// come through here). There were five: a task pool, kept workers, and three one-off spawners, each
// with its own messages, cancel and failure handling. Two shapes are left, sharing one protocol:
//
// - runInThread / serveRequest: one job on a fresh thread, ended when the job settles. For work
//   that must stop at once on cancel, even mid-step (an extension job, a CSV byte range, the
//   profile's second half), and whose result is large and transferred (a range's columns).
// - shareOut / serveItems: many small items on threads kept for the next job (trees, SVM pairs,
//   cross-validation fits). Starting a thread costs about 0.1 s and a fresh one compiles its hot
//   loops again; a search or a forest reuses them. Kept threads are unref'd, so they never keep a
//   process alive, and end after a minute unused.
//
// Measured when the five became these two (whole mlw processes, medians of 3 alternating rounds,
// 2 shared cores, before → after): a 3 × 5-fold LR search on letter_recognition 9.1 → 9.0 s, a
// 6 × 5-fold forest search on titanic 2.3 → 2.2 s, profiling flights_3m 2.2 → 2.3 s, a 100-tree
// forest on letter_recognition 9.0 → 9.7 s: all within the rounds' spread (±1 s).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * Path of a bundled worker script (dist/<name>.js). Bundles land in dist/, unit-test bundles in
 * dist/test/unit/, so look beside this bundle and up to two folders above it.
 */
export function workerScript(name: string): string {
  const dirs = [__dirname, path.join(__dirname, '..'), path.join(__dirname, '..', '..')];
  for (const dir of dirs) {
    const p = path.join(dir, `${name}.js`);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`worker script ${name}.js not found beside ${__dirname}: run "npm run build"`);
}

/** Threads for `tasks` independent tasks under scikit-learn's n_jobs: -1 (or none) one per core. */
export const threadsFor = (nJobs: number | undefined, tasks: number): number =>
  Math.min(nJobs === undefined || nJobs < 0 ? os.cpus().length : Math.max(1, nJobs), tasks);

/** A failure inside a thread, or of the thread itself; `code` carries an error's code across (a CSV error's). */
export class ThreadFailed extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const codeOf = (e: unknown) => (e instanceof ThreadFailed ? e.code : undefined);

// ---- one job on a fresh thread ----

/** What a one-job thread sends: events while it works, then its result or its error. */
export type ThreadReply<R, E> = { type: 'event'; event: E } | { type: 'done'; result: R } | { type: 'error'; message: string; code?: string };

export interface ThreadOptions<E> {
  /** Names the thread in failures: "the CSV worker stopped unexpectedly". */
  what: string;
  /** Aborting terminates the thread at once and rejects with `cancelled()`. */
  signal?: AbortSignal;
  cancelled?: () => Error;
  onEvent?: (event: E) => void;
  /** A thread already started for `script` (startThread), so that its start-up overlapped other work. */
  started?: Worker;
  /**
   * On success the thread is not ended but handed here (unref'd), for a next job on it (the next
   * runInThread's `started`, its script serving both); the taker ends it if it goes unused.
   */
  keep?: (worker: Worker) => void;
  /**
   * On success, resolve as the result arrives and end the thread in the background, instead of
   * once it has ended: for a caller's last job, such as the profile's worker share (its teardown
   * took 14-20 ms that the profile waited for on flights_3m). Not by default: a chunked read's
   * threads then ended while the next chunk's started, and the ten-times file took 10% longer
   * (medians of 4 alternating runs, 13.4 → 15.0 s) at 20-30 MB more peak memory.
   */
  endInBackground?: boolean;
}

/**
 * A thread for a runInThread job to come, started now: a thread takes about 0.1 s to start and
 * compile its script, which then overlaps what the caller does meanwhile (the profile's worker
 * starts while the CSV is read). Unref'd until used; the caller terminates it if it goes unused.
 */
export function startThread(script: string): Worker {
  const worker = new Worker(script);
  worker.unref();
  worker.on('error', () => undefined); // until runInThread listens; a failure to start shows there as the exit
  return worker;
}

/**
 * Runs `request` on a fresh thread running `script` (whose side is serveRequest). Resolves with its
 * result or rejects (ThreadFailed, or `cancelled()` on abort) once the thread has ended (but see
 * endInBackground).
 */
export function runInThread<Q, R, E = never>(script: string, request: Q, o: ThreadOptions<E>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const cancelled = () => (o.cancelled ?? (() => new Error('cancelled')))();
    if (o.signal?.aborted) {
      void o.started?.terminate();
      return reject(cancelled());
    }
    const worker = o.started ?? new Worker(script);
    worker.ref();
    let settled = false;
    // 'ended': settle once the thread has ended; 'done': settle now and end it; 'kept': hand it over.
    const finish = (settle: () => void, how: 'ended' | 'done' | 'kept' = 'ended') => {
      if (settled) return;
      settled = true; // from here this call's listeners ignore the thread (a kept one's next job has its own)
      o.signal?.removeEventListener('abort', onAbort);
      if (how === 'kept') {
        worker.unref();
        o.keep!(worker);
        settle();
      } else if (how === 'done') {
        settle();
        void worker.terminate();
      } else void worker.terminate().finally(settle);
    };
    const onAbort = () => finish(() => reject(cancelled()));
    o.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: ThreadReply<R, E>) => {
      if (m.type === 'event') {
        if (!settled) o.onEvent?.(m.event);
      } else if (m.type === 'done') finish(() => resolve(m.result), o.keep !== undefined ? 'kept' : o.endInBackground ? 'done' : 'ended');
      else finish(() => reject(new ThreadFailed(m.message, m.code)));
    });
    worker.on('error', (e) => finish(() => reject(new ThreadFailed(e.message))));
    worker.on('exit', (code) => finish(() => reject(new ThreadFailed(`the ${o.what} worker stopped unexpectedly (exit code ${code})`))));
    worker.postMessage(request);
  });
}

/**
 * A one-job script's side of runInThread: `work` on the request, with `emit` for events. `transfer`
 * names buffers of the result to move rather than copy. Throw ThreadFailed to pass a code across.
 */
export function serveRequest<Q, R, E = never>(work: (request: Q, emit: (event: E) => void) => R | Promise<R>, transfer?: (result: R) => ArrayBuffer[]): void {
  const post = (m: ThreadReply<R, E>, list?: ArrayBuffer[]) => parentPort!.postMessage(m, list);
  parentPort!.on('message', async (request: Q) => {
    try {
      const result = await work(request, (event) => post({ type: 'event', event }));
      post({ type: 'done', result }, transfer?.(result));
    } catch (e) {
      post({ type: 'error', message: messageOf(e), code: codeOf(e) });
    }
  });
}

// ---- many items on kept threads ----

interface WorkerHandlers {
  message: (m: unknown) => void;
  error: (e: Error) => void;
}

const IDLE_MS = 60_000;
const idle = new Map<string, { worker: Worker; timer: NodeJS.Timeout }[]>();
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
function takeWorker(script: string, handlers: WorkerHandlers): Worker {
  const kept = idle.get(script)?.pop();
  if (kept) {
    clearTimeout(kept.timer);
    kept.worker.ref();
    holder.set(kept.worker, handlers);
    return kept.worker;
  }
  return newWorker(script, handlers);
}

/**
 * Starts workers for `script` now, kept idle for the next shareOut, up to `threads` idle ones: a
 * thread takes about 0.1 s to start, which then overlaps whatever the caller does first (a forest's
 * session prepares its data and checks it for leakage meanwhile).
 */
export function prestart(script: string, threads: number): void {
  for (let i = idle.get(script)?.length ?? 0; i < threads; i++) keepWorker(script, newWorker(script, { message: () => undefined, error: () => undefined }));
}

/** Idle kept workers for `script` (tests read it). */
export const idleThreads = (script: string): number => idle.get(script)?.length ?? 0;

/** Ends every idle kept worker (tests start from none). */
export async function terminateIdleThreads(): Promise<void> {
  const all = [...idle.entries()].flatMap(([script, list]) => list.map((k) => ({ script, k })));
  await Promise.all(all.map(({ script, k }) => {
    forget(script, k.worker);
    return k.worker.terminate();
  }));
}

function newWorker(script: string, handlers: WorkerHandlers): Worker {
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

/** Keeps a worker whose job ended cleanly for the next one; it lets go of the job's data meanwhile. */
function keepWorker(script: string, worker: Worker): void {
  holder.set(worker, undefined);
  worker.postMessage({ type: 'release' } satisfies ShareRequest<never, never>);
  worker.unref();
  const timer = setTimeout(() => {
    forget(script, worker);
    void worker.terminate();
  }, IDLE_MS).unref();
  const list = idle.get(script) ?? [];
  list.push({ worker, timer });
  idle.set(script, list);
}

/**
 * What a sharing worker is sent: the job's common data once, then items one at a time, then
 * release. Or, when the items are small, all of them with the setup and a shared counter from
 * which the workers claim the next (see shareOut's `upFront`).
 */
export type ShareRequest<S, T> =
  | { type: 'setup'; setup: S; items?: T[]; next?: Int32Array }
  | { type: 'item'; q: number; item: T }
  | { type: 'release' };
export type ShareReply<R> = { type: 'done'; q: number; result: R } | { type: 'error'; message: string };

/**
 * Works through items[0..] on `threads` workers running `script` (see serveItems), handing each
 * worker the next item as it frees up: on a shared machine one thread can run a third slower
 * than another for a whole job, and a fixed share each left the faster one idle. onDone gets
 * each item's index and result. Workers that finish are kept for the next job; after a failure
 * or cancel, all of them end at once.
 *
 * `upFront` sends every item with the setup, for small items (a forest's tree seeds): each worker
 * claims the next from a shared counter as it frees up, with no round trip through this thread
 * between items, which had left a forest's workers idle 15-60 ms each per fit of 100 trees.
 */
export async function shareOut<S, T, R>(
  script: string, threads: number, setup: S, items: T[], onDone: (q: number, result: R) => void, signal?: AbortSignal, upFront = false,
): Promise<void> {
  if (signal?.aborted) throw new Error('cancelled');
  if (items.length === 0) return;
  const workers: Worker[] = [];
  const claim = upFront ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  let next = 0, received = 0, clean = false;
  const give = (worker: Worker) => {
    if (next >= items.length) return;
    const q = next++;
    worker.postMessage({ type: 'item', q, item: items[q] } satisfies ShareRequest<S, T>);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (e: unknown) => {
        if (claim) Atomics.store(claim, 0, items.length); // no worker starts another item
        reject(e);
      };
      signal?.addEventListener('abort', () => fail(new Error('cancelled')), { once: true });
      for (let t = 0, count = Math.max(1, Math.min(threads, items.length)); t < count; t++) {
        const worker: Worker = takeWorker(script, {
          message: (raw) => {
            const m = raw as ShareReply<R>;
            if (m.type === 'error') return fail(new Error(m.message));
            // onDone may refuse a result (a forest past its size): the job fails, the process does not.
            try {
              onDone(m.q, m.result);
            } catch (e) {
              return fail(e);
            }
            if (++received === items.length) resolve();
            else if (!claim) give(worker);
          },
          error: fail,
        });
        workers.push(worker);
        worker.postMessage((claim ? { type: 'setup', setup, items, next: claim } : { type: 'setup', setup }) satisfies ShareRequest<S, T>);
        if (!claim) give(worker);
      }
    });
    clean = true;
  } finally {
    if (clean) for (const w of workers) keepWorker(script, w);
    else await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** A worker script's side of shareOut: `work` on each item it is handed, with the job's setup. */
export function serveItems<S, T, R>(what: string, work: (setup: S, item: T) => R | Promise<R>, prepare?: (setup: S) => void): void {
  let setup: S | undefined;
  parentPort!.on('message', async (m: ShareRequest<S, T>) => {
    if (m.type === 'setup') {
      setup = m.setup;
      try {
        prepare?.(setup);
      } catch {
        // a failed warm-up leaves the items to say what is wrong
      }
      const { items, next } = m;
      if (!items || !next) return;
      for (let q = Atomics.add(next, 0, 1); q < items.length; q = Atomics.add(next, 0, 1)) {
        try {
          parentPort!.postMessage({ type: 'done', q, result: await work(setup, items[q]) } satisfies ShareReply<R>);
        } catch (e) {
          parentPort!.postMessage({ type: 'error', message: messageOf(e) } satisfies ShareReply<R>);
          return;
        }
      }
      return;
    }
    if (m.type === 'release') {
      setup = undefined;
      return;
    }
    try {
      if (setup === undefined) throw new Error(`${what} worker: an item before its data`);
      // Copied, not transferred: a transferred buffer's memory leaves this thread, and the next
      // item's arrays then came from fresh pages (a forest's trees grew about 15% slower);
      // copied, they are garbage here and their memory is reused.
      parentPort!.postMessage({ type: 'done', q: m.q, result: await work(setup, m.item) } satisfies ShareReply<R>);
    } catch (e) {
      parentPort!.postMessage({ type: 'error', message: messageOf(e) } satisfies ShareReply<R>);
    }
  });
}
