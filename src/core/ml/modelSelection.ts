// Cross-validated scores, grid search and random search, as scikit-learn's cross_val_score,
// GridSearchCV and RandomizedSearchCV: stratified folds for classifiers (KFold for regressors),
// every candidate × fold in parallel worker threads, the full cv_results table, refit of the best.
import { shareOut, threadsFor, workerScript } from '../threads';
import type { CvFold, CvResult, CvSetup } from './cvWorker';
import type { Matrix } from './matrix';
import { checkFitMemory, FitShape } from './memory';
import { rng } from './random';
import { createEstimator } from './registry';
import { Scoring } from './scoring';
import { kFold, Split, stratifiedKFold, timeSeriesSplit } from './split';

export interface SearchOptions {
  cv?: number;
  scoring?: Scoring;
  /** Worker threads; -1 (default) one per core. */
  nJobs?: number;
  refit?: boolean;
  /** The rows are in time order: folds follow TimeSeriesSplit (each tests the rows after its training rows). */
  timeOrdered?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface CvResultRow {
  params: Record<string, unknown>;
  splitScores: number[];
  meanTestScore: number;
  stdTestScore: number;
  rankTestScore: number;
  meanFitSeconds: number;
}

export interface SearchResult {
  cvResults: CvResultRow[];
  bestIndex: number;
  bestParams: Record<string, unknown>;
  bestScore: number;
  /** The best candidate refitted on all rows (refit, the default). */
  bestEstimator?: ReturnType<typeof createEstimator>;
}

function toShared(a: Float64Array | Int32Array): SharedArrayBuffer {
  if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a.buffer;
  const sab = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)); // the bytes, whatever the element type
  return sab;
}

function folds(y: Int32Array | Float64Array, cv: number, classify: boolean, timeOrdered = false): Split[] {
  if (timeOrdered) return timeSeriesSplit(y.length, cv);
  return classify ? stratifiedKFold(y as Int32Array, cv) : kFold(y.length, cv);
}

/** Runs every candidate on every fold; returns scores[candidate][fold] and fit times. */
async function evaluate(type: string, candidates: Record<string, unknown>[], X: Matrix, y: Int32Array | Float64Array, o: SearchOptions) {
  const classify = createEstimator(type).task === 'classification';
  const cv = o.cv ?? 5;
  const scoring = o.scoring ?? (classify ? 'accuracy' : 'r2');
  const splits = folds(y, cv, classify, o.timeOrdered);
  const total = candidates.length * splits.length;
  const threads = threadsFor(o.nJobs, total);
  checkFoldMemory(type, candidates, fitShape(X, y, classify), splits.length, threads);
  const setup: CvSetup = { type, rows: X.rows, cols: X.cols, X: toShared(X.data), y: toShared(y), yKind: classify ? 'class' : 'value', scoring };
  // Item q is candidate ⌊q / folds⌋ on fold q mod folds.
  const items: CvFold[] = candidates.flatMap((params) => splits.map((s) => ({ params, train: s.train, test: s.test })));
  const results = candidates.map(() => new Array<CvResult>(splits.length));
  let done = 0;
  await shareOut<CvSetup, CvFold, CvResult>(workerScript('cvWorker'), threads, setup, items, (q, r) => {
    results[Math.floor(q / splits.length)][q % splits.length] = r;
    o.onProgress?.(++done, total);
  }, o.signal);
  return { results, scoring };
}

/** Mean and population standard deviation of fold scores, as cv_results_ reports them. */
export function meanStd(scores: number[]): { mean: number; std: number } {
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  return { mean, std: Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / scores.length) };
}

function summarize(candidates: Record<string, unknown>[], results: CvResult[][]): CvResultRow[] {
  const rows = candidates.map((params, i) => {
    const splitScores = results[i].map((r) => r.score);
    const { mean, std } = meanStd(splitScores);
    return { params, splitScores, meanTestScore: mean, stdTestScore: std, rankTestScore: 0, meanFitSeconds: results[i].reduce((a, r) => a + r.fitSeconds, 0) / results[i].length };
  });
  // Rank 1 is best; ties share the lowest rank (scikit-learn's method='min').
  for (const r of rows) r.rankTestScore = 1 + rows.filter((o) => o.meanTestScore > r.meanTestScore).length;
  return rows;
}

