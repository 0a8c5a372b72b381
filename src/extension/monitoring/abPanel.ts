// The A/B panel of a served split's log: the report the job worker made (src/core/monitoring/
// abReport.ts), drawn by webview/ab; one panel per log, a new report replacing its content.
import type * as vscode from 'vscode';
import { AB_VIEW_TYPE, AbHostMessage, AbReportView, AbSnapshot, AbViewMessage } from '../../../webview/contract';
import { ReportPanels } from '../reportPanels';

export class AbPanels extends ReportPanels<AbHostMessage, AbViewMessage, AbSnapshot> {
  constructor(context: vscode.ExtensionContext, openRun: (runId: string) => void) {
    super(context, AB_VIEW_TYPE, 'ab', (m) => (m.type === 'rendered' ? m.snapshot : undefined), (m) => m.type === 'openRun' && openRun(m.runId));
  }

  showReport(report: AbReportView): void {
    this.show(report.log, `A/B: ${report.log.split(/[\\/]/).pop()}`, { type: 'report', report });
  }
}
