// The monitoring panel of a serving log: the report the job worker made, drawn by webview/monitor;
// one panel per log, a new pass replacing its content; `focus` shows a window (a breach's link).
import type * as vscode from 'vscode';
import { MONITOR_VIEW_TYPE, MonitorHostMessage, MonitorReportView, MonitorSnapshot, MonitorViewMessage } from '../../../webview/contract';
import { ReportPanels } from '../reportPanels';

export class MonitorPanels extends ReportPanels<MonitorHostMessage, MonitorViewMessage, MonitorSnapshot> {
  constructor(context: vscode.ExtensionContext) {
    super(context, MONITOR_VIEW_TYPE, 'monitor', (m) => (m.type === 'rendered' ? m.snapshot : undefined));
  }

  showReport(report: MonitorReportView): void {
    this.show(report.log, `Monitoring: ${report.log.split(/[\\/]/).pop()}`, { type: 'report', report });
  }

  /** Shows a window of a log's open panel. */
  focus(log: string, window: string): void {
    this.tell(log, { type: 'focus', window });
  }
}
