// The compare panel (params and metrics of up to 10 runs side by side) and the experiment history
// panel (the primary metric across runs over time). One webview entry draws both.
import * as vscode from 'vscode';
import { summarize } from '../../core/workflow/runView';
import { primaryMetric, Task, TASKS } from '../../core/ml/task';
import { COMPARE_VIEW_TYPE, CompareHostMessage, CompareSnapshot, CompareViewMessage, CompareViewState } from '../../../webview/contract';
import { allStores, storeOfRun } from '../store';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';
import { TAG } from '../../core/tracking/tags';

export const MAX_COMPARED = 10;

export class ComparePanels implements vscode.WebviewPanelSerializer<CompareViewState> {
  private panel?: vscode.WebviewPanel;
  private channel?: PanelChannel<CompareHostMessage, CompareViewMessage>;
  private state?: CompareViewState;
  private readonly snapshots = new SnapshotWaiters<CompareSnapshot>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly openRun: (runId: string) => void) {}

  compare(runIds: string[]): void {
    if (runIds.length > MAX_COMPARED) {
      void vscode.window.showWarningMessage(`ML Workbench: comparing the first ${MAX_COMPARED} of ${runIds.length} selected runs.`);
      runIds = runIds.slice(0, MAX_COMPARED);
    }
    this.show({ mode: 'compare', runIds });
  }

  history(experimentId: string): void {
    this.show({ mode: 'history', experimentId });
  }

  nextSnapshot(predicate: (s: CompareSnapshot) => boolean = () => true): Promise<CompareSnapshot> {
    return this.snapshots.next(predicate);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: CompareViewState | undefined): Promise<void> {
    if (!state) return panel.dispose();
    panel.webview.options = panelOptions(this.context.extensionUri, true);
    this.attach(panel);
    this.state = state;
    this.post();
  }

  private show(state: CompareViewState): void {
    this.state = state;
    if (this.panel) this.panel.reveal();
    else this.attach(vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare Runs', vscode.ViewColumn.Active, panelOptions(this.context.extensionUri, true)));
    this.post();
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    setPanelPage(panel, this.context.extensionUri, 'compare', 'Compare Runs', 'run');
    this.channel = new PanelChannel<CompareHostMessage, CompareViewMessage>(panel, (m) => {
      if (m.type === 'openRun') this.openRun(m.runId);
      else if (m.type === 'rendered') this.snapshots.offer(m.snapshot);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.channel = undefined;
    });
  }

  private post(): void {
    if (this.channel && this.state) this.channel.post(this.message(this.state));
  }

  private message(state: CompareViewState): CompareHostMessage {
    try {
      if (state.mode === 'compare') {
        this.panel!.title = `Compare ${state.runIds.length} Runs`;
        const runs = state.runIds.map((id) => {
          const store = storeOfRun(id);
          if (!store) throw new Error(`run ${id} is no longer in the workspace's mlruns/ folder`);
          return summarize(store.getRun(id));
        });
        return { type: 'compare', runs };
      }
      const store = allStores().find((s) => s.listExperiments().some((e) => e.id === state.experimentId));
      if (!store) throw new Error(`experiment ${state.experimentId} is no longer in the workspace's mlruns/ folder`);
      const exp = store.getExperiment(state.experimentId);
      this.panel!.title = `History: ${exp.name}`;
      // Model runs and tuning searches carry the scores; sessions only repeat their best.
      const scored = store.listRuns(exp.id).filter((r) => r.tags[TAG.kind] !== 'train' && r.tags[TAG.kind] !== 'candidate');
      // The experiment's task is its runs' (tagged when they were trained).
      const task = scored.map((r) => r.tags[TAG.task]).find((t): t is Task => TASKS.includes(t as Task)) ?? 'classification';
      return { type: 'history', experiment: { id: exp.id, name: exp.name }, primaryMetric: primaryMetric(task), runs: scored.map((r) => summarize(r)) };
    } catch (e) {
      return { type: 'error', message: e instanceof Error ? e.message : String(e) };
    }
  }
}
