// Worker thread: grows some of a forest's trees on the shared binned features.
import { parentPort } from 'node:worker_threads';
import { bootstrapCounts, GrowInput, growTree, Tree, TreeParams } from './tree';

export interface ForestJob {
  input: GrowInput;
  params: TreeParams;
  bootstrap: boolean;
  /** [tree index, seed] pairs this worker grows. */
  trees: [number, number][];
}

parentPort!.on('message', (job: ForestJob) => {
  try {
    const out: [number, Tree][] = [];
    for (const [t, seed] of job.trees) {
      out.push([t, growTree(job.input, job.params, job.bootstrap ? bootstrapCounts(job.input.n, seed) : null, seed)]);
      parentPort!.postMessage({ type: 'progress' });
    }
    const transfer = out.flatMap(([, tr]) => [tr.feature.buffer, tr.threshold.buffer, tr.left.buffer, tr.right.buffer, tr.value.buffer, tr.importances.buffer]) as ArrayBuffer[];
    parentPort!.postMessage({ type: 'done', trees: out }, transfer);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
