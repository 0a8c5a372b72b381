// Panels that show one report each (drift, monitoring, A/B): one panel per key (the files it is
// about), revealed and refilled when the same key is shown again, the page's ready handshake through
// PanelChannel, and the snapshots a page reports for tests. The three had each written this.
import * as vscode from 'vscode';
import { PanelChannel, SnapshotWaiters } from './panelBase';
import { panelOptions, setPanelPage } from './webviewHtml';

export class ReportPanels<Host, View extends { type: string }, Snapshot> {
  private readonly snapshots = new SnapshotWaiters<Snapshot>();
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; channel: PanelChannel<Host, View> }>();

  /**
   * `entry`: the webview entry (webview/<entry>/main.ts); `snapshotOf` picks a page's report of what
   * it drew out of its messages; `onMessage` gets the others.
   */
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly viewType: string,
    private readonly entry: string,
    private readonly snapshotOf: (m: View) => Snapshot | undefined,
    private readonly onMessage: (m: View) => void = () => undefined,
  ) {}

  nextSnapshot(predicate: (s: Snapshot) => boolean = () => true): Promise<Snapshot> {
    return this.snapshots.next(predicate);
  }

  /** Shows `content` in the panel of `key`, opening it titled `title` if there is none. */
  show(key: string, title: string, content: Host): void {
    let p = this.open.get(key);
    if (p) p.panel.reveal();
    else {
      const panel = vscode.window.createWebviewPanel(this.viewType, title, vscode.ViewColumn.Active, panelOptions(this.context.extensionUri, true));
      setPanelPage(panel, this.context.extensionUri, this.entry, title);
      const channel = new PanelChannel<Host, View>(panel, (m) => {
        const s = this.snapshotOf(m);
        if (s !== undefined) this.snapshots.offer(s);
        else this.onMessage(m);
      });
      p = { panel, channel };
      this.open.set(key, p);
      panel.onDidDispose(() => this.open.delete(key));
    }
    p.channel.post(content);
  }

  /** Sends a message that is not the page's content (e.g. "show this window") to an open panel. */
  tell(key: string, message: Host): boolean {
    const p = this.open.get(key);
    if (!p) return false;
    p.panel.reveal();
    p.channel.post(message, false);
    return true;
  }
}
