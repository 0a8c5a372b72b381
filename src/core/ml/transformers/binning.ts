// Binning a numeric column into <col>_bin. Two ways, as their users know them:
// - explicit edges, as pandas' cut: intervals closed on the right (or the left, right: false),
//   includeLowest closing the first one, values outside every interval missing; with labels the
//   bin is a category named by its label, without them its number (cut's labels=False);
// - learned edges, as scikit-learn's KBinsDiscretizer (1.2): uniform (equal widths), quantile
//   (equal counts, numpy's linear percentiles) or kmeans (1-D k-means from uniform centres, the
//   edges halfway between sorted centres), bins narrower than 1e-8 merged; the bin number
//   (ordinal), or the bin as a category that the preprocessor one-hot encodes (onehot).
// Edges are learned from the training rows only; a missing value stays missing.
import { CODE_MISSING, Column, Frame } from '../../frame';
import { quantiles } from '../../profile/stats';
import { oneOf, rule, Rule, wholeIn } from '../params';
import { checkStateSchema, S } from '../savedState';
import { inputColumn, numericColumn, Step, StepInput } from './step';

export interface BinParams {
  column: string;
  /** Explicit edges (pd.cut); else learned with `strategy` into `nBins`. */
  edges: number[] | null;
  labels: string[] | null;
  right: boolean;
  includeLowest: boolean;
  strategy: 'uniform' | 'quantile' | 'kmeans';
  nBins: number;
  encode: 'ordinal' | 'onehot';
}

interface BinState {
  edges: number[];
}

const STATE = S.object({ edges: S.vector(S.number, 2) });

/** numpy's linspace(start, stop, num): start + i·step, the last exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? stop : i * step + start));
}

/**
 * scikit-learn's KMeans (Lloyd, one init, tol 1e-4 of the variance, 300 iterations) on one
 * column, from the given centres: the data centred first as KMeans does, empty clusters moved to
 * the points farthest from their centres.
 */
export function kmeans1d(x: Float64Array, init: number[], maxIter = 300, tol = 1e-4): number[] {
  const n = x.length, k = init.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  const xc = Float64Array.from(x, (v) => v - mean);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += xc[i] * xc[i];
  const tolerance = (variance / n) * tol;
  let centers = init.map((c) => c - mean);
  const labels = new Int32Array(n).fill(-1), labelsOld = new Int32Array(n).fill(-1);
  const assign = (c: number[], into: Int32Array) => {
    // As scikit-learn's chunked E-step: argmin of ||c||² − 2·x·c (||x||² is the same for every centre).
    const cc = c.map((v) => v * v);
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let j = 0; j < k; j++) {
        const d = cc[j] - 2 * xc[i] * c[j];
        if (d < bestD) [best, bestD] = [j, d];
      }
      into[i] = best;
    }
  };
  for (let it = 0; it < maxIter; it++) {
    assign(centers, labels);
    const sums = new Float64Array(k), counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      sums[labels[i]] += xc[i];
      counts[labels[i]]++;
    }
    const empty = [...counts.keys()].filter((j) => counts[j] === 0);
    if (empty.length) {
      const far = Array.from({ length: n }, (_, i) => i).sort((a, b) => (xc[b] - centers[labels[b]]) ** 2 - (xc[a] - centers[labels[a]]) ** 2).slice(0, empty.length);
      empty.forEach((j, e) => {
        const i = far[e];
        sums[labels[i]] -= xc[i];
        counts[labels[i]]--;
        sums[j] = xc[i];
        counts[j] = 1;
      });
    }
    const next = centers.map((c, j) => (counts[j] > 0 ? sums[j] / counts[j] : c));
    let shift = 0;
    for (let j = 0; j < k; j++) shift += (next[j] - centers[j]) ** 2;
    centers = next;
    // Labels unchanged (strict convergence), or centres that moved less than the tolerance.
    if (labels.every((l, i) => l === labelsOld[i]) || shift <= tolerance) break;
    labelsOld.set(labels);
  }
  return centers.map((c) => c + mean);
}

/** The edges scikit-learn's KBinsDiscretizer learns from the present values. */
export function learnEdges(values: Float64Array, strategy: BinParams['strategy'], nBins: number): number[] {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [min - 0.5, max + 0.5]; // a constant column: one bin, as scikit-learn warns (its edges are ±inf, which JSON cannot hold)
  let edges: number[];
  if (strategy === 'uniform') edges = linspace(min, max, nBins + 1);
  else if (strategy === 'quantile') edges = quantiles(values.slice(), linspace(0, 100, nBins + 1).map((p) => p / 100));
  else {
    const uniform = linspace(min, max, nBins + 1);
    const init = uniform.slice(1).map((e, i) => (e + uniform[i]) * 0.5);
    const centers = kmeans1d(values, init).sort((a, b) => a - b);
    edges = [min, ...centers.slice(1).map((c, i) => (c + centers[i]) * 0.5), max];
  }
  // Bins narrower than 1e-8 are merged (quantile and kmeans), as scikit-learn does with a warning.
  return strategy === 'uniform' ? edges : edges.filter((e, i) => i === 0 || e - edges[i - 1] > 1e-8);
}

