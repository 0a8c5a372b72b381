// ONNX export: one graph that holds a bundle's whole pipeline, built with ONNX's own protobuf
// definitions (the onnx-proto package: onnx.proto compiled for protobufjs), no wire format by hand.
// Inputs: one [N, 1] tensor per raw input column, named as the column: double for numbers and
// booleans (NaN missing), string for categories ("" missing), int64 epoch milliseconds (UTC) for
// times (INT64_MIN missing). Double, not float, for numbers: a forest's thresholds sit on training
// values, and float32 inputs moved rows across them (seattle's forest: probabilities 0.2 apart). Inside, everything runs in double, as ML Workbench computes it:
// imputation (Where/IsNaN), scaling, one-hot encoding (a LabelEncoder to the category's slot, then
// Equal against the slots: unseen categories give zeros), date parts (the civil calendar in
// Floor/Div arithmetic), then the model. Outputs: `label` ([N]: the class label as a string, or the
// value for regression) and, for classifiers, `probabilities` ([N, classes], the bundle's class
// order; no ZipMap). Opsets: ai.onnx 15, ai.onnx.ml 3 (double thresholds for tree ensembles).
// What cannot be exported is refused by name: feature steps. A multiclass SVC's probabilities come
// from libsvm's iterative pairwise coupling, which the graph runs as an ONNX Loop.
import { onnx } from 'onnx-proto';
import type { Model } from '../ml/estimator';
import { decodeForest, ForestState } from '../ml/models/forest/forest';
import type { LinearState, LogisticRegressionState } from '../ml/models/linear';
import type { MlpState } from '../ml/models/mlp/mlp';
import type { SvcState } from '../ml/models/svm';
import type { ApproxSvcState } from '../ml/models/svmApprox';
import type { ColumnPipeline } from '../ml/transformers/columnTransformer';
import { DATETIME_PARTS } from '../ml/transformers/dateParts';
import { writeAtomic } from '../io/writeAtomic';
import { LoadedBundle, loadBundle } from '../workflow/bundle';
import { checkOutputPath } from '../workflow/predict';

const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;
export const ONNX_OPSET = 15;
export const ONNX_ML_OPSET = 3;
/** A missing time in an int64 input: anything at or below this (INT64_MIN is what we write). */
const MISSING_TIME_BELOW = -4.6e18;

type Attr = number | string | number[] | string[] | { floats: number[] } | { tensor: onnx.ITensorProto } | { graph: onnx.IGraphProto };

const utf8 = (s: string) => new TextEncoder().encode(s);

function attribute(name: string, v: Attr): onnx.IAttributeProto {
  if (typeof v === 'number') return Number.isInteger(v) ? { name, type: A.INT, i: v } : { name, type: A.FLOAT, f: v };
  if (typeof v === 'string') return { name, type: A.STRING, s: utf8(v) };
  if (Array.isArray(v)) {
    if (v.length && typeof v[0] === 'string') return { name, type: A.STRINGS, strings: (v as string[]).map(utf8) };
    return { name, type: A.INTS, ints: v as number[] };
  }
  if ('floats' in v) return { name, type: A.FLOATS, floats: v.floats };
  if ('graph' in v) return { name, type: A.GRAPH, g: v.graph };
  return { name, type: A.TENSOR, t: v.tensor };
}

/** A double tensor of these values and dims. */
const doubles = (values: ArrayLike<number>, dims: number[], name = ''): onnx.ITensorProto => ({ name, dims, dataType: T.DOUBLE, doubleData: Array.from(values) });
const int64s = (values: number[], dims: number[], name = ''): onnx.ITensorProto => ({ name, dims, dataType: T.INT64, int64Data: values });
const floats = (values: ArrayLike<number>, dims: number[], name = ''): onnx.ITensorProto => ({ name, dims, dataType: T.FLOAT, floatData: Array.from(values) });

/** Builds a graph node by node; every value gets a unique name. */
class Graph {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private n = 0;

  /** `space` keeps a subgraph's names (a Loop's body) apart from its parent's. */
  constructor(private readonly space = '') {}

  fresh(prefix: string): string {
    return `${this.space}${prefix}_${this.n++}`;
  }

