// Train/test split and cross-validation folds, seeded; stratified variants keep class shares.
import { rng, shuffle } from './random';
import { classCount } from './estimator';

export interface Split {
  train: Int32Array;
  test: Int32Array;
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/**
 * Shuffled split with ceil(testSize * n) test rows (scikit-learn's count). With `stratify` (class
 * index per row) every class gets its share of test rows, rounded by largest remainder. Like
 * scikit-learn's, both parts come in shuffled order, so that later unshuffled folds of the
 * training part do not follow the file's order (a file sorted by class would skew them).
 */
export function trainTestSplit(n: number, options: { testSize?: number; stratify?: Int32Array; seed?: number } = {}): Split {
  const testSize = options.testSize ?? 0.25;
  if (!(testSize > 0 && testSize < 1)) throw new Error(`test size must be between 0 and 1 (got ${testSize})`);
  const nTest = Math.ceil(testSize * n);
  if (nTest < 1 || n - nTest < 1) throw new Error(`cannot split ${n} rows with test size ${testSize}`);
  const rand = rng(options.seed ?? 42);
  if (!options.stratify) {
    const order = shuffle(range(n), rand);
    return { train: order.slice(nTest), test: order.slice(0, nTest) };
  }
  const y = options.stratify;
  const k = classCount(y);
  const byClass: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) byClass[y[i]].push(i);
  const present = byClass.filter((g) => g.length > 0);
  if (present.some((g) => g.length < 2)) throw new Error('a class has a single row: it cannot be in both the training and the test split');
  if (nTest < present.length) throw new Error(`the test split (${nTest} rows) is smaller than the number of classes (${present.length})`);
  // Largest-remainder allocation of test rows to classes.
  const exact = byClass.map((g) => (g.length * nTest) / n);
  const alloc = exact.map(Math.floor);
  let left = nTest - alloc.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, c) => [e - Math.floor(e), c]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, c] of byRemainder) {
    if (left === 0) break;
    if (alloc[c] < byClass[c].length - 1) {
      alloc[c]++;
      left--;
    }
  }
  const train: number[] = [], test: number[] = [];
  byClass.forEach((g, c) => {
    const order = shuffle(Int32Array.from(g), rand);
    for (let i = 0; i < order.length; i++) (i < alloc[c] ? test : train).push(order[i]);
  });
  return { train: shuffle(Int32Array.from(train), rand), test: shuffle(Int32Array.from(test), rand) };
}

/** K folds of contiguous blocks (scikit-learn's KFold), optionally shuffled first. */
export function kFold(n: number, k: number, options: { shuffle?: boolean; seed?: number } = {}): Split[] {
  if (k < 2 || k > n) throw new Error(`cannot make ${k} folds of ${n} rows`);
  const order = options.shuffle ? shuffle(range(n), rng(options.seed ?? 42)) : range(n);
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
 * scikit-learn's StratifiedKFold(shuffle=False): each class's rows, in order, are dealt to the
 * folds so that every fold gets the class counts of y sorted and taken every k-th row.
 */
export function stratifiedKFold(labels: Int32Array, k: number): Split[] {
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
  const fold = new Int32Array(n);
  const seen = new Int32Array(nClasses);
  const foldOfNth = (c: number, nth: number) => {
    let f = 0;
    for (let acc = allocation[0][c]; nth >= acc; acc += allocation[++f][c]);
    return f;
  };
  for (let i = 0; i < n; i++) fold[i] = foldOfNth(y[i], seen[y[i]]++);
  return Array.from({ length: k }, (_, f) => ({ train: range(n).filter((i) => fold[i] !== f), test: range(n).filter((i) => fold[i] === f) }));
}
