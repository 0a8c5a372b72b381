// One profile panel per CSV file: runs the profile as a job (a worker thread with progress and
// cancel, trackedJob.ts), shows the result, re-runs when the user picks a target, and comes back
// after a reload (serializer).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { currentState, PROFILE_VIEW_TYPE, ProfileHostMessage, ProfileViewMessage, ProfileViewState, RenderedSnapshot } from '../../../webview/contract';
import { COMMAND } from '../commandIds';
import { profileOptions } from '../config';
import type { JobRequest } from '../jobs/protocol';
import type { TrackedJobs } from '../jobs/trackedJob';
import { panelOptions, setPanelPage } from '../webviewHtml';
import { PanelChannel, SnapshotWaiters } from '../panelBase';

const targetKey = (file: string) => `mlWorkbench.profileTarget:${file}`;

/** The target last picked in a file's profile panel (the training questions suggest it). */
export const profileTarget = (context: vscode.ExtensionContext, file: string): string | undefined => context.workspaceState.get<string>(targetKey(file));

export class ProfilePanels implements vscode.WebviewPanelSerializer<ProfileViewState> {
  private readonly panels = new Map<string, ProfilePanel>();
  private readonly snapshots = new SnapshotWaiters<{ file: string; snapshot: RenderedSnapshot }>();

  constructor(private readonly context: vscode.ExtensionContext, readonly log: vscode.OutputChannel, readonly jobs: TrackedJobs) {}

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
    // The webview redraws a saved profile of this version by itself; any other is profiled again.
    if (!state.profile || !currentState(state)) p.run();
  }

  /** Resolves with the next snapshot the panel of `file` reports after drawing that `accept`s (tests use it). */
  nextSnapshot(file: string, accept: (s: RenderedSnapshot) => boolean = () => true): Promise<RenderedSnapshot> {
    return this.snapshots.next((s) => s.file === file && accept(s.snapshot)).then((s) => s.snapshot);
  }

  onSnapshot(file: string, snapshot: RenderedSnapshot): void {
    this.snapshots.offer({ file, snapshot });
  }

  rememberTarget(file: string, target: string | undefined): Thenable<void> {
    return this.context.workspaceState.update(targetKey(file), target);
  }

  private attach(panel: vscode.WebviewPanel, file: string, target: string | undefined): ProfilePanel {
    setPanelPage(panel, this.context.extensionUri, 'profile', `Profile: ${path.basename(file)}`);
    const p = new ProfilePanel(this, panel, file, target);
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
  private readonly channel: PanelChannel<ProfileHostMessage, ProfileViewMessage>;

  constructor(
    private readonly owner: ProfilePanels,
    readonly panel: vscode.WebviewPanel,
    readonly file: string,
    private target: string | undefined,
  ) {
    this.channel = new PanelChannel<ProfileHostMessage, ProfileViewMessage>(panel, (m) => this.onMessage(m));
  }

  private post(m: ProfileHostMessage): void {
    this.channel.post(m);
  }

  private onMessage(m: ProfileViewMessage): void {
    switch (m.type) {
      case 'setTarget':
        this.setTarget(m.column ?? undefined);
        break;
      case 'refresh':
        this.run();
        break;
      case 'engineerFeatures':
        void vscode.commands.executeCommand(COMMAND.engineerFeatures, vscode.Uri.file(this.file), { steps: m.steps, target: this.target });
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

  /** Profiles the file in a worker thread (the one job runner: progress, cancel, log), then shows it. */
  run(): void {
    this.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.running = cts;
    this.post({ type: 'loading', file: this.file, target: this.target });
    const request: JobRequest = { type: 'profile', file: this.file, options: { ...profileOptions(vscode.Uri.file(this.file)), target: this.target } };
    this.owner.jobs.run(`Profiling ${path.basename(this.file)}${this.target ? ` (target ${this.target})` : ''}`, () => request, undefined, { token: cts.token }).then(
      (result) => {
        if (this.running !== cts) return;
        if (!result) return this.post({ type: 'error', file: this.file, message: 'Profiling was cancelled.' });
        if (result.type !== 'profile') return;
        for (const w of result.profile.warnings) this.owner.log.appendLine(`[profile] warning: ${w}`);
        this.post({ type: 'profile', file: this.file, target: this.target, profile: result.profile });
      },
      // The runner has shown and logged the error; the panel says it too.
      (e: unknown) => this.running === cts && this.post({ type: 'error', file: this.file, message: e instanceof Error ? e.message : String(e) }),
    ).finally(() => {
      if (this.running === cts) this.running = undefined;
      cts.dispose();
    });
  }
}
