// Runs one job on a fresh worker thread (the engine's runInThread); cancelling terminates the thread
// at once, so even a long synchronous step in the engine cannot keep the work going.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { runInThread } from '../../core/threads';
import type { JobEvent, JobNote, JobRequest, JobResult } from './protocol';

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

export async function runInWorker(
  extensionPath: string,
  request: JobRequest,
  onProgress: (stage: string, fraction?: number) => void,
  token?: vscode.CancellationToken,
  onEvent?: (e: JobEvent) => void,
): Promise<JobResult> {
  const stop = new AbortController();
  const sub = token?.onCancellationRequested(() => stop.abort());
  if (token?.isCancellationRequested) stop.abort();
  try {
    return await runInThread<JobRequest, JobResult, JobNote>(path.join(extensionPath, 'dist', 'jobWorker.js'), request, {
      what: 'job',
      signal: stop.signal,
      cancelled: () => new JobCancelled(),
      onEvent: (n) => (n.type === 'progress' ? onProgress(n.stage, n.fraction) : onEvent?.(n)),
    });
  } catch (e) {
    if (e instanceof JobCancelled) throw e;
    throw new JobFailed(e instanceof Error ? e.message : String(e), (e as { code?: string }).code);
  } finally {
    sub?.dispose();
  }
}
