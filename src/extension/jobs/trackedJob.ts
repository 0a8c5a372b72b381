// The one job runner: a profile, training, tuning, evaluation or prediction runs in a worker thread
// behind a cancellable progress notification that names the stage, model, fold and epoch. Cancel terminates the worker at once
// (even mid-step), then the session's runs still RUNNING are recorded KILLED. Everything that
// happens goes to the output channel.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { JobEvent, JobRequest, JobResult } from './protocol';
import { JobCancelled, runInWorker } from './runInWorker';
import { storeAt } from '../store';
import { TAG } from '../../core/tracking/tags';

export interface JobListeners {
  onEvent?: (e: JobEvent) => void;
  /** Each stage the job reports ("Reading titanic.csv", "lr: Fitting"), as the notification shows it. */
  onStage?: (stage: string) => void;
  /** Cancels this job (a panel that starts it again stops the one before). */
  token?: vscode.CancellationToken;
  /** Failures are the caller's to show (a panel's preview shows them in place): logged, no pop-up. */
  quiet?: boolean;
  /**
   * A short step on the way to something else (the leakage check before training, a row for the
   * Try it panel): its progress goes to the status bar, not a notification of its own beside the
   * one of the job that follows. "ML: Cancel Running Jobs" still stops it.
   */
  inStatusBar?: boolean;
}

export class TrackedJobs {
  /** Sources of the jobs running now, so tests and "cancel all" can reach them. */
  readonly running = new Set<vscode.CancellationTokenSource>();

  constructor(private readonly extensionPath: string, private readonly log: vscode.OutputChannel) {}

  /**
   * Runs the job; resolves with its result, or undefined when cancelled. Failures are shown and
   * logged, and rethrown so commands can return them to callers.
   */
  run(title: string, build: (sessionId: string) => JobRequest, store: string | undefined, listeners: JobListeners = {}): Promise<JobResult | undefined> {
    const sessionId = randomUUID();
    const request = build(sessionId);
    const cts = new vscode.CancellationTokenSource();
    this.running.add(cts);
    const t0 = Date.now();
    this.log.appendLine(`[${request.type}] ${title}: started (session ${sessionId})`);
    return Promise.resolve(vscode.window.withProgress({ location: listeners.inStatusBar ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification, title, cancellable: !listeners.inStatusBar }, async (progress, token) => {
      token.onCancellationRequested(() => cts.cancel());
      listeners.token?.onCancellationRequested(() => cts.cancel());
      let reported = 0;
      let lastStage = '';
      try {
        const result = await runInWorker(this.extensionPath, request, (stage, fraction) => {
          if (stage !== lastStage && !/epoch \d+/.test(stage)) this.log.appendLine(`[${request.type}] ${stage}`);
          if (stage !== lastStage) listeners.onStage?.(stage);
          lastStage = stage;
          const pct = fraction === undefined ? reported : Math.max(reported, Math.round(fraction * 100));
          progress.report({ message: stage, increment: pct - reported });
          reported = pct;
        }, cts.token, listeners.onEvent);
        this.log.appendLine(`[${request.type}] ${title}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return result;
      } catch (e) {
        if (e instanceof JobCancelled) {
          const killed = store ? storeAt(store).endRunningRunsTagged(TAG.session, sessionId, 'KILLED') : [];
          this.log.appendLine(`[${request.type}] ${title}: cancelled after ${((Date.now() - t0) / 1000).toFixed(1)} s; ${killed.length} run(s) recorded KILLED`);
          for (const runId of killed) listeners.onEvent?.({ type: 'runChanged', runId });
          return undefined;
        }
        const message = e instanceof Error ? e.message : String(e);
        if (store) storeAt(store).endRunningRunsTagged(TAG.session, sessionId, 'FAILED');
        this.log.appendLine(`[${request.type}] ${title}: failed: ${message}`);
        if (!listeners.quiet) void vscode.window.showErrorMessage(`ML Workbench: ${message}`, 'Show Log').then((a) => a && this.log.show(true));
        throw e;
      } finally {
        this.running.delete(cts);
        cts.dispose();
      }
    }));
  }

  cancelAll(): void {
    for (const cts of this.running) cts.cancel();
  }
}
