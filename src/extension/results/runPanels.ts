// Run results panels: one per run, read from the store (runView), redrawn when the run changes
// and fed epoch points while an MLP trains. Panels come back after a reload (serializer) by
// reading the run again. Links in the panel open other runs, predict, or reveal artifacts.
import * as vscode from 'vscode';
import { runView } from '../../core/workflow/runView';
import { RUN_VIEW_TYPE, RunHostMessage, RunSnapshot, RunViewMessage, RunViewState } from '../../../webview/contract';
import type { EpochLog } from '../../core/ml/models/mlp/mlp';
import { storeOfRun } from '../store';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';

class RunPanel {
  /** Runs shown in this panel (the session and its models), for routing epoch points. */
  shows = new Set<string>();

  constructor(public runId: string, readonly panel: vscode.WebviewPanel, readonly channel: PanelChannel<RunHostMessage, RunViewMessage>) {}

  /** An epoch point adds to what the page shows; everything else is the page's whole content. */
  post(m: RunHostMessage): void {
    this.channel.post(m, m.type !== 'epoch');
  }
}

export class RunPanels implements vscode.WebviewPanelSerializer<RunViewState> {
  private readonly panels = new Map<string, RunPanel>();
  private readonly snapshots = new SnapshotWaiters<RunSnapshot>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.OutputChannel,
    private readonly onAction: (m: RunViewMessage) => void,
  ) {}

  /** Opens (or reveals) the panel of a run and draws it from the store. */
  open(runId: string, live = false): void {
    let p = this.panels.get(runId);
    if (p) p.panel.reveal(undefined, live);
    else {
      const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, 'Run', { viewColumn: vscode.ViewColumn.Active, preserveFocus: live }, panelOptions(this.context.extensionUri, true));
      p = this.attach(runId, panel);
    }
    this.refresh(runId);
  }

  /**
   * A panel for a session that has no run yet (it is reading and splitting the data), shown at
   * once; `adopt` gives it the session's run when that is written. Before this the panel opened
   * with the first run, after about 1.5 s of nothing.
   */
  openPending(title: string, stage: string): { stage(text: string): void; adopt(runId: string): void; dispose(): void } {
    const panel = vscode.window.createWebviewPanel(RUN_VIEW_TYPE, title, { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, panelOptions(this.context.extensionUri, true));
    const key = `pending:${Math.random()}`;
    const p = this.attach(key, panel);
    p.post({ type: 'preparing', title, stage });
    let adopted = false;
    return {
      stage: (text) => !adopted && p.post({ type: 'preparing', title, stage: text }),
      adopt: (runId) => {
        if (adopted) return;
        adopted = true;
        this.panels.delete(key);
        p.runId = runId;
        this.panels.set(runId, p);
        this.refresh(runId);
      },
      dispose: () => {
        if (!adopted) panel.dispose();
      },
    };
  }

  /** Redraws every panel that shows this run. */
  refresh(runId: string): void {
    for (const p of this.panels.values()) {
      if (p.runId !== runId && !p.shows.has(runId)) continue;
      const store = storeOfRun(p.runId);
      if (!store) {
        p.post({ type: 'error', message: `Run ${p.runId} is no longer in the workspace's mlruns/ folder.` });
        continue;
      }
      try {
        const view = runView(store, p.runId);
        p.shows = new Set([p.runId, ...view.models.map((m) => m.run.runId)]);
        p.panel.title = `Run: ${view.run.runName}`;
        // Live while the run is RUNNING; a cancelled or failed session stops saying it is training.
        p.post({ type: 'run', view, live: view.run.status === 'RUNNING' });
      } catch (e) {
        p.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    }
  }

  epoch(runId: string, log: EpochLog): void {
    for (const p of this.panels.values()) if (p.shows.has(runId)) p.post({ type: 'epoch', runId, log });
  }

  /** Resolves with the first snapshot of the run's panel that satisfies the predicate (tests, logs). */
  nextSnapshot(runId: string, predicate: (s: RunSnapshot) => boolean = () => true): Promise<RunSnapshot> {
    return this.snapshots.next((s) => s.runId === runId && predicate(s));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: RunViewState | undefined): Promise<void> {
    if (!state?.runId) {
      panel.dispose();
      return;
    }
    panel.webview.options = panelOptions(this.context.extensionUri, true);
    this.attach(state.runId, panel);
    this.refresh(state.runId);
  }

  private attach(runId: string, panel: vscode.WebviewPanel): RunPanel {
    setPanelPage(panel, this.context.extensionUri, 'run', 'Run');
    const channel = new PanelChannel<RunHostMessage, RunViewMessage>(panel, (m) => {
      if (m.type === 'rendered') {
        this.log.appendLine(`[run panel] ${m.snapshot.title}: ${m.snapshot.leaderboard.length} model(s), ${m.snapshot.charts.length} chart(s)${m.snapshot.error ? `; error: ${m.snapshot.error}` : ''}`);
        this.snapshots.offer(m.snapshot);
      } else this.onAction(m);
    });
    const p = new RunPanel(runId, panel, channel);
    this.panels.set(runId, p);
    panel.onDidDispose(() => this.panels.delete(p.runId));
    return p;
  }
}
