// What every webview panel does with its page, once: the page says "ready" when its script runs,
// and messages wait for that (sent before, they are lost); the message that is the page's whole
// content is sent again when a reloaded page says it is ready; and tests wait for what the page
// reports it drew. The profile, run and compare panels had each written this handshake their own way.
import type * as vscode from 'vscode';

export class PanelChannel<Host, View extends { type: string }> {
  private ready = false;
  private queue: Host[] = [];
  private last?: Host;

  /** `onMessage` gets every message of the page but "ready", which the channel answers. */
  constructor(readonly panel: vscode.WebviewPanel, onMessage: (m: View) => void) {
    panel.webview.onDidReceiveMessage((m: View) => {
      if (m.type === 'ready') this.onReady();
      else onMessage(m);
    });
  }

  /**
   * Sends now if the page is ready, else once it is. `content` (the default) marks a message that
   * holds the page's whole content: the last such is sent again to a page that reloads.
   */
  post(m: Host, content = true): void {
    if (content) this.last = m;
    if (this.ready) void this.panel.webview.postMessage(m);
    else this.queue.push(m);
  }

  private onReady(): void {
    this.ready = true;
    const waiting = this.queue.splice(0);
    // A page that reloads lost what it was shown: its content again.
    const send = waiting.length ? waiting : this.last !== undefined ? [this.last] : [];
    for (const m of send) void this.panel.webview.postMessage(m);
  }
}

/** Promises of the next snapshot a page reports that satisfies a predicate (tests and logs read them). */
export class SnapshotWaiters<S> {
  private waiters: { accept: (s: S) => boolean; resolve: (s: S) => void }[] = [];

  next(accept: (s: S) => boolean = () => true): Promise<S> {
    return new Promise((resolve) => this.waiters.push({ accept, resolve }));
  }

  offer(s: S): void {
    const waiting = this.waiters.splice(0);
    for (const w of waiting) (w.accept(s) ? w.resolve(s) : this.waiters.push(w));
  }
}
