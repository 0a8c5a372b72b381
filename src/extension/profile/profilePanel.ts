// One profile panel per CSV file: runs the profile in a worker with progress and cancel, shows the
// result, re-runs when the user picks a target, and comes back after a reload (serializer).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { PROFILE_VIEW_TYPE, ProfileHostMessage, ProfileViewMessage, ProfileViewState, RenderedSnapshot } from '../../../webview/contract';
import { profileOptions } from '../config';
import { JobCancelled, runInWorker } from '../jobs/runInWorker';
import { panelOptions, setPanelPage } from '../webviewHtml';

const targetKey = (file: string) => `mlWorkbench.profileTarget:${file}`;

/** The target last picked in a file's profile panel (the training questions suggest it). */
export const profileTarget = (context: vscode.ExtensionContext, file: string): string | undefined => context.workspaceState.get<string>(targetKey(file));

export class ProfilePanels implements vscode.WebviewPanelSerializer<ProfileViewState> {
  private readonly panels = new Map<string, ProfilePanel>();
  private readonly snapshotWaiters = new Map<string, { accept: (s: RenderedSnapshot) => boolean; resolve: (s: RenderedSnapshot) => void }[]>();

  constructor(private readonly context: vscode.ExtensionContext, readonly log: vscode.OutputChannel) {}

  /** Shows the panel of this file, creating and profiling it if there is none yet. */
  open(uri: vscode.Uri): ProfilePanel {
    const file = uri.fsPath;
    const existing = this.panels.get(file);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PROFILE_VIEW_TYPE, `Profile: ${path.basename(file)}`, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri));
    const target = this.context.workspaceState.get<string>(targetKey(file));
    const p = this.attach(panel, file, target);
    p.run();
    return p;
  }

  get(file: string): ProfilePanel | undefined {
    return this.panels.get(file);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: ProfileViewState | undefined): Promise<void> {
    if (!state?.file) {
      panel.dispose();
      return;
    }
    panel.webview.options = panelOptions(this.context.extensionUri);
    const p = this.attach(panel, state.file, state.target);
    if (!state.profile) p.run(); // the webview redraws a saved profile by itself
  }

  /** Resolves with the next snapshot the panel of `file` reports after drawing that `accept`s (tests use it). */
  nextSnapshot(file: string, accept: (s: RenderedSnapshot) => boolean = () => true): Promise<RenderedSnapshot> {
    return new Promise((resolve) => {
      const list = this.snapshotWaiters.get(file) ?? [];
      list.push({ accept, resolve });
      this.snapshotWaiters.set(file, list);
    });
  }

  onSnapshot(file: string, s: RenderedSnapshot): void {
    const waiters = this.snapshotWaiters.get(file) ?? [];
    const left = waiters.filter((w) => !w.accept(s));
    this.snapshotWaiters.set(file, left);
    for (const w of waiters) if (!left.includes(w)) w.resolve(s);
  }

  rememberTarget(file: string, target: string | undefined): Thenable<void> {
    return this.context.workspaceState.update(targetKey(file), target);
  }

  private attach(panel: vscode.WebviewPanel, file: string, target: string | undefined): ProfilePanel {
    setPanelPage(panel, this.context.extensionUri, 'profile', `Profile: ${path.basename(file)}`);
    const p = new ProfilePanel(this, this.context.extensionPath, panel, file, target);
    this.panels.set(file, p);
    panel.onDidDispose(() => {
      p.cancel();
      if (this.panels.get(file) === p) this.panels.delete(file);
    });
    return p;
  }
}

export class ProfilePanel {
  private running?: vscode.CancellationTokenSource;
  private lastMessage?: ProfileHostMessage;

  constructor(
    private readonly owner: ProfilePanels,
    private readonly extensionPath: string,
    readonly panel: vscode.WebviewPanel,
    readonly file: string,
    private target: string | undefined,
  ) {
    panel.webview.onDidReceiveMessage((m: ProfileViewMessage) => this.onMessage(m));
  }

  private post(m: ProfileHostMessage): void {
    this.lastMessage = m;
    void this.panel.webview.postMessage(m);
  }

  private onMessage(m: ProfileViewMessage): void {
    switch (m.type) {
      case 'ready':
        // A reloaded webview lost what it was shown; send it again.
        if (this.lastMessage) void this.panel.webview.postMessage(this.lastMessage);
        break;
      case 'setTarget':
        this.setTarget(m.column ?? undefined);
        break;
      case 'refresh':
        this.run();
        break;
      case 'rendered':
        this.owner.onSnapshot(this.file, m.snapshot);
        break;
    }
  }

  cancel(): void {
    this.running?.cancel();
  }

  /** Profiles again with this target (or none); remembered for the file. */
  setTarget(column: string | undefined): void {
    this.target = column;
    void this.owner.rememberTarget(this.file, column);
    this.run();
  }

  /** Profiles the file in a worker thread, with a cancellable progress notification. */
  run(): void {
    this.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    const name = path.basename(this.file);
    const log = this.owner.log;
    this.post({ type: 'loading', file: this.file, target: this.target });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Profiling ${name}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => cts.cancel());
        let reported = 0;
        const t0 = Date.now();
        log.appendLine(`[profile] ${this.file}${this.target ? ` (target ${this.target})` : ''}: started`);
        try {
          const result = await runInWorker(this.extensionPath, { type: 'profile', file: this.file, options: { ...profileOptions(vscode.Uri.file(this.file)), target: this.target } },
            (stage, fraction) => {
              if (fraction === undefined) return progress.report({ message: stage });
              const pct = Math.round(fraction * 100);
              progress.report({ message: `${stage} ${pct}%`, increment: pct - reported });
              reported = pct;
            }, cts.token);
          if (this.running !== cts || result.type !== 'profile') return;
          const p = result.profile;
          log.appendLine(`[profile] ${this.file}: ${p.rows} rows × ${p.columnsCount} columns in ${Date.now() - t0} ms`);
          for (const w of p.warnings) log.appendLine(`[profile] warning: ${w}`);
          this.post({ type: 'profile', file: this.file, target: this.target, profile: p });
        } catch (e) {
          if (e instanceof JobCancelled) {
            log.appendLine(`[profile] ${this.file}: cancelled`);
            if (this.running === cts) this.post({ type: 'error', file: this.file, message: 'Profiling was cancelled.' });
            return;
          }
          const message = e instanceof Error ? e.message : String(e);
          log.appendLine(`[profile] ${this.file}: failed: ${message}`);
          this.post({ type: 'error', file: this.file, message });
          void vscode.window.showErrorMessage(`ML Workbench: ${message}`);
        } finally {
          if (this.running === cts) this.running = undefined;
          cts.dispose();
        }
      },
    );
  }
}
