// Runs one job in a fresh worker thread; cancelling terminates the thread at once, so even a
// long synchronous step in the engine cannot keep the work going.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as vscode from 'vscode';
import type { JobEvent, JobMessage, JobRequest, JobResult } from './protocol';

export class JobCancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export class JobFailed extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
  }
}

export function runInWorker(
  extensionPath: string,
  request: JobRequest,
  onProgress: (stage: string, fraction?: number) => void,
  token?: vscode.CancellationToken,
  onEvent?: (e: JobEvent) => void,
): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(extensionPath, 'dist', 'jobWorker.js'));
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      sub?.dispose();
      void worker.terminate();
      f();
    };
    const sub = token?.onCancellationRequested(() => finish(() => reject(new JobCancelled())));
    worker.on('message', (m: JobMessage) => {
      if (m.type === 'progress') onProgress(m.stage, m.fraction);
      else if (m.type === 'result') finish(() => resolve(m.result));
      else if (m.type === 'error') finish(() => reject(new JobFailed(m.message, m.code)));
      else if (!settled) onEvent?.(m);
    });
    worker.on('error', (e) => finish(() => reject(new JobFailed(e.message))));
    worker.on('exit', (code) => finish(() => reject(new JobFailed(`the worker stopped unexpectedly (exit code ${code})`))));
    if (token?.isCancellationRequested) return finish(() => reject(new JobCancelled()));
    worker.postMessage(request);
  });
}