  constant(t: onnx.ITensorProto, prefix = 'c'): string {
    const name = this.fresh(prefix);
    this.initializers.push({ ...t, name });
    return name;
  }

  /** A double scalar broadcast against [N, k] (shape [1] or [1, k]). */
  num(...values: number[]): string {
    return this.constant(doubles(values, values.length === 1 ? [1] : [1, values.length]));
  }

  op(type: string, inputs: string[], attrs: Record<string, Attr> = {}, o: { domain?: string; outputs?: number } = {}): string[] {
    const outputs = Array.from({ length: o.outputs ?? 1 }, () => this.fresh(type.toLowerCase()));
    this.nodes.push({ opType: type, input: inputs, output: outputs, name: this.fresh(`n_${type}`), ...(o.domain ? { domain: o.domain } : {}), attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return outputs;
  }

  one(type: string, inputs: string[], attrs: Record<string, Attr> = {}, domain?: string): string {
    return this.op(type, inputs, attrs, { domain })[0];
  }

  // Elementwise helpers in double.
  add = (a: string, b: string) => this.one('Add', [a, b]);
  sub = (a: string, b: string) => this.one('Sub', [a, b]);
  mul = (a: string, b: string) => this.one('Mul', [a, b]);
  div = (a: string, b: string) => this.one('Div', [a, b]);
  floor = (a: string) => this.one('Floor', [a]);
  where = (c: string, a: string, b: string) => this.one('Where', [c, a, b]);
  less = (a: string, b: string) => this.one('Less', [a, b]);
  toDouble = (a: string) => this.one('Cast', [a], { to: T.DOUBLE });
  /** floor(a / b), b a constant. */
  floorDiv = (a: string, b: number) => this.floor(this.div(a, this.num(b)));
}

/** The refusal of an export, naming what cannot be exported and what to do instead. */
export class NotExportable extends Error {}

/** Year, month, day of week, weekend and hour of a [N, 1] double time, as calendar.ts computes them. */
function dateParts(g: Graph, t: string, parts: readonly string[]): string[] {
  const days = g.floorDiv(t, 86400000);
  const d3 = g.add(days, g.num(3));
  const dayofweek = g.sub(d3, g.mul(g.num(7), g.floorDiv(d3, 7)));
  const z = g.add(days, g.num(719468));
  const era = g.floorDiv(z, 146097);
  const doe = g.sub(z, g.mul(era, g.num(146097)));
  const yoe = g.floorDiv(g.sub(g.add(g.sub(doe, g.floorDiv(doe, 1460)), g.floorDiv(doe, 36524)), g.floorDiv(doe, 146096)), 365);
  const doyMarch = g.sub(doe, g.sub(g.add(g.mul(g.num(365), yoe), g.floorDiv(yoe, 4)), g.floorDiv(yoe, 100)));
  const mp = g.floorDiv(g.add(g.mul(g.num(5), doyMarch), g.num(2)), 153);
  const month = g.where(g.less(mp, g.num(10)), g.add(mp, g.num(3)), g.sub(mp, g.num(9)));
  const year = g.add(g.add(yoe, g.mul(era, g.num(400))), g.toDouble(g.less(month, g.num(2.5))));
  const weekend = g.toDouble(g.one('Greater', [dayofweek, g.num(4.5)]));
  const hour = g.floorDiv(g.sub(t, g.mul(days, g.num(86400000))), 3600000);
  const all: Record<string, string> = { year, month, dayofweek, weekend, hour };
  return parts.map((p) => all[p]);
}

/** How a column of the matrix comes from a float input: its scaling (x − mean) / scale; null for exact columns (one-hot, date parts). */
type Affine = { mean: number; scale: number } | null;

/** A column's block of the matrix: [N, k] double; and how each of its columns comes from its input. */
function columnBlock(g: Graph, p: ColumnPipeline): { block: string; affine: Affine[] } {
  const input = p.column;
  let kind: 'numbers' | 'categories' = p.kind === 'categorical' ? 'categories' : 'numbers';
  // Numbers stay float until imputed; times are exact int64 milliseconds.
  let isFloat = p.kind === 'numeric' || p.kind === 'boolean';
  let block = p.kind === 'datetime' ? g.toDouble(input) : input;
  const missingTime = p.kind === 'datetime' ? g.less(block, g.num(MISSING_TIME_BELOW)) : '';
  let categoryFill: string | null = null;
  let affine: Affine[] = isFloat ? [{ mean: 0, scale: 1 }] : [];
  const toDouble = () => {
    if (isFloat) block = g.toDouble(block);
    isFloat = false;
  };
  for (const step of p.steps) {
    const s = step.learnedState as Record<string, unknown>;
    switch (step.type) {
      case 'dateParts': {
        const names = (step.params as { parts: string[] }).parts;
        const parts = dateParts(g, block, names.filter((n) => (DATETIME_PARTS as readonly string[]).includes(n)));
        const nan = g.num(NaN);
        block = g.one('Concat', parts.map((x) => g.where(missingTime, nan, x)), { axis: 1 });
        affine = parts.map(() => null);
        break;
      }
      case 'impute':
        if (kind === 'categories') categoryFill = (s.statistics as (string | null)[])[0];
        else if (isFloat) {
          block = g.where(g.one('IsNaN', [block]), g.constant(floats((s.statistics as number[]).map(Math.fround), [1, (s.statistics as number[]).length])), block);
          toDouble();
        } else block = g.where(g.one('IsNaN', [block]), g.num(...(s.statistics as number[])), block);
        break;
      case 'scale': {
        toDouble();
        const mean = s.mean as number[], scale = s.scale as number[];
        block = g.div(g.sub(block, g.num(...mean)), g.num(...scale));
        affine = affine.map((a, k) => (a ? { mean: mean[k], scale: scale[k] } : null));
        break;
      }
      case 'oneHot': {
        const categories = s.categories as string[];
        const dropFirst = (step.params as { dropFirst: boolean }).dropFirst;
        const kept = categories.slice(dropFirst ? 1 : 0);
        // Each category to its slot (the dropped first and unseen ones to -1); a missing value ("") to its fill's slot.
        const keys = kept.map((c) => c);
        const values = kept.map((_, i) => i);
        if (categoryFill !== null && kept.includes(categoryFill)) {
          keys.push('');
          values.push(kept.indexOf(categoryFill));
        }
        if (!kept.length) throw new NotExportable(`column "${p.column}" one-hot encodes to no column (one category, dropped)`);
        const slot = g.one('LabelEncoder', [input], { keys_strings: keys, values_int64s: values, default_int64: -1 }, 'ai.onnx.ml');
        const slots = g.constant(int64s(kept.map((_, i) => i), [1, kept.length]));
        block = g.toDouble(g.one('Equal', [slot, slots]));
        affine = kept.map(() => null);
        kind = 'numbers';
        break;
      }
      default:
        throw new NotExportable(`column "${p.column}": its ${step.type} step has no ONNX form`);
    }
  }
  toDouble();
  return { block, affine };
}

const bits = new DataView(new ArrayBuffer(8));
/** The next double above (up) or below x. */
function nextDouble(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE;
  bits.setFloat64(0, x);
  const b = bits.getBigInt64(0);
  bits.setBigInt64(0, (x > 0) === up ? b + 1n : b - 1n);
  return bits.getFloat64(0);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The float32 next to float32 f, above (up) or below. */
function nextFloat(f: number, up: boolean): number {
  f32[0] = f;
  if (f === 0) u32[0] = 1;
  else u32[0] += (f > 0) === up ? 1 : -1;
  return f === 0 && !up ? -f32[0] : f32[0];
}

/**
 * A split "(x − mean) / scale ≤ t" on a double x, as the same split on a float input. b is the
 * largest double that goes left; the threshold becomes a float F next to b, so that values go
 * the same way from their floats: F = fround(b), except where a data value sits on the edge. A
 * forest's threshold is the midpoint of two training values, and a test value can sit on that
 * midpoint (3.1 and 3.3 around a 3.2: seattle's wind); its float must stay on the side its double
 * goes. Such a value is a short decimal within a float's spacing of b: F is its float, or the float
 * below it, as its double goes left or right.
 */
export function floatThreshold(t: number, a: { mean: number; scale: number }): number {
  const f = (x: number) => (x - a.mean) / a.scale;
  let b = t * a.scale + a.mean;
  for (let i = 0; i < 200 && f(b) > t; i++) b = nextDouble(b, false);
  for (let i = 0; i < 200 && f(nextDouble(b, true)) <= t; i++) b = nextDouble(b, true);
  let F = Math.fround(b);
  const spacing = Math.abs(nextFloat(F, true) - F);
  for (let digits = 1; digits <= 9; digits++) {
    const v = Number(b.toPrecision(digits));
    if (Math.abs(v - b) > spacing) continue;
    F = f(v) <= t ? Math.fround(v) : nextFloat(Math.fround(v), false);
    break;
  }
  return f(F);
}

interface Outputs {
  label: string;
  probabilities?: string;
}

/** Platt's sigmoid as libsvm computes it (the stable branch by sign), clipped to [1e-7, 1 − 1e-7]. */
function platt(g: Graph, f: string, a: number[], b: number[]): string {
  const fApB = g.add(g.mul(f, g.num(...a)), g.num(...b));
  const e = g.one('Exp', [g.one('Neg', [g.one('Abs', [fApB])])]);
  const one = g.num(1);
  const positive = g.div(e, g.add(one, e));
  const negative = g.div(one, g.add(one, e));
  const p = g.where(g.one('Less', [fApB, g.num(0)]), negative, positive);
  return g.one('Clip', [p, g.constant(doubles([1e-7], [])), g.constant(doubles([1 - 1e-7], []))]);
}

function labelOf(g: Graph, index: string, labels: string[]): string {
  const classes = g.constant({ dims: [labels.length], dataType: T.STRING, stringData: labels.map(utf8) });
  return g.one('Gather', [classes, index], { axis: 0 });
}

/**
 * libsvm's pairwise coupling (Wu, Lin and Weng), as svm.ts's couple() computes it, on every row at
 * once: an ONNX Loop of max(100, k) passes whose body is one pass of couple(), the classes' updates
 * in order; a row whose probabilities have converged is frozen (Where), as couple() stops there.
 * pa holds P(first class | the pair) per pair, pairs in (0,1), (0,2), …, (1,2), … order.
 */
function coupling(g: Graph, pa: string, k: number): string {
  const pairIndex = (a: number, b: number) => a * k - (a * (a + 1)) / 2 + (b - a - 1);
  const column = (q: number) => g.one('Gather', [pa, g.constant(int64s([q], [1]))], { axis: 1 });
  const cols = new Map<number, string>();
  const paCol = (q: number) => cols.get(q) ?? (cols.set(q, column(q)), cols.get(q)!);
  /** r[i][j] = P(i | i or j), [N, 1]. */
  const r = (i: number, j: number) => (i < j ? paCol(pairIndex(i, j)) : g.sub(g.num(1), paCol(pairIndex(j, i))));
  const Q: string[][] = Array.from({ length: k }, () => new Array<string>(k));
  for (let t = 0; t < k; t++) {
    let diag = '';
    for (let j = 0; j < k; j++) {
      if (j === t) continue;
      const rjt = r(j, t);
      diag = diag ? g.add(diag, g.mul(rjt, rjt)) : g.mul(rjt, rjt);
      Q[t][j] = g.one('Neg', [g.mul(rjt, r(t, j))]);
    }
    Q[t][t] = diag;
  }
  const zero = g.mul(paCol(0), g.num(0));
  const start = Array.from({ length: k }, () => g.add(zero, g.num(1 / k)));
  const active = g.one('Equal', [zero, g.num(0)]);
  // The body: one pass of couple() on the carried p and the rows still going.
  const body = new Graph('loop_');
  const pIn = Array.from({ length: k }, (_, t) => `loop_p${t}_in`);
  let p = [...pIn];
  let going = 'loop_active_in';
  const Qp: string[] = [];
  let pQp = '';
  for (let t = 0; t < k; t++) {
    let sum = '';
    for (let j = 0; j < k; j++) sum = sum ? body.add(sum, body.mul(Q[t][j], p[j])) : body.mul(Q[t][j], p[j]);
    Qp[t] = sum;
    pQp = pQp ? body.add(pQp, body.mul(p[t], Qp[t])) : body.mul(p[t], Qp[t]);
  }
  const maxErr = body.one('Max', Qp.map((x) => body.one('Abs', [body.sub(x, pQp)])));
  going = body.one('And', [going, body.one('Not', [body.less(maxErr, body.num(0.005 / k))])]);
  const keep = (next: string, old: string) => body.where(going, next, old);
  for (let t = 0; t < k; t++) {
    const diff = body.div(body.add(body.one('Neg', [Qp[t]]), pQp), Q[t][t]);
    p[t] = keep(body.add(p[t], diff), p[t]);
    const onePlus = body.add(body.num(1), diff);
    pQp = keep(body.div(body.div(body.add(pQp, body.mul(diff, body.add(body.mul(diff, Q[t][t]), body.mul(body.num(2), Qp[t])))), onePlus), onePlus), pQp);
    for (let j = 0; j < k; j++) {
      Qp[j] = keep(body.div(body.add(Qp[j], body.mul(diff, Q[t][j])), onePlus), Qp[j]);
      p[j] = keep(body.div(p[j], onePlus), p[j]);
    }
  }
  const boolScalar = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: T.BOOL, shape: { dim: [] } } } });
  const doubleRows = (name: string): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: T.DOUBLE, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } });
  const condOut = body.one('Identity', ['loop_cond_in']);
  const outs = [...p.map((x) => body.one('Identity', [x])), body.one('Identity', [going])];
  const graph: onnx.IGraphProto = {
    name: 'svc_coupling', node: body.nodes, initializer: body.initializers,
    input: [{ name: 'loop_iter', type: { tensorType: { elemType: T.INT64, shape: { dim: [] } } } }, boolScalar('loop_cond_in'), ...pIn.map(doubleRows), { name: 'loop_active_in', type: { tensorType: { elemType: T.BOOL, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } }],
    output: [boolScalar(condOut), ...outs.slice(0, k).map(doubleRows), { name: outs[k], type: { tensorType: { elemType: T.BOOL, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } }],
  };
  const trips = g.constant(int64s([Math.max(100, k)], []));
  const cond = g.constant({ dims: [], dataType: T.BOOL, int32Data: [1] });
  const results = g.op('Loop', [trips, cond, ...start, active], { body: { graph } }, { outputs: k + 1 });
  return g.one('Concat', results.slice(0, k), { axis: 1 });
}

/** The model on X ([N, F] double). */
function modelGraph(g: Graph, m: Model, X: string, labels: string[] | undefined, affine: Affine[]): Outputs {
  const state = m.toJSON().state;
  const firstMax = (p: string) => g.one('ArgMax', [p], { axis: 1, keepdims: 0 });
  const flat = (x: string) => g.one('Reshape', [x, g.constant(int64s([-1], [1]))]);
  switch (m.type) {
    case 'LogisticRegression': {
      const s = state as LogisticRegressionState;
      const W = s.coef;
      const z = g.add(g.one('MatMul', [X, g.constant(doubles(transpose(W).flat(), [s.nFeatures, W.length]))]), g.num(...s.intercept));
      const proba = W.length === 1 ? (() => {
        const p = g.one('Sigmoid', [z]);
        return g.one('Concat', [g.sub(g.num(1), p), p], { axis: 1 });
      })() : g.one('Softmax', [z], { axis: 1 });
      return { probabilities: proba, label: labelOf(g, firstMax(proba), labels!) };
    }
    case 'Ridge':
    case 'LinearRegression': {
      const s = state as LinearState;
      return { label: flat(g.add(g.one('MatMul', [X, g.constant(doubles(s.coef, [s.nFeatures, 1]))]), g.num(s.intercept))) };
    }
    case 'RandomForestClassifier':
    case 'RandomForestRegressor':
      return forestGraph(g, m, X, labels, affine);
    case 'MLPClassifier':
    case 'MLPRegressor': {
      const weights = (state as MlpState).weights.map((w) => ({ shape: w.shape, values: new Float32Array(new Uint8Array(Buffer.from(w.data, 'base64')).buffer) }));
      let a = g.one('Cast', [X], { to: T.FLOAT });
      for (let i = 0; i < weights.length; i += 2) {
        a = g.one('Add', [g.one('MatMul', [a, g.constant(floats(weights[i].values, weights[i].shape))]), g.constant(floats(weights[i + 1].values, [1, weights[i + 1].shape[0]]))]);
        if (i + 2 < weights.length) a = g.one('Relu', [a]);
      }
      if (m.type === 'MLPRegressor') return { label: flat(g.toDouble(a)) };
      const proba = g.toDouble(g.one('Softmax', [a], { axis: 1 }));
      return { probabilities: proba, label: labelOf(g, firstMax(proba), labels!) };
    }
    case 'SVC': {
      const s = state as SvcState;
      const d = s.nFeatures, k = s.nClasses;
      const support = s.support;
      const nSV = support.length / d;
      // Every pair's decision at once: a coefficient per support vector and pair (zero where the pair has none).
      const coefAll = new Array<number>(nSV * s.pairs.length).fill(0);
      s.pairs.forEach((pair, q) => pair.sv.forEach((v, t) => (coefAll[v * s.pairs.length + q] += pair.coef[t])));
      let K: string;
      if ((m.getParams() as { kernel?: string }).kernel === 'linear') K = g.one('MatMul', [X, g.constant(doubles(transpose(chunk(support, d)).flat(), [d, nSV]))]);
      else {
        // ‖x − s‖² as ‖x‖² + ‖s‖² − 2 x·s (clamped at 0), as libsvm and svm.ts's kernel rows compute it:
        // an [N, SV] product, where the differences themselves would be [N, SV, features] (20 GB for letter's).
        const rows = chunk(support, d);
        const svSq = rows.map((r) => r.reduce((acc, v) => acc + v * v, 0));
        const xSq = g.one('ReduceSum', [g.mul(X, X), g.constant(int64s([1], [1]))], { keepdims: 1 });
        const dot = g.one('MatMul', [X, g.constant(doubles(transpose(rows).flat(), [d, nSV]))]);
        const sq = g.one('Max', [g.sub(g.add(xSq, g.num(...svSq)), g.mul(g.num(2), dot)), g.num(0)]);
        K = g.one('Exp', [g.mul(sq, g.num(-s.gamma))]);
      }
      const f = g.sub(g.one('MatMul', [K, g.constant(doubles(coefAll, [nSV, s.pairs.length]))]), g.num(...s.pairs.map((x) => x.rho)));
      const pa = platt(g, f, s.pairs.map((x) => x.plattA), s.pairs.map((x) => x.plattB));
      if (k === 2) {
        const proba = g.one('Concat', [pa, g.sub(g.num(1), pa)], { axis: 1 });
        // One vote: f > 0 is the first class.
        const index = flat(g.one('Cast', [g.one('LessOrEqual', [f, g.num(0)])], { to: T.INT64 }));
        return { probabilities: proba, label: labelOf(g, index, labels!) };
      }
      // Votes: f > 0 for the pair's first class, else its second; the first class with the most wins.
      const first = new Array<number>(s.pairs.length * k).fill(0), second = new Array<number>(s.pairs.length * k).fill(0);
      let q = 0;
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++, q++) [first[q * k + a], second[q * k + b]] = [1, 1];
      const wins = g.toDouble(g.one('Greater', [f, g.num(0)]));
      const votes = g.add(g.one('MatMul', [wins, g.constant(doubles(first, [s.pairs.length, k]))]), g.one('MatMul', [g.sub(g.num(1), wins), g.constant(doubles(second, [s.pairs.length, k]))]));
      return { probabilities: coupling(g, pa, k), label: labelOf(g, g.one('ArgMax', [votes], { axis: 1, keepdims: 0 }), labels!) };
    }
    case 'ApproxSVC': {
      const s = state as ApproxSvcState;
      const D = s.offsets.length;
      const W = g.constant(doubles(s.projection, [s.nFeatures, D]));
      const Z = g.toDouble(g.one('Cast', [g.mul(g.num(Math.sqrt(2 / D)), g.one('Cos', [g.add(g.one('MatMul', [X, W]), g.num(...s.offsets))]))], { to: T.FLOAT }));
      const coef = s.coef;
      const f = g.add(g.one('MatMul', [Z, g.constant(doubles(transpose(coef).flat(), [D, coef.length]))]), g.num(...s.intercept));
      const plattAB = s.platt;
      if (coef.length === 1) {
        const p = platt(g, f, [plattAB[0][0]], [plattAB[0][1]]);
        const index = flat(g.one('Cast', [g.one('Greater', [f, g.num(0)])], { to: T.INT64 }));
        return { probabilities: g.one('Concat', [g.sub(g.num(1), p), p], { axis: 1 }), label: labelOf(g, index, labels!) };
      }
      const p = platt(g, f, plattAB.map((x) => x[0]), plattAB.map((x) => x[1]));
      const proba = g.div(p, g.one('ReduceSum', [p, g.constant(int64s([1], [1]))], { keepdims: 1 }));
      return { probabilities: proba, label: labelOf(g, firstMax(f), labels!) };
    }
  }
  throw new NotExportable(`model type ${m.type} has no ONNX form here`);
}