export async function crossValScore(type: string, params: Record<string, unknown>, X: Matrix, y: Int32Array | Float64Array, o: SearchOptions = {}): Promise<number[]> {
  const { results } = await evaluate(type, [params], X, y, o);
  return results[0].map((r) => r.score);
}

/** The shape a fit on X and y sees (classes: the largest class index + 1). */
export function fitShape(X: Matrix, y: Int32Array | Float64Array, classify: boolean): FitShape {
  let k = 1;
  if (classify) for (let i = 0; i < y.length; i++) if (y[i] >= k) k = y[i] + 1;
  return { rows: X.rows, cols: X.cols, classes: k };
}

/** Each distinct candidate once (a grid may repeat one after its values are merged with the base). */
function distinct(candidates: Record<string, unknown>[]): Record<string, unknown>[] {
  const seen = new Set<string>();
  return candidates.filter((c) => {
    const key = JSON.stringify(c);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** A fold's fit as the worker runs it: one thread inside (parallelism is across fits). */
const foldEstimator = (type: string, params: Record<string, unknown>) =>
  createEstimator(type, 'nJobs' in createEstimator(type).getParams() ? { ...params, nJobs: 1 } : params);

/** Refuses folds whose fits, `threads` at once on (folds − 1) / folds of the rows, would pass the memory budget. */
function checkFoldMemory(type: string, candidates: Record<string, unknown>[], shape: FitShape, folds: number, threads: number): void {
  const foldShape = { ...shape, rows: Math.ceil((shape.rows * (folds - 1)) / folds) };
  for (const c of distinct(candidates)) checkFitMemory(foldEstimator(type, c), foldShape, threads);
}

/**
 * Refuses a search before any fit: every candidate's parameters are checked as its fit would check
 * them (a grid value of nEstimators 1e9 otherwise failed in each worker, fold after fold), and,
 * given the data's shape, its folds' memory and the best one's refit (memory.ts).
 */
export function checkCandidates(type: string, candidates: Record<string, unknown>[], fits?: SearchFits): void {
  if (candidates.length === 0) throw new Error('the search has no candidates');
  for (const c of distinct(candidates)) createEstimator(type, c).checkParams();
  if (fits) checkSearchMemory(type, candidates, fits);
}

export interface SearchFits {
  shape: FitShape;
  cv: number;
  nJobs?: number;
}

/** Refuses a search (or a model's cross-validation and fit) whose folds or refit would pass the memory budget. */
export function checkSearchMemory(type: string, candidates: Record<string, unknown>[], fits: SearchFits): void {
  if (fits.cv >= 2) checkFoldMemory(type, candidates, fits.shape, fits.cv, threadsFor(fits.nJobs, candidates.length * fits.cv));
  for (const c of distinct(candidates)) checkFitMemory(createEstimator(type, c), fits.shape);
}

/** Cross-validates the candidates (see evaluate) and refits the best: GridSearchCV and RandomizedSearchCV's shared part. */
export async function searchCandidates(type: string, candidates: Record<string, unknown>[], X: Matrix, y: Int32Array | Float64Array, o: SearchOptions): Promise<SearchResult> {
  checkCandidates(type, candidates);
  const { results } = await evaluate(type, candidates, X, y, o);
  const cvResults = summarize(candidates, results);
  const bestIndex = cvResults.findIndex((r) => r.rankTestScore === 1);
  const out: SearchResult = { cvResults, bestIndex, bestParams: candidates[bestIndex], bestScore: cvResults[bestIndex].meanTestScore };
  if (o.refit ?? true) {
    const best = createEstimator(type, candidates[bestIndex]);
    await best.fit(X, y, { signal: o.signal });
    out.bestEstimator = best;
  }
  return out;
}

/**
 * The most fits (candidates × folds) a search starts: a 2,000,000-candidate grid once started
 * without a word. 10,000 is a day of forests on a laptop and far past a useful grid.
 */
export const MAX_SEARCH_FITS = 10_000;

function checkSearchSize(candidates: number, cv: number, what: string): void {
  if (candidates * cv <= MAX_SEARCH_FITS) return;
  const n = (x: number) => x.toLocaleString('en-US');
  throw new Error(`${what} has ${n(candidates)} candidates, ${n(candidates * cv)} fits with ${cv} folds, past the ${n(MAX_SEARCH_FITS)} a search runs: ` +
    'give fewer values per parameter, or sample the space with a random search (space and nIter)');
}

/** Every combination of the grid's values, in scikit-learn's ParameterGrid order (keys sorted). */
export function parameterGrid(grid: Record<string, unknown[]>, cv = 1): Record<string, unknown>[] {
  const keys = Object.keys(grid).sort();
  for (const k of keys) if (!Array.isArray(grid[k]) || grid[k].length === 0) throw new Error(`grid: "${k}" needs a non-empty list of values`);
  // Counted before any candidate is made: the product of the list lengths.
  checkSearchSize(keys.reduce((n, k) => n * grid[k].length, 1), cv, 'the grid');
  let out: Record<string, unknown>[] = [{}];
  for (const k of keys) out = out.flatMap((p) => grid[k].map((v) => ({ ...p, [k]: v })));
  return out;
}

export function gridSearch(type: string, base: Record<string, unknown>, grid: Record<string, unknown[]>, X: Matrix, y: Int32Array | Float64Array, o: SearchOptions = {}): Promise<SearchResult> {
  return searchCandidates(type, parameterGrid(grid, o.cv ?? 5).map((p) => ({ ...base, ...p })), X, y, o);
}

/** A distribution to sample: a list (uniform choice) or a range, optionally log-uniform or whole. */
export type Distribution = unknown[] | { low: number; high: number; log?: boolean; integer?: boolean };

/** Refuses a range that cannot be sampled: bounds not numbers, low above high, a log range through 0. */
function checkSpace(space: Record<string, Distribution>): void {
  const problems: string[] = [];
  for (const [k, d] of Object.entries(space)) {
    if (Array.isArray(d)) {
      if (d.length === 0) problems.push(`"${k}" needs a non-empty list of values`);
      continue;
    }
    if (!Number.isFinite(d?.low) || !Number.isFinite(d?.high)) problems.push(`"${k}" needs numbers low and high`);
    else if (d.low > d.high) problems.push(`"${k}" has low ${d.low} above high ${d.high}`);
    else if (d.log && d.low <= 0) problems.push(`"${k}" is log-uniform, so low must be positive (got ${d.low})`);
    else if (d.integer && Math.floor(d.high) < Math.ceil(d.low)) problems.push(`"${k}" holds no whole number between ${d.low} and ${d.high}`);
  }
  if (problems.length) throw new Error(`space: ${problems.join('; ')}`);
}

export function sampleParams(space: Record<string, Distribution>, n: number, seed = 42, cv = 1): Record<string, unknown>[] {
  checkSpace(space);
  checkSearchSize(n, cv, 'the random search');
  const rand = rng(seed);
  const keys = Object.keys(space).sort();
  return Array.from({ length: n }, () => Object.fromEntries(keys.map((k) => {
    const d = space[k];
    if (Array.isArray(d)) return [k, d[Math.floor(rand() * d.length)]];
    const u = rand();
    let v = d.log ? Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low))) : d.low + u * (d.high - d.low);
    if (d.integer) v = Math.min(d.high, Math.floor(v));
    return [k, v];
  })));
}

export function randomSearch(type: string, base: Record<string, unknown>, space: Record<string, Distribution>, nIter: number, X: Matrix, y: Int32Array | Float64Array, o: SearchOptions & { seed?: number } = {}): Promise<SearchResult> {
  return searchCandidates(type, sampleParams(space, nIter, o.seed, o.cv ?? 5).map((p) => ({ ...base, ...p })), X, y, o);
}
