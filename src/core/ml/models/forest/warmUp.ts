// Warming a forest's worker thread up, so that its first real trees run optimised code: V8
// optimises growTree (0.15-0.3 s of compiling each time, beside the trees on two cores) once it
// has run hot, and again whenever the optimised code meets a path it had no feedback for.
//
// Measured before this (first fit of 100 trees on mpls_stops, workers started a second ahead):
// optimised first in the middle of the first tree, growTree held soft deoptimisations for the
// code not yet run (the end of a tree, empty first bins), each later tree fell back to the
// interpreter, and V8 compiled it four or five times per thread; the fit took 2.4-2.9 s against
// 1.29-1.32 s warm. Without per-tree closures and with warmUp alone: 1.8-1.9 s, two or three
// compiles per thread. With warmUpThread too: 1.33-1.39 s, one compile (and one on-stack) per
// thread, both during the warm-up.
import { matrix } from '../../matrix';
import { Mulberry32 } from '../../random';
import { binnedInput, bootstrapCounts, ForestJob, growSeededTree, growTree } from './tree';

/** Not a small integer, like the forest's own seeds (a small one left V8 expecting small ones). */
const SEED = 0x9e3779b9;

/**
 * At a thread's start: trees on made-up data shaped like a fit's (a continuous feature, a
 * few-valued one, a one-hot group, three classes), sent through structured cloning like a real
 * job: first a small tree through every path (see warmUp), then eight trees on 2,000 rows,
 * until growTree has been optimised (about 0.2 s). Threads start while the data is still being
 * read (see train.ts), on the core the reading leaves free.
 */
export function warmUpThread(): void {
  const rows = 2000, d = 10, rand = new Mulberry32(SEED);
  const X = matrix(rows, d), y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const a = rand.next(), b = rand.next(), c = Math.floor(rand.next() * 7);
    const at = i * d;
    X.data[at] = a;
    X.data[at + 1] = b;
    X.data[at + 2] = Math.floor(rand.next() * 10);
    if (c < 6) X.data[at + 3 + c] = 1;
    X.data[at + 9] = rand.next() < 0.3 ? 1 : 0;
    // Mostly learnable, a fifth noise: trees grow deep, through small and large nodes.
    y[i] = rand.next() < 0.2 ? Math.floor(rand.next() * 3) : a + 0.3 * b > 0.7 ? 2 : c < 3 ? 1 : 0;
  }
  const target = { yClass: y, nClasses: 3 };
  const input = { ...binnedInput(X, true, true), ...target }; // as the fit builds it
  const job: ForestJob = structuredClone({ input, params: { maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, mtry: 3 }, bootstrap: true });
  warmUp(job); // every path run once, before any of it runs hot
  // And with every feature tried per split, on two classes and on three: batch passes four
  // features wide, with rows per bin and without (`counts` in growTree: two-class nodes);
  // then, stopped at depth 4, leaves of several classes (compactLeaves). Without these,
  // mpls_stops' first fit met them optimised and threw growTree's code away twice per thread.
  // 600 rows: more in the root than the continuous features' bins (see `direct` in growTree).
  const every = { ...job.params, mtry: d }, some = 600;
  for (const [k, maxDepth] of [[2, null], [3, null], [2, 4]]) {
    const yk = Int32Array.from({ length: some }, () => Math.floor(rand.next() * k!));
    const v: ForestJob = structuredClone({ input: { ...input, n: some, yClass: yk, nClasses: k! }, params: { ...every, maxDepth }, bootstrap: true });
    growTree(v.input, v.params, bootstrapCounts(some, SEED), SEED);
  }
  for (let t = 0; t < 8; t++) growSeededTree(job, (SEED + t * 0x85ebca6b) >>> 0);
}

const warmed = new Set<string>();
const WARM_ROWS = 256;

/**
 * At a job's start, once per thread and kind of job (classes or values, one-hot groups or none,
 * bootstrap or not):
 * a throwaway tree on the job's first rows with labels drawn at random, which split down to
 * single rows through every path growTree has, so that V8 has feedback for all of them.
 */
export function warmUp(job: ForestJob): void {
  const { input } = job;
  const kind = `${input.yClass ? 'classes' : 'values'}, ${input.groups?.size.length ? 'groups' : 'no groups'}, ${job.bootstrap ? 'bootstrap' : 'all rows'}`;
  if (warmed.has(kind) || input.n < 2) return;
  warmed.add(kind);
  const n = Math.min(input.n, WARM_ROWS), rand = new Mulberry32(SEED);
  const labels = input.yClass ? { yClass: Int32Array.from({ length: n }, () => Math.floor(rand.next() * input.nClasses)) } : { yValue: Float64Array.from({ length: n }, () => rand.next()) };
  growTree({ ...input, ...labels, n }, job.params, job.bootstrap ? bootstrapCounts(n, SEED) : null, SEED);
}
