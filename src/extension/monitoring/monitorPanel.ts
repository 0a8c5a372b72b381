// The monitoring panel of a serving log: the report the job worker made, drawn by webview/monitor;
// one panel per log, a new pass replacing its content; `focus` shows a window (a breach's link).
import * as vscode from 'vscode';
import { MONITOR_VIEW_TYPE, MonitorHostMessage, MonitorReportView, MonitorSnapshot, MonitorViewMessage } from '../../../webview/contract';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';

export class MonitorPanels {
  private readonly snapshots = new SnapshotWaiters<MonitorSnapshot>();
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; channel: PanelChannel<MonitorHostMessage, MonitorViewMessage> }>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  nextSnapshot(predicate: (s: MonitorSnapshot) => boolean = () => true): Promise<MonitorSnapshot> {
    return this.snapshots.next(predicate);
  }

  show(report: MonitorReportView): void {
    let p = this.open.get(report.log);
    if (p) p.panel.reveal();
    else {
      const panel = vscode.window.createWebviewPanel(MONITOR_VIEW_TYPE, `Monitoring: ${report.log.split(/[\\/]/).pop()}`, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri, true));
      setPanelPage(panel, this.context.extensionUri, 'monitor', panel.title);
      const channel = new PanelChannel<MonitorHostMessage, MonitorViewMessage>(panel, (m) => {
        if (m.type === 'rendered') this.snapshots.offer(m.snapshot);
      });
      p = { panel, channel };
      this.open.set(report.log, p);
      panel.onDidDispose(() => this.open.delete(report.log));
    }
    p.channel.post({ type: 'report', report });
  }

  /** Shows a window of a log's open panel. */
  focus(log: string, window: string): void {
    const p = this.open.get(log);
    if (!p) return;
    p.panel.reveal();
    p.channel.post({ type: 'focus', window }, false);
  }
}
