// Random forests for classification and regression, scikit-learn's parameters and semantics:
// bootstrap, max_features (sqrt for classification, all for regression), max_depth,
// min_samples_split, min_samples_leaf, n_estimators, impurity importances, out-of-bag score.
// Features are binned once; trees grow in parallel worker threads (one per core by default).
import { checkClasses, checkFitInput, checkPredictInput, Classifier, Estimator, FitOptions } from '../../estimator';
import type { Matrix } from '../../matrix';
import { fitBytes, FitMemory, FitShape } from '../../memory';
import { nJobs, oneOf, rule, Rule, seed, wholeAtLeast, wholeIn } from '../../params';
import { checkStateSchema, checkStateShapes, S, sized } from '../../savedState';
import { accuracy, r2 } from '../../metrics';
import { prestart, shareOut, threadsFor, workerScript } from '../../../threads';
import { addLeafValues, binnedInput, bootstrapCounts, compactLeaves, ForestJob, GrowInput, growSeededTree, leafOf, Tree, TreeParams } from './tree';

export interface ForestParams {
  nEstimators: number;
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** 'sqrt', 'log2', a fraction of the features (0..1], a count (> 1), or null for all. */
  maxFeatures: 'sqrt' | 'log2' | number | null;
  bootstrap: boolean;
  oobScore: boolean;
  randomState: number;
  /** Worker threads; -1 for one per core, 1 to grow on the calling thread. */
  nJobs: number;
}

interface EncodedTree {
  feature: string;
  threshold: string;
  left: string;
  right: string;
  value: string;
  /** 'pure-leaves' only: per leaf, its class when the leaf holds one class, else -1 (its values are the next row of `value`). */
  leafClass?: string;
}

/** The saved form: trees as base64 typed arrays (compact, and data only). */
export interface ForestState {
  nFeatures: number;
  nClasses: number;
  trees: EncodedTree[];
  featureImportances: number[];
  oobScore?: number;
  /**
   * 'leaves': each tree's `value` holds its leaves' values only, in node order; prediction never
   * reads an inner node's, and they were half of a saved forest (126 MB for letter_recognition's).
   * 'pure-leaves' (classifiers): a leaf that holds one class is saved as that class (`leafClass`),
   * and only the other leaves' values are kept: a fully grown forest's leaves are almost all pure,
   * and k values each made them most of the bundle (letter_recognition's 69 MB → 13 MB).
   * Forests saved before hold every node's.
   */
  values?: 'leaves' | 'pure-leaves';
}

/** The learned form in memory: trees as typed arrays. */
interface ForestModel extends Omit<ForestState, 'trees'> {
  trees: Tree[];
}

const toSaved = (m: ForestModel, classify: boolean): ForestState => ({ ...m, trees: m.trees.map(encode), values: classify ? 'pure-leaves' : 'leaves' });

const FOREST_STATE = S.object({
  nFeatures: S.whole(1), nClasses: S.whole(1), featureImportances: S.vector(), oobScore: S.number,
  trees: S.vector(S.object({ feature: S.base64, threshold: S.base64, left: S.base64, right: S.base64, value: S.base64, leafClass: S.base64 }, ['leafClass']), 1),
  values: { enum: ['leaves', 'pure-leaves'] },
}, ['oobScore', 'values']);

/**
 * Checks a saved forest's fields and decodes every tree, which checks the tree (see decode): the
 * learned form of prediction, and what the ONNX export reads.
 */
export function decodeForest(type: string, saved: unknown): ForestModel {
  checkStateSchema(type, FOREST_STATE, saved);
  const s = saved as ForestState;
  checkStateShapes(type, [sized('featureImportances', s.featureImportances.length, s.nFeatures)]);
  const { values, ...rest } = s;
  // A classifier's k values per leaf; a regressor's one (its nClasses is 1).
  return { ...rest, trees: s.trees.map((t, i) => decode(t, s.nFeatures, s.nClasses, i, values, type === 'RandomForestClassifier')) };
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromB64<T extends Int32Array | Float64Array>(Ctor: { new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number }, s: string, what: string): T {
  if (typeof s !== 'string') throw new Error(`forest: ${what} is not base64 data`);
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength % Ctor.BYTES_PER_ELEMENT) throw new Error(`forest: ${what} has a length that is not a whole number of values`);
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Ctor(copy);
}

