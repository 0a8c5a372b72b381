// Train/test split and cross-validation folds, seeded; stratified variants keep class shares.
import { NumpyRandomState } from './numpyRandom';
import { classCount } from './estimator';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

/** 0, 1, …, n − 1; a loop, as TypedArray.from(…, fn) takes about 300 ns a row (1 s on 3M rows). */
export function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * scikit-learn's train_test_split: ceil(testSize * n) test rows, drawn with numpy's RandomState
 * seeded as random_state, so a seed takes the same rows, in the same order, as
 * train_test_split(X, y, test_size=…, random_state=seed[, stratify=y]) does. With `stratify`
 * (class index per row; classes ordered as their labels sort, as numpy's unique orders them)
 * this is StratifiedShuffleSplit: every class gets its share of training and test rows.
 */
export function trainTestSplit(n: number, options: { testSize?: number; stratify?: Int32Array; seed?: number } = {}): Split {
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1)) throw new Error(`test size must be between 0 and 1 (got ${testSize})`);
  const nTest = Math.ceil(testSize * n), nTrain = n - nTest;
  if (nTest < 1 || nTrain < 1) throw new Error(`cannot split ${n} rows with test size ${testSize}`);
  const random = new NumpyRandomState(options.seed ?? 42);
  if (!options.stratify) {
    const order = random.permutation(n);
    return { train: order.slice(nTest), test: order.slice(0, nTest) };
  }
  const y = options.stratify;
  const byClass: number[][] = Array.from({ length: classCount(y) }, () => []);
  for (let i = 0; i < n; i++) byClass[y[i]].push(i);
  const present = byClass.filter((g) => g.length > 0);
  if (present.some((g) => g.length < 2)) throw new Error('a class has a single row: it cannot be in both the training and the test split');
  if (nTest < present.length) throw new Error(`the test split (${nTest} rows) is smaller than the number of classes (${present.length})`);
  if (nTrain < present.length) throw new Error(`the training split (${nTrain} rows) is smaller than the number of classes (${present.length})`);
  const counts = present.map((g) => g.length);
  const trainCounts = approximateMode(counts, nTrain, random);
  const testCounts = approximateMode(counts.map((c, i) => c - trainCounts[i]), nTest, random);
  const train: number[] = [], test: number[] = [];
  present.forEach((rows, c) => {
    const order = random.permutation(rows.length);
    for (let i = 0; i < trainCounts[c]; i++) train.push(rows[order[i]]);
    for (let i = trainCounts[c]; i < trainCounts[c] + testCounts[c]; i++) test.push(rows[order[i]]);
  });
  return { train: random.shuffle(Int32Array.from(train)), test: random.shuffle(Int32Array.from(test)) };
}

/**
 * scikit-learn's _approximate_mode: draws per class in proportion to the class counts, rounded
 * down, the rest given to the largest remainders; ties broken by the generator, as there.
 */
function approximateMode(counts: number[], draws: number, random: NumpyRandomState): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const continuous = counts.map((c) => (c / total) * draws);
  const out = continuous.map(Math.floor);
  let needed = draws - out.reduce((a, b) => a + b, 0);
  const remainders = continuous.map((v, i) => v - out[i]);
  for (const value of [...new Set(remainders)].sort((a, b) => b - a)) {
    if (needed <= 0) break;
    const tied = remainders.flatMap((r, i) => (r === value ? [i] : []));
    const take = Math.min(tied.length, needed);
    // choice(tied, take, replace=False): the first `take` of a permutation.
    const order = random.permutation(tied.length);
    for (let i = 0; i < take; i++) out[tied[order[i]]]++;
    needed -= take;
  }
  return out;
}

/**
 * scikit-learn's TimeSeriesSplit: rows in time order, k folds each testing the next n / (k + 1)
 * rows on all the rows before them.
 */
export function timeSeriesSplit(n: number, k: number): Split[] {
  const testSize = Math.floor(n / (k + 1));
  if (k < 2 || testSize < 1) throw new Error(`cannot make ${k} time-ordered folds of ${n} rows`);
  return Array.from({ length: k }, (_, f) => {
    const start = n - (k - f) * testSize;
    return { train: range(start), test: Int32Array.from({ length: testSize }, (_, i) => start + i) };
  });
}

/** K folds of contiguous blocks (scikit-learn's KFold), optionally shuffled first by numpy's generator, as there. */
export function kFold(n: number, k: number, options: { shuffle?: boolean; seed?: number } = {}): Split[] {
  if (k < 2 || k > n) throw new Error(`cannot make ${k} folds of ${n} rows`);
  const order = options.shuffle ? new NumpyRandomState(options.seed ?? 42).permutation(n) : range(n);
  const folds: Split[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    const test = order.slice(start, start + size).sort();
    const inTest = new Uint8Array(n);
    for (const i of test) inTest[i] = 1;
    folds.push({ train: range(n).filter((i) => !inTest[i]), test });
    start += size;
  }
  return folds;
}

/**
 * scikit-learn's StratifiedKFold: each class's rows, in order, are dealt to the folds so that every
 * fold gets the class counts of y sorted and taken every k-th row; with shuffle, each class's fold
 * numbers are shuffled first by numpy's generator (classes in order of first appearance), as there.
 */
export function stratifiedKFold(labels: Int32Array, k: number, options: { shuffle?: boolean; seed?: number } = {}): Split[] {
  const n = labels.length;
  // scikit-learn numbers the classes by first appearance before dealing them out.
  const firstSeen = new Map<number, number>();
  for (const c of labels) if (!firstSeen.has(c)) firstSeen.set(c, firstSeen.size);
  const y = Int32Array.from(labels, (c) => firstSeen.get(c)!);
  const nClasses = classCount(y);
  const counts = new Int32Array(nClasses);
  for (const c of y) counts[c]++;
  if (k < 2 || counts.every((c) => c < k) || k > n) throw new Error(`cannot make ${k} stratified folds: the most frequent class has ${counts.reduce((a, b) => Math.max(a, b), 0)} rows`);
  // allocation[f][c] = bincount(sorted(y)[f::k])
  const sorted = Int32Array.from(y).sort();
  const allocation = Array.from({ length: k }, (_, f) => {
    const a = new Int32Array(nClasses);
    for (let i = f; i < n; i += k) a[sorted[i]]++;
    return a;
  });
  // folds_for_class = arange(k).repeat(allocation[:, c]), shuffled per class when asked.
  const random = options.shuffle ? new NumpyRandomState(options.seed ?? 42) : undefined;
  const foldsForClass = Array.from({ length: nClasses }, (_, c) => {
    const f = Int32Array.from(allocation.flatMap((a, fold) => new Array<number>(a[c]).fill(fold)));
    return random ? random.shuffle(f) : f;
  });
  const fold = new Int32Array(n);
  const seen = new Int32Array(nClasses);
  for (let i = 0; i < n; i++) fold[i] = foldsForClass[y[i]][seen[y[i]]++];
  return Array.from({ length: k }, (_, f) => ({ train: range(n).filter((i) => fold[i] !== f), test: range(n).filter((i) => fold[i] === f) }));
}
