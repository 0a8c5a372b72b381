// A small pool of worker threads running one script: tasks queue and each free worker takes the
// next. (Piscina, the usual library, spawns an internal worker file by path, which an esbuild
// bundle inside a .vsix without node_modules does not carry.) Cancel terminates every worker.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';

interface Pending<T, R> {
  task: T;
  resolve: (r: R) => void;
  reject: (e: Error) => void;
}

export class TaskPool<T, R> {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Pending<T, R>[] = [];
  private readonly busy = new Map<Worker, Pending<T, R>>();
  private closed = false;

  constructor(script: string, size = os.cpus().length, signal?: AbortSignal) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(script);
      w.on('message', (m: { result?: R; error?: string }) => {
        const job = this.busy.get(w);
        this.busy.delete(w);
        if (job) {
          if (m.error !== undefined) job.reject(new Error(m.error));
          else job.resolve(m.result as R);
        }
        this.idle.push(w);
        this.next();
      });
      w.on('error', (e) => {
        const job = this.busy.get(w);
        this.busy.delete(w);
        job?.reject(e);
      });
      this.all.push(w);
      this.idle.push(w);
    }
    signal?.addEventListener('abort', () => this.close(new Error('cancelled')), { once: true });
  }

  run(task: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('the pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.busy.set(w, job);
      w.postMessage(job.task);
    }
  }

  /** Stops every worker; queued and running tasks fail with `reason`. */
  async close(reason?: Error): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = reason ?? new Error('the pool is closed');
    for (const job of [...this.queue, ...this.busy.values()]) job.reject(err);
    this.queue.length = 0;
    this.busy.clear();
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