/**
 * A tree's saved form: its arrays as base64, and the values of its leaves only (k each, in node
 * order); for a classifier, a pure leaf as its class alone (its in-memory form, see Tree.leafClass).
 */
function encode(t: Tree): EncodedTree {
  const out: EncodedTree = { feature: b64(t.feature), threshold: b64(t.threshold), left: b64(t.left), right: b64(t.right), value: b64(t.value) };
  if (t.leafClass) {
    const leafClass: number[] = [];
    for (let i = 0; i < t.left.length; i++) if (t.left[i] < 0) leafClass.push(Math.max(-1, t.leafClass[i]));
    out.leafClass = b64(Int32Array.from(leafClass));
    return out;
  }
  // A regressor's leaves' means.
  const value: number[] = [];
  for (let i = 0; i < t.left.length; i++) if (t.left[i] < 0) value.push(t.value[i]);
  out.value = b64(Float64Array.from(value));
  return out;
}

/**
 * Decodes and validates a saved tree: every index in range, so prediction cannot run away. A
 * classifier's tree comes out in the compact form (see Tree.leafClass), whichever form it was
 * saved in; a regressor's with a mean per node.
 */
function decode(e: EncodedTree, nFeatures: number, k: number, which: number, values: ForestState['values'], classify: boolean): Tree {
  const what = `tree ${which}`;
  const t: Tree = {
    feature: fromB64(Int32Array, e.feature, `${what} features`), threshold: fromB64(Float64Array, e.threshold, `${what} thresholds`),
    left: fromB64(Int32Array, e.left, `${what} left`), right: fromB64(Int32Array, e.right, `${what} right`),
    value: fromB64(Float64Array, e.value, `${what} values`), importances: new Float64Array(0),
  };
  const n = t.feature.length;
  if (n === 0 || t.threshold.length !== n || t.left.length !== n || t.right.length !== n) throw new Error(`forest: ${what} has inconsistent arrays`);
  if (values === 'pure-leaves') {
    const leafClass = fromB64(Int32Array, e.leafClass ?? '', `${what} leaf classes`);
    let leaves = 0, mixed = 0;
    for (let i = 0; i < n; i++) if (t.left[i] < 0) leaves++;
    for (let j = 0; j < leafClass.length; j++) {
      if (leafClass[j] >= k || leafClass[j] < -1) throw new Error(`forest: ${what} has leaf class ${leafClass[j]} of ${k} classes`);
      if (leafClass[j] < 0) mixed++;
    }
    if (leafClass.length !== leaves || t.value.length !== mixed * k) throw new Error(`forest: ${what} has ${leafClass.length} leaf classes and ${t.value.length} leaf values for ${leaves} leaves of ${k}`);
    // Per node: the class, or -1 - the leaf's row of values (in node order, as saved).
    t.leafClass = new Int32Array(n);
    for (let i = 0, leaf = 0, at = 0; i < n; i++) {
      if (t.left[i] >= 0) continue;
      const c = leafClass[leaf++];
      t.leafClass[i] = c >= 0 ? c : -1 - at++;
    }
  } else if (values === 'leaves') {
    let leaves = 0;
    for (let i = 0; i < n; i++) if (t.left[i] < 0) leaves++;
    if (t.value.length !== leaves * k) throw new Error(`forest: ${what} has ${t.value.length} leaf values for ${leaves} leaves of ${k}`);
    const full = new Float64Array(n * k);
    for (let i = 0, at = 0; i < n; i++) if (t.left[i] < 0) full.set(t.value.subarray(at * k, (at++) * k + k), i * k);
    t.value = full;
  } else if (t.value.length !== n * k) throw new Error(`forest: ${what} has inconsistent arrays`);
  if (classify && !t.leafClass) Object.assign(t, compactLeaves(t.left, t.value, k));
  for (let i = 0; i < n; i++) {
    if (t.left[i] < 0) continue;
    // Children come after their parent, so traversal always ends.
    if (t.left[i] <= i || t.right[i] <= i || t.left[i] >= n || t.right[i] >= n || t.feature[i] < 0 || t.feature[i] >= nFeatures) throw new Error(`forest: ${what} node ${i} is malformed`);
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(t.threshold[i])) throw new Error(`forest: ${what} node ${i} has threshold ${t.threshold[i]}`);
  for (let i = 0; i < t.value.length; i++) if (!Number.isFinite(t.value[i])) throw new Error(`forest: ${what} ${t.leafClass ? 'mixed leaf' : 'node'} ${Math.floor(i / k)} has value ${t.value[i]}`);
  return t;
}

