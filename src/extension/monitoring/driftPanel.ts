// The drift panel of a check: the report the job worker made, drawn by webview/drift. One panel per
// checked file and reference; a new check of the same pair replaces its content.
import type * as vscode from 'vscode';
import { DRIFT_VIEW_TYPE, DriftHostMessage, DriftReportView, DriftSnapshot, DriftViewMessage } from '../../../webview/contract';
import { ReportPanels } from '../reportPanels';

export class DriftPanels extends ReportPanels<DriftHostMessage, DriftViewMessage, DriftSnapshot> {
  constructor(context: vscode.ExtensionContext, openRun: (runId: string) => void) {
    super(context, DRIFT_VIEW_TYPE, 'drift', (m) => (m.type === 'rendered' ? m.snapshot : undefined), (m) => m.type === 'openRun' && openRun(m.runId));
  }

  showReport(report: DriftReportView, runId?: string): void {
    this.show(`${report.reference}\n${report.current}`, `Drift: ${report.current.split(/[\\/]/).pop() ?? report.current}`, { type: 'report', report, ...(runId ? { runId } : {}) });
  }
}
