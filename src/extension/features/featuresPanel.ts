// The Engineer Features panel: the user builds a list of feature steps for a CSV, previews what
// they make (the first rows with the new columns, and a small profile of each) and saves them as
// a run spec next to the file, or trains with them straight away. The preview runs in the job
// worker (steps over a whole file are not work for the extension host's thread).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkSpec } from '../../core/workflow/spec';
import { stepForms } from '../../core/workflow/stepForms';
import { FEATURES_VIEW_TYPE, FeaturesHostMessage, FeaturesSnapshot, FeaturesViewMessage, FeaturesViewState, VIEW_STATE_VERSION } from '../../../webview/contract';
import { csvOptions } from '../config';
import type { TrackedJobs } from '../jobs/trackedJob';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';
import { COMMAND } from '../commandIds';
import { freshPath } from '../training/trainingFeature';

export class FeaturesPanels implements vscode.WebviewPanelSerializer<FeaturesViewState> {
  private readonly snapshots = new SnapshotWaiters<FeaturesSnapshot>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly jobs: TrackedJobs) {}

  nextSnapshot(predicate: (s: FeaturesSnapshot) => boolean = () => true): Promise<FeaturesSnapshot> {
    return this.snapshots.next(predicate);
  }

  open(uri: vscode.Uri, steps: Record<string, unknown>[] = [], target?: string): void {
    const panel = vscode.window.createWebviewPanel(FEATURES_VIEW_TYPE, `Features: ${path.basename(uri.fsPath)}`, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri, true));
    this.attach(panel, { version: VIEW_STATE_VERSION, file: uri.fsPath, steps, target });
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: FeaturesViewState | undefined): Promise<void> {
    if (!state?.file || !fs.existsSync(state.file)) return panel.dispose();
    panel.webview.options = panelOptions(this.context.extensionUri, true);
    this.attach(panel, state);
  }

  private attach(panel: vscode.WebviewPanel, state: FeaturesViewState): void {
    setPanelPage(panel, this.context.extensionUri, 'features', panel.title);
    const file = state.file;
    let running: vscode.CancellationTokenSource | undefined;
    const channel = new PanelChannel<FeaturesHostMessage, FeaturesViewMessage>(panel, (m) => {
      if (m.type === 'preview') void preview(m.steps, m.target);
      else if (m.type === 'save') void this.save(file, m.steps, m.target, m.train).then((spec) => spec && channel.post({ type: 'saved', spec }, false));
      else if (m.type === 'rendered') this.snapshots.offer(m.snapshot);
    });
    const preview = async (steps: Record<string, unknown>[], target?: string) => {
      running?.cancel(); // a newer preview replaces the one running
      const cts = (running = new vscode.CancellationTokenSource());
      channel.post({ type: 'previewing' }, false);
      try {
        const result = await this.jobs.run(`Engineering features of ${path.basename(file)}`, () => ({ type: 'features', file, steps, target, csv: csvOptions(vscode.Uri.file(file)) }), undefined, { token: cts.token, quiet: true });
        if (result?.type === 'features') channel.post({ type: 'preview', preview: result.preview }, false);
      } catch (e) {
        channel.post({ type: 'error', message: e instanceof Error ? e.message : String(e) }, false);
      }
    };
    channel.post({ type: 'init', file, steps: state.steps, target: state.target, forms: stepForms() });
    void preview(state.steps, state.target);
    panel.onDidDispose(() => running?.cancel());
  }

  /** Writes the steps into a run spec beside the CSV (a new name, never over a file) and opens it, or trains with it. */
  private async save(file: string, steps: Record<string, unknown>[], target: string | undefined, train: boolean): Promise<string | undefined> {
    if (!target) {
      void vscode.window.showErrorMessage('ML Workbench: pick the target column before saving a run spec.');
      return undefined;
    }
    const spec = freshPath(path.dirname(file), `${path.basename(file).replace(/\.csv$/i, '')}.features`, '.mlrun.json');
    // No $schema: the extension gives *.mlrun.json files the schema (a URL here would be fetched, and fail).
    const body = { kind: 'train', data: path.basename(file), target, models: ['lr', 'rf'], features: steps };
    checkSpec(body, spec); // the same rules the editor and mlw apply: a step the panel let through is named here
    fs.writeFileSync(spec, JSON.stringify(body, null, 2) + '\n', { flag: 'wx' });
    if (train) await vscode.commands.executeCommand(COMMAND.trainModels, vscode.Uri.file(spec));
    else await vscode.window.showTextDocument(vscode.Uri.file(spec), { preview: false }); // a tab beside the panel's, in its group
    return spec;
  }
}