const transpose = (m: number[][]): number[][] => m[0].map((_, j) => m.map((row) => row[j]));
const chunk = (xs: number[], d: number): number[][] => Array.from({ length: xs.length / d }, (_, i) => xs.slice(i * d, (i + 1) * d));

function forestGraph(g: Graph, m: Model, X: string, labels: string[] | undefined, affine: Affine[]): Outputs {
  const s = m.toJSON().state as ForestState;
  const k = m.task === 'classification' ? s.nClasses : 1;
  const treeIds: number[] = [], nodeIds: number[] = [], featureIds: number[] = [], modes: string[] = [], thresholds: number[] = [], trueIds: number[] = [], falseIds: number[] = [];
  const leafTree: number[] = [], leafNode: number[] = [], leafClass: number[] = [], leafWeight: number[] = [];
  // The trees as prediction reads them (decodeForest checks them).
  const forest = decodeForest(m.type, s);
  const nTrees = forest.trees.length;
  forest.trees.forEach(({ feature, threshold, left, right, value, leafClass: classOf }, tree) => {
    for (let node = 0; node < feature.length; node++) {
      const leaf = left[node] < 0;
      treeIds.push(tree);
      nodeIds.push(node);
      featureIds.push(leaf ? 0 : feature[node]);
      modes.push(leaf ? 'LEAF' : 'BRANCH_LEQ');
      const a = leaf ? null : affine[feature[node]];
      thresholds.push(leaf ? 0 : a ? floatThreshold(threshold[node], a) : threshold[node]);
      trueIds.push(leaf ? 0 : left[node]);
      falseIds.push(leaf ? 0 : right[node]);
      if (!leaf) continue;
      // A classifier's leaf of one class weighs 1 for it alone; another's has its k fractions.
      const pure = classOf && classOf[node] >= 0 ? classOf[node] : -1;
      const row = classOf ? (-1 - classOf[node]) * k : node * k;
      for (let c = 0; c < k; c++) {
        const w = pure >= 0 ? Number(c === pure) : value[row + c];
        if (w === 0 && k > 1) continue;
        leafTree.push(tree);
        leafNode.push(node);
        leafClass.push(c);
        leafWeight.push(w / nTrees);
      }
    }
  });
  const common = {
    nodes_treeids: treeIds, nodes_nodeids: nodeIds, nodes_featureids: featureIds, nodes_modes: modes,
    nodes_values_as_tensor: { tensor: doubles(thresholds, [thresholds.length]) }, nodes_truenodeids: trueIds, nodes_falsenodeids: falseIds, post_transform: 'NONE',
  };
  if (m.task === 'regression') {
    const [y] = g.op('TreeEnsembleRegressor', [X], { ...common, n_targets: 1, target_treeids: leafTree, target_nodeids: leafNode, target_ids: leafClass, target_weights_as_tensor: { tensor: doubles(leafWeight, [leafWeight.length]) }, aggregate_function: 'SUM' }, { domain: 'ai.onnx.ml' });
    return { label: g.one('Reshape', [g.toDouble(y), g.constant(int64s([-1], [1]))]) };
  }
  const [, scores] = g.op('TreeEnsembleClassifier', [X], {
    ...common, class_treeids: leafTree, class_nodeids: leafNode, class_ids: leafClass, class_weights_as_tensor: { tensor: doubles(leafWeight, [leafWeight.length]) },
    classlabels_int64s: Array.from({ length: k }, (_, c) => c),
  }, { domain: 'ai.onnx.ml', outputs: 2 });
  const proba = g.toDouble(scores);
  return { probabilities: proba, label: labelOf(g, g.one('ArgMax', [proba], { axis: 1, keepdims: 0 }), labels!) };
}

