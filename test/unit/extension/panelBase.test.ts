// The panels' handshake (src/extension/panelBase.ts) on a page stand-in that records what it is
// sent: nothing is posted before the page says it is ready, the queue goes out in order then, and
// a page that reloads (says ready again) gets its content again but not the points added to it.
// The real panels run it in VS Code in the integration and UI suites (a reload test among them).
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { PanelChannel, SnapshotWaiters } from '../../../src/extension/panelBase';

type Host = { type: 'content'; n: number } | { type: 'point'; n: number };
type View = { type: 'ready' } | { type: 'clicked' };

function page() {
  const sent: Host[] = [];
  let listener: (m: View) => void = () => undefined;
  const panel = { webview: { postMessage: (m: Host) => (sent.push(m), Promise.resolve(true)), onDidReceiveMessage: (l: (m: View) => void) => ((listener = l), { dispose() {} }) } };
  return { panel: panel as unknown as vscode.WebviewPanel, sent, say: (m: View) => listener(m) };
}

describe('panel handshake', () => {
  it('holds messages until the page is ready, then sends them in order', () => {
    const p = page();
    const seen: View[] = [];
    const channel = new PanelChannel<Host, View>(p.panel, (m) => seen.push(m));
    channel.post({ type: 'content', n: 1 });
    channel.post({ type: 'point', n: 2 }, false);
    assert.deepEqual(p.sent, []);
    p.say({ type: 'ready' });
    assert.deepEqual(p.sent, [{ type: 'content', n: 1 }, { type: 'point', n: 2 }]);
    channel.post({ type: 'point', n: 3 }, false);
    assert.deepEqual(p.sent.at(-1), { type: 'point', n: 3 });
    p.say({ type: 'clicked' });
    assert.deepEqual(seen, [{ type: 'clicked' }], 'ready is answered by the channel, the rest passed on');
  });

  it('a page that reloads gets its last content again, without the points', () => {
    const p = page();
    const channel = new PanelChannel<Host, View>(p.panel, () => undefined);
    p.say({ type: 'ready' });
    channel.post({ type: 'content', n: 1 });
    channel.post({ type: 'content', n: 2 });
    channel.post({ type: 'point', n: 3 }, false);
    p.sent.length = 0;
    p.say({ type: 'ready' });
    assert.deepEqual(p.sent, [{ type: 'content', n: 2 }]);
  });

  it('snapshot waiters resolve on the first snapshot each accepts, and keep waiting otherwise', async () => {
    const w = new SnapshotWaiters<number>();
    const even = w.next((n) => n % 2 === 0);
    const any = w.next();
    w.offer(3);
    w.offer(4);
    assert.equal(await any, 3);
    assert.equal(await even, 4);
  });
});
