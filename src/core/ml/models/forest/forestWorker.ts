// Worker thread: grows the trees it is handed, one at a time, on a fit's shared binned features.
import { parentPort } from 'node:worker_threads';
import { bootstrapCounts, GrowInput, growTree, Tree, TreeParams } from './tree';

export type ForestRequest =
  /** A fit's data and settings, for the trees that follow. */
  | { type: 'input'; input: GrowInput; params: TreeParams; bootstrap: boolean }
  | { type: 'tree'; t: number; seed: number };
export type ForestReply = { type: 'tree'; t: number; tree: Tree } | { type: 'error'; message: string };

let fit: Extract<ForestRequest, { type: 'input' }> | undefined;

parentPort!.on('message', (m: ForestRequest) => {
  if (m.type === 'input') {
    fit = m;
    return;
  }
  try {
    if (!fit) throw new Error('forest worker: a tree was asked for before its data');
    const tree = growTree(fit.input, fit.params, fit.bootstrap ? bootstrapCounts(fit.input.n, m.seed) : null, m.seed);
    // Copied, not transferred: a transferred buffer's memory leaves this thread, and the next
    // tree's arrays then came from fresh pages (its trees grew about 15% slower); copied, they
    // are garbage here and their memory is reused. Copying a tree is a few hundred kilobytes.
    parentPort!.postMessage({ type: 'tree', t: m.t, tree } satisfies ForestReply);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ForestReply);
  }
});
