// The A/B panel of a served split's log: the report the job worker made (src/core/monitoring/
// abReport.ts), drawn by webview/ab; one panel per log, a new report replacing its content.
import * as vscode from 'vscode';
import { AB_VIEW_TYPE, AbHostMessage, AbReportView, AbSnapshot, AbViewMessage } from '../../../webview/contract';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';

export class AbPanels {
  private readonly snapshots = new SnapshotWaiters<AbSnapshot>();
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; channel: PanelChannel<AbHostMessage, AbViewMessage> }>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly openRun: (runId: string) => void) {}

  nextSnapshot(predicate: (s: AbSnapshot) => boolean = () => true): Promise<AbSnapshot> {
    return this.snapshots.next(predicate);
  }

  show(report: AbReportView): void {
    let p = this.open.get(report.log);
    if (p) p.panel.reveal();
    else {
      const panel = vscode.window.createWebviewPanel(AB_VIEW_TYPE, `A/B: ${report.log.split(/[\\/]/).pop()}`, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri, true));
      setPanelPage(panel, this.context.extensionUri, 'ab', panel.title);
      const channel = new PanelChannel<AbHostMessage, AbViewMessage>(panel, (m) => {
        if (m.type === 'openRun') this.openRun(m.runId);
        else if (m.type === 'rendered') this.snapshots.offer(m.snapshot);
      });
      p = { panel, channel };
      this.open.set(report.log, p);
      panel.onDidDispose(() => this.open.delete(report.log));
    }
    p.channel.post({ type: 'report', report });
  }
}
