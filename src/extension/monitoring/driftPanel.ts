// The drift panel of a check: the report the job worker made (or the drift.json of a recorded check,
// opened from the Experiments view), drawn by webview/drift. One panel per checked file and
// reference; a new check of the same pair replaces its content.
import * as vscode from 'vscode';
import { DRIFT_VIEW_TYPE, DriftHostMessage, DriftReportView, DriftSnapshot, DriftViewMessage } from '../../../webview/contract';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';

export class DriftPanels {
  private readonly snapshots = new SnapshotWaiters<DriftSnapshot>();
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; channel: PanelChannel<DriftHostMessage, DriftViewMessage> }>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly openRun: (runId: string) => void) {}

  nextSnapshot(predicate: (s: DriftSnapshot) => boolean = () => true): Promise<DriftSnapshot> {
    return this.snapshots.next(predicate);
  }

  show(report: DriftReportView, runId?: string): void {
    const key = `${report.reference}\n${report.current}`;
    let p = this.open.get(key);
    if (p) p.panel.reveal();
    else {
      const name = report.current.split(/[\\/]/).pop() ?? report.current;
      const panel = vscode.window.createWebviewPanel(DRIFT_VIEW_TYPE, `Drift: ${name}`, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri, true));
      setPanelPage(panel, this.context.extensionUri, 'drift', panel.title);
      const channel = new PanelChannel<DriftHostMessage, DriftViewMessage>(panel, (m) => {
        if (m.type === 'openRun') this.openRun(m.runId);
        else if (m.type === 'rendered') this.snapshots.offer(m.snapshot);
      });
      p = { panel, channel };
      this.open.set(key, p);
      panel.onDidDispose(() => this.open.delete(key));
    }
    p.channel.post({ type: 'report', report, ...(runId ? { runId } : {}) });
  }
}
