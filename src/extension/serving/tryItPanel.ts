// The Try it panel of a served model: a form made from the server's input schema, filled in from a
// row of the training data, that sends /predict and shows the prediction, each class's
// probability and the server's warnings or problems, with the curl line of the same request. The
// webview cannot reach the server (its CSP allows nothing remote): the host sends the request.
import * as vscode from 'vscode';
import { TRYIT_VIEW_TYPE, TryItField, TryItHostMessage, TryItSnapshot, TryItViewMessage } from '../../../webview/contract';
import { PanelChannel, SnapshotWaiters } from '../panelBase';
import { panelOptions, setPanelPage } from '../webviewHtml';

export interface TryItTarget {
  url: string;
  model: { name: string; version: string; runId?: string };
  fields: TryItField[];
  example: Record<string, unknown>;
  classes?: string[];
}

export class TryItPanels {
  private readonly snapshots = new SnapshotWaiters<TryItSnapshot>();
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  nextSnapshot(predicate: (s: TryItSnapshot) => boolean = () => true): Promise<TryItSnapshot> {
    return this.snapshots.next(predicate);
  }

  show(t: TryItTarget, title: string): void {
    this.open.get(t.url)?.dispose();
    const panel = vscode.window.createWebviewPanel(TRYIT_VIEW_TYPE, `Try it: ${title}`, vscode.ViewColumn.Beside, panelOptions(this.context.extensionUri, true));
    this.open.set(t.url, panel);
    panel.onDidDispose(() => this.open.delete(t.url));
    setPanelPage(panel, this.context.extensionUri, 'tryit', panel.title);
    const channel = new PanelChannel<TryItHostMessage, TryItViewMessage>(panel, (m) => {
      if (m.type === 'predict') void this.send(t.url, m.row).then((answer) => channel.post(answer, false));
      else if (m.type === 'rendered') this.snapshots.offer(m.snapshot);
    });
    channel.post({ type: 'init', ...t });
  }

  /** Closes the panel of a server that stopped. */
  close(url: string): void {
    this.open.get(url)?.dispose();
  }

  private async send(url: string, row: Record<string, unknown>): Promise<TryItHostMessage> {
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(row), signal: AbortSignal.timeout(30_000) });
      const body: unknown = await res.json();
      return { type: 'answer', status: res.status, body, ms: performance.now() - t0 };
    } catch (e) {
      return { type: 'error', message: `${url} did not answer: ${(e as Error).message}; is its terminal still running?` };
    }
  }
}