export class Bin extends Step<BinParams, BinState> {
  readonly type = 'bin';
  readonly version = 1;

  constructor(params: Partial<BinParams> = {}) {
    super({ column: '', edges: null, labels: null, right: true, includeLowest: false, strategy: 'quantile', nBins: 5, encode: 'ordinal' }, params);
  }

  protected paramRules(): Rule[] {
    const p = this.params;
    const rules: Rule[] = [
      rule(typeof p.column === 'string' && p.column.length > 0, 'column', 'a column name', p.column),
      oneOf('right', p.right, [true, false]), oneOf('includeLowest', p.includeLowest, [true, false]),
      oneOf('strategy', p.strategy, ['uniform', 'quantile', 'kmeans']), wholeIn('nBins', p.nBins, 2, 1000), oneOf('encode', p.encode, ['ordinal', 'onehot']),
    ];
    if (p.edges !== null) {
      rules.push(rule(Array.isArray(p.edges) && p.edges.length >= 2 && p.edges.every((e, i) => typeof e === 'number' && Number.isFinite(e) && (i === 0 || e > p.edges![i - 1])), 'edges', 'at least two increasing numbers', p.edges));
      if (p.labels !== null) rules.push(rule(Array.isArray(p.labels) && Array.isArray(p.edges) && p.labels.length === p.edges.length - 1 && p.labels.every((l) => typeof l === 'string') && new Set(p.labels).size === p.labels.length, 'labels', `${Array.isArray(p.edges) ? p.edges.length - 1 : 'one per bin'} distinct names, one per bin`, p.labels));
    } else if (p.labels !== null) rules.push([false, 'labels need edges (learned bins are numbered)']);
    return rules;
  }

  inputColumns(): StepInput[] {
    return [{ name: this.params.column, kind: 'numeric' }];
  }

  private values(frame: Frame): Float64Array {
    const c = inputColumn(frame, this.params.column, this.type);
    if (c.kind !== 'numeric') throw new Error(`${frame.source}: column "${this.params.column}" holds ${c.kind} values; binning needs numbers`);
    return c.values;
  }

  fit(frame: Frame, rows: ArrayLike<number>): this {
    this.checkParams();
    const all = this.values(frame);
    if (this.params.edges) {
      this.learned = { edges: [...this.params.edges] };
      return this;
    }
    const present: number[] = [];
    for (let i = 0; i < rows.length; i++) if (all[rows[i]] === all[rows[i]]) present.push(all[rows[i]]);
    if (present.length === 0) throw new Error(`${frame.source}: column "${this.params.column}" has no values in the training rows to learn bins from`);
    this.learned = { edges: learnEdges(Float64Array.from(present), this.params.strategy, this.params.nBins) };
    return this;
  }

  /** Bin number per value, NaN when missing (or outside every interval of explicit edges). */
  private binOf(v: number): number {
    const e = this.state().edges;
    if (v !== v) return NaN;
    if (this.params.edges) {
      // pd.cut: (a, b] (or [a, b) when right is false); includeLowest puts the lowest edge in the
      // first bin (with right false it is there already: the top edge stays out, as in pandas).
      const { right, includeLowest } = this.params;
      if (includeLowest && v === e[0]) return 0;
      for (let b = 0; b + 1 < e.length; b++) {
        const lo = e[b], hi = e[b + 1];
        if (right ? v > lo && v <= hi : v >= lo && v < hi) return b;
      }
      return NaN;
    }
    // KBinsDiscretizer: digitize(x + 1e-8 + 1e-5·|x|, inner edges), clipped to the bins.
    const x = v + (1e-8 + 1e-5 * Math.abs(v));
    let b = 0;
    for (let j = 1; j < e.length - 1; j++) if (x >= e[j]) b = j;
    return Math.min(Math.max(b, 0), e.length - 2);
  }

  protected columns(frame: Frame): Column[] {
    const values = this.values(frame);
    const bins = Float64Array.from(values, (v) => this.binOf(v));
    const name = this.outputNames()[0];
    const labels = this.params.labels ?? (this.params.encode === 'onehot' && !this.params.edges ? this.state().edges.slice(1).map((_, b) => String(b)) : null);
    if (!labels) return [numericColumn(name, bins)];
    const codes = Int32Array.from(bins, (b) => (b === b ? b : CODE_MISSING));
    return [{ kind: 'categorical', name, length: frame.rows, codes, dictionary: [...labels] }];
  }

  outputNames(): string[] {
    return [`${this.params.column}_bin`];
  }

  protected checkedState(saved: unknown): BinState {
    checkStateSchema(this.type, STATE, saved);
    const s = saved as BinState;
    if (!s.edges.every((e, i) => i === 0 || e > s.edges[i - 1])) throw new Error(`${this.type}: saved edges do not increase`);
    if (this.params.edges && s.edges.join() !== this.params.edges.join()) throw new Error(`${this.type}: saved edges are not its options' edges`);
    return s;
  }
}