/** Features drawn at each split for `d` features; undefined for a maxFeatures that means nothing. */
function mtryOf(maxFeatures: ForestParams['maxFeatures'], d: number): number | undefined {
  if (maxFeatures === null) return d;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (typeof maxFeatures !== 'number') return undefined;
  if (maxFeatures > 0 && maxFeatures <= 1) return Math.max(1, Math.floor(maxFeatures * d));
  if (Number.isInteger(maxFeatures) && maxFeatures >= 1) return Math.min(d, maxFeatures);
  return undefined;
}

/** Seed of tree t, independent of which thread grows it. */
const treeSeed = (randomState: number, t: number) => (Math.imul(randomState + 1, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b)) >>> 0;

/**
 * The most the trees of one forest may take. A bundle is one JSON string, which V8 caps at 2^29
 * characters, and the trees go into it as base64 (4 characters per 3 bytes): a forest past this
 * cannot be saved. A leaf holding several classes keeps a fraction per class, so it is a target's
 * class count with leaves kept large (minSamplesLeaf, maxDepth) that gets there. When every node
 * kept k fractions, 1,000 classes failed after 53 s with "Invalid string length" and 10,000 took
 * the machine's memory. Checked before the fit (from the least the trees can take) and as trees
 * arrive.
 */
export const FOREST_MAX_BYTES = 360 * 2 ** 20;
const treeBytes = (t: Tree) => t.feature.byteLength + t.threshold.byteLength + t.left.byteLength + t.right.byteLength + t.value.byteLength + (t.leafClass?.byteLength ?? 0);
const mb = (bytes: number) => `${bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.ceil(bytes / 2 ** 20)} MB`}`;

/**
 * The least a forest's trees take however they grow: a classifier's tree needs a leaf for each
 * class its bootstrap sample holds (about 63% of the rows are drawn), and where it may grow fewer
 * leaves than that (minSamplesLeaf, maxDepth) one of them holds several, with k fractions. A node
 * takes feature, threshold, left, right, and a classifier's leaf class or a regressor's mean.
 */
function leastTreeBytes(input: Pick<GrowInput, 'n' | 'nClasses'>, p: ForestParams): number {
  const k = input.nClasses, classify = k > 1;
  const most = Math.min(Math.ceil((p.bootstrap ? 0.632 : 1) * input.n / p.minSamplesLeaf), p.maxDepth === null ? Infinity : 2 ** p.maxDepth);
  const leaves = classify ? Math.min(k, most) : 1;
  const mixed = classify && most < k ? 8 * k : 0;
  return p.nEstimators * ((2 * leaves - 1) * (4 + 8 + 4 + 4 + (classify ? 4 : 8)) + mixed);
}

/** Refuses a forest whose trees cannot fit FOREST_MAX_BYTES however they grow. */
function checkForestSize(type: string, input: Pick<GrowInput, 'n' | 'nClasses'>, p: ForestParams): void {
  const k = input.nClasses;
  const least = leastTreeBytes(input, p);
  if (least > FOREST_MAX_BYTES) {
    throw new Error(`${type}: ${p.nEstimators} trees for ${k} classes need at least ${mb(least)} (a leaf per class in every tree), more than the ${mb(FOREST_MAX_BYTES)} a saved model holds; ` +
      'use fewer trees (nEstimators) or a smaller maxDepth, or predict fewer classes');
  }
}

/** Starting workers costs about 0.1 s: by default (nJobs -1) small data grows on this thread. */
const growsOnOneThread = (p: ForestParams, n: number) => p.nJobs < 0 && n * p.nEstimators < 500_000;

/** The threads a fit on `n` rows will grow its trees on, started now (see prestart). */
function prestartForest(p: ForestParams, n: number): void {
  if (!growsOnOneThread(p, n) && p.nJobs !== 1) prestart(workerScript('forestWorker'), threadsFor(p.nJobs, p.nEstimators));
}

/**
 * A forest's fit: the binned features (a byte per cell at most), per thread a copy of them in the
 * grower's WebAssembly memory with the rows' indices, weights and classes (18 bytes a row) and the
 * split histograms (2 × batch × 256 bins, and the one-hot groups' slots, × class f64s and a row
 * count), the trees, and the test rows' probabilities. How large trees grow is known only as they grow: the estimate counts the
 * least they take (see checkForestSize; 3.7 times, for their base64 and JSON copies at saving),
 * and the fit stops past FOREST_MAX_BYTES as they arrive.
 */
function forestMemory(p: ForestParams, { rows: n, cols: d, classes: k }: FitShape): FitMemory {
  const threads = growsOnOneThread(p, n) ? 1 : threadsFor(p.nJobs, p.nEstimators);
  const batch = Math.max(Math.min(d, mtryOf(p.maxFeatures, d) ?? d), 4);
  const perThread = n * d + 18 * n + (2 * batch * 256 + 2 * d) * (8 * (k > 1 ? k : 2) + 4);
  const trees = Math.min(leastTreeBytes({ n, nClasses: k }, p), FOREST_MAX_BYTES);
  return { bytes: fitBytes(n * d + threads * perThread + 3.7 * trees + 8 * n * k, threads > 1 ? threads : 0), advice: 'use fewer trees (nEstimators) or threads (nJobs), a smaller maxDepth, or predict fewer classes' };
}

async function growForest(type: string, input: GrowInput, p: ForestParams, options: FitOptions): Promise<Tree[]> {
  checkForestSize(type, input, p);
  const params: TreeParams = { maxDepth: p.maxDepth, minSamplesSplit: p.minSamplesSplit, minSamplesLeaf: p.minSamplesLeaf, mtry: mtryOf(p.maxFeatures, input.d)! }; // checked by checkForestParams
  const job: ForestJob = { input, params, bootstrap: p.bootstrap };
  const seeds = Array.from({ length: p.nEstimators }, (_, t) => treeSeed(p.randomState, t));
  const threads = growsOnOneThread(p, input.n) ? 1 : threadsFor(p.nJobs, p.nEstimators);
  const trees: Tree[] = new Array(p.nEstimators);
  let done = 0, bytes = 0;
  const tick = (tree: Tree) => {
    bytes += treeBytes(tree);
    if (bytes > FOREST_MAX_BYTES) {
      throw new Error(`${type}: the first ${done + 1} of ${p.nEstimators} trees already take ${mb(bytes)}, more than the ${mb(FOREST_MAX_BYTES)} a saved model holds; ` +
        'use fewer trees (nEstimators), a smaller maxDepth or a larger minSamplesLeaf');
    }
    options.onProgress?.(++done / p.nEstimators, `tree ${done} of ${p.nEstimators}`);
  };
  if (threads <= 1) {
    seeds.forEach((seed, t) => {
      if (options.signal?.aborted) throw new Error('cancelled');
      trees[t] = growSeededTree(job, seed);
      tick(trees[t]);
    });
    return trees;
  }
  // Each tree's seed is its own, so the forest does not depend on which thread grew which tree.
  await shareOut<ForestJob, number, Tree>(workerScript('forestWorker'), threads, job, seeds, (t, tree) => {
    trees[t] = tree;
    tick(tree);
  }, options.signal, true);
  return trees;
}

/** What both forests' fits do once X and y are checked: bin the features, grow the trees, average their importances. */
async function growModel(type: string, p: ForestParams, X: Matrix, target: Pick<GrowInput, 'yClass' | 'yValue' | 'nClasses'>, options: FitOptions): Promise<ForestModel> {
  const base = binnedInput(X, p.nJobs !== 1, target.yClass !== undefined);
  const trees = await growForest(type, { ...base, ...target }, p, options);
  return { nFeatures: X.cols, nClasses: target.nClasses, trees, featureImportances: averageImportances(trees, X.cols) };
}

/** The trees' leaf values (k per row) averaged: class probabilities, or the regression mean. */
function averageLeafValues(trees: Tree[], X: Matrix, k: number): Float64Array {
  const out = new Float64Array(X.rows * k);
  for (const tree of trees) {
    for (let i = 0; i < X.rows; i++) {
      addLeafValues(tree, leafOf(tree, X.data, i * X.cols), k, out, i * k);
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= trees.length;
  return out;
}

/** Per row: the sum of leaf values over the trees it was out of bag for, and how many. */
function outOfBagSums(trees: Tree[], X: Matrix, k: number, randomState: number): { sums: Float64Array; counts: Int32Array } {
  const sums = new Float64Array(X.rows * k), counts = new Int32Array(X.rows);
  trees.forEach((tree, t) => {
    const inBag = bootstrapCounts(X.rows, treeSeed(randomState, t));
    for (let i = 0; i < X.rows; i++) {
      if (inBag[i] > 0) continue;
      counts[i]++;
      addLeafValues(tree, leafOf(tree, X.data, i * X.cols), k, sums, i * k);
    }
  });
  return { sums, counts };
}

function averageImportances(trees: Tree[], d: number): number[] {
  const imp = new Float64Array(d);
  for (const t of trees) for (let f = 0; f < d; f++) imp[f] += t.importances[f];
  const total = imp.reduce((a, b) => a + b, 0);
  return Array.from(imp, (v) => (total > 0 ? v / total : 0));
}

const FOREST_DEFAULTS: ForestParams = {
  nEstimators: 100, maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 'sqrt', bootstrap: true, oobScore: false, randomState: 0, nJobs: -1,
};

function forestRules(p: ForestParams): Rule[] {
  return [
    wholeIn('nEstimators', p.nEstimators, 1, 10_000),
    rule(p.maxDepth === null || (Number.isInteger(p.maxDepth) && p.maxDepth >= 1), 'maxDepth', 'a whole number ≥ 1 or null', p.maxDepth),
    wholeAtLeast('minSamplesSplit', p.minSamplesSplit, 2),
    wholeAtLeast('minSamplesLeaf', p.minSamplesLeaf, 1),
    rule(mtryOf(p.maxFeatures, 1) !== undefined, 'maxFeatures', "'sqrt', 'log2', a fraction in (0, 1], a whole number ≥ 1 or null", p.maxFeatures),
    oneOf('bootstrap', p.bootstrap, [true, false]),
    oneOf('oobScore', p.oobScore, [true, false]),
    [!(p.oobScore && !p.bootstrap), 'an out-of-bag score (oobScore) needs bootstrap'],
    seed('randomState', p.randomState),
    nJobs(p.nJobs),
  ];
}

export class RandomForestClassifier extends Classifier<ForestParams, ForestModel, ForestState> {
  readonly type = 'RandomForestClassifier';
  readonly version = 1;

  constructor(params: Partial<ForestParams> = {}) {
    super(FOREST_DEFAULTS, params);
  }

  get nClasses(): number {
    return this.state().nClasses;
  }

  fitMemory(shape: FitShape): FitMemory {
    return forestMemory(this.params, shape);
  }

  async fit(X: Matrix, y: Int32Array, options: FitOptions = {}): Promise<this> {
    checkFitInput(this.type, X, y);
    this.checkParams();
    const k = checkClasses(this.type, y);
    this.learned = await growModel(this.type, this.params, X, { yClass: y, nClasses: k }, options);
    if (this.params.oobScore) this.learned.oobScore = this.outOfBag(X, y, this.learned.trees, k);
    return this;
  }

  private outOfBag(X: Matrix, y: Int32Array, trees: Tree[], k: number): number {
    const { sums, counts } = outOfBagSums(trees, X, k, this.params.randomState);
    const rows = Array.from({ length: X.rows }, (_, i) => i).filter((i) => counts[i] > 0);
    const pred = rows.map((i) => {
      let best = 0;
      for (let c = 1; c < k; c++) if (sums[i * k + c] > sums[i * k + best]) best = c;
      return best;
    });
    return accuracy(rows.map((i) => y[i]), pred);
  }

  protected saveState(m: ForestModel): ForestState {
    return toSaved(m, true);
  }

  protected paramRules(): Rule[] {
    return forestRules(this.params);
  }

  /** Loads a saved forest, validating every tree. */
  protected checkedState(saved: unknown): ForestModel {
    return decodeForest(this.type, saved);
  }

  predictProba(X: Matrix): Float64Array {
    const s = this.state();
    checkPredictInput(this.type, X, s.nFeatures);
    return averageLeafValues(s.trees, X, s.nClasses);
  }

  get featureImportances(): number[] {
    return this.state().featureImportances;
  }

  prestartThreads(rows: number): void {
    prestartForest(this.params, rows);
  }
}

export class RandomForestRegressor extends Estimator<ForestParams, ForestModel, ForestState> {
  readonly type = 'RandomForestRegressor';
  readonly version = 1;
  readonly task = 'regression' as const;

  constructor(params: Partial<ForestParams> = {}) {
    super({ ...FOREST_DEFAULTS, maxFeatures: null }, params); // scikit-learn: all features for regression
  }

  fitMemory(shape: FitShape): FitMemory {
    return forestMemory(this.params, { ...shape, classes: 1 });
  }

  async fit(X: Matrix, y: Float64Array, options: FitOptions = {}): Promise<this> {
    checkFitInput(this.type, X, y);
    this.checkParams();
    for (let i = 0; i < y.length; i++) if (!Number.isFinite(y[i])) throw new Error(`${this.type}: y holds ${y[i]} at row ${i + 1}`);
    const trees = (this.learned = await growModel(this.type, this.params, X, { yValue: y, nClasses: 1 }, options)).trees;
    if (this.params.oobScore) {
      const { sums, counts } = outOfBagSums(trees, X, 1, this.params.randomState);
      const rows = Array.from({ length: X.rows }, (_, i) => i).filter((i) => counts[i] > 0);
      this.learned.oobScore = r2(rows.map((i) => y[i]), rows.map((i) => sums[i] / counts[i]));
    }
    return this;
  }

  protected saveState(m: ForestModel): ForestState {
    return toSaved(m, false);
  }

  protected paramRules(): Rule[] {
    return forestRules(this.params);
  }

  /** Loads a saved forest, validating every tree. */
  protected checkedState(saved: unknown): ForestModel {
    return decodeForest(this.type, saved);
  }

  predict(X: Matrix): Float64Array {
    const s = this.state();
    checkPredictInput(this.type, X, s.nFeatures);
    return averageLeafValues(s.trees, X, 1);
  }

  get featureImportances(): number[] {
    return this.state().featureImportances;
  }

  prestartThreads(rows: number): void {
    prestartForest(this.params, rows);
  }
}