const valueInfo = (name: string, elemType: number, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});

export interface OnnxExport {
  bytes: Uint8Array;
  inputs: { name: string; type: 'float' | 'string' | 'int64' }[];
  outputs: string[];
}

/** The bundle's whole pipeline as one ONNX model, or NotExportable naming what stops it. */
export function exportOnnx(b: LoadedBundle): OnnxExport {
  if (b.features.steps.length) throw new NotExportable(`the model's feature steps (${b.features.steps.map((s) => s.type).join(', ')}) have no ONNX form yet; serve it with mlw serve or the FastAPI scaffold, which replay them`);
  const g = new Graph();
  const pipeline = b.preprocessor.columnTransformer;
  const blocks = pipeline.columns.map((p) => columnBlock(g, p));
  const X = blocks.length === 1 ? blocks[0].block : g.one('Concat', blocks.map((x) => x.block), { axis: 1 });
  const out = modelGraph(g, b.estimator, X, b.bundle.labels, blocks.flatMap((x) => x.affine));
  // Name the outputs as promised.
  g.nodes.push({ opType: 'Identity', input: [out.label], output: ['label'], name: 'label' });
  if (out.probabilities) g.nodes.push({ opType: 'Identity', input: [out.probabilities], output: ['probabilities'], name: 'probabilities' });
  const inputs = b.bundle.input.map((c) => ({ name: c.name, type: (c.kind === 'categorical' ? 'string' : c.kind === 'datetime' ? 'int64' : 'float') as 'float' | 'string' | 'int64' }));
  const typeCode = { float: T.FLOAT, string: T.STRING, int64: T.INT64 };
  const classify = b.bundle.task === 'classification';
  const graph: onnx.IGraphProto = {
    name: `ml_workbench_${b.bundle.model}`,
    node: g.nodes,
    initializer: g.initializers,
    input: inputs.map((i) => valueInfo(i.name, typeCode[i.type], ['N', 1])),
    output: [valueInfo('label', classify ? T.STRING : T.DOUBLE, ['N']), ...(out.probabilities ? [valueInfo('probabilities', T.DOUBLE, ['N', b.bundle.labels!.length])] : [])],
    docString: `${b.estimator.type} predicting ${b.bundle.target}, exported by ML Workbench`,
  };
  const model: onnx.IModelProto = {
    irVersion: 8, producerName: 'ml-workbench', producerVersion: '1', domain: 'ml-workbench', modelVersion: 1,
    opsetImport: [{ domain: '', version: ONNX_OPSET }, { domain: 'ai.onnx.ml', version: ONNX_ML_OPSET }],
    graph,
    metadataProps: [{ key: 'target', value: b.bundle.target }, { key: 'task', value: b.bundle.task }, ...(b.bundle.source?.runId ? [{ key: 'run_id', value: b.bundle.source.runId }] : []), ...(b.bundle.labels ? [{ key: 'classes', value: JSON.stringify(b.bundle.labels) }] : [])],
  };
  const bytes = onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  return { bytes, inputs, outputs: ['label', ...(out.probabilities ? ['probabilities'] : [])] };
}

/**
 * Exports a bundle (its folder or bundle.json) to an .onnx file: an existing file only with
 * replace, never the bundle; what has no ONNX form is refused naming the bundle. mlw export and
 * the extension's command both call it.
 */
export async function exportOnnxFile(bundlePath: string, out: string, o: { replace?: boolean } = {}): Promise<OnnxExport & { out: string }> {
  checkOutputPath(out, [bundlePath], o.replace ?? false);
  const b = await loadBundle(bundlePath);
  let exported: OnnxExport;
  try {
    exported = exportOnnx(b);
  } catch (e) {
    if (e instanceof NotExportable) throw new Error(`${b.file}: cannot be exported to ONNX: ${e.message}`);
    throw e;
  }
  writeAtomic(out, exported.bytes, { replace: o.replace ?? false });
  return { ...exported, out };
}
