// One training step of the MLP (Dense → ReLU → Dropout blocks, then a softmax or linear Dense):
// the forward pass, the loss's gradient written out layer by layer, and Adam, in our own
// WebAssembly kernels (wasm/step.ts) over weights kept in their memory for the whole fit.
//
// Why not tfjs's autodiff (model.trainOnBatch, or tf.variableGrads over the layers): on the wasm
// backend a step on a batch of 32 is then ~250 kernels, each costing more to dispatch than to
// compute. Written out on tfjs's ops it was ~33 kernels and 420 µs a step on letter_recognition
// (PyTorch 1.13, one thread: ~340 µs); in the kernels here it is ~150 µs, and the same on every
// tfjs backend, since the fit no longer goes through one (the model's variables get the weights
// back at the end of each epoch, for validation, early stopping and saving). The dropout masks
// (drawn from the same seeded stream as before) and the loss's gradient are made in JavaScript.
// test/unit/ml/mlp.test.ts checks the gradients against tfjs's autodiff and the update against
// tf.train.adam.
//
// An optional L2 penalty on the kernels (not the biases) is scikit-learn's `alpha`: alpha/2 ·
// Σ‖W‖² / batch rows added to the loss, alpha · W / batch rows to the kernels' gradients.
//
// The gradient is softmax cross-entropy's own, p - onehot(y). Keras clips the probabilities to
// [1e-7, 1 - 1e-7] first, which zeroes the gradient of a sample it gets confidently wrong; the
// loss this reports is Keras's clipped value, so curves read as they would there.
import type * as tfl from '@tensorflow/tfjs-layers';
import { tf } from './backend';
import stepWasm from './wasm/step.ts?wasm';

export interface StepResult {
  loss: number;
  /** Classification: the share of the batch whose arg-max class is right. */
  accuracy?: number;
}

export interface StepSettings {
  learningRate: number;
  /** Dropout rate after each hidden layer (0: none). */
  dropout: number;
  /** L2 penalty on the kernels, scikit-learn's alpha (0: none). */
  alpha: number;
  /** Softmax cross-entropy on class labels, else squared error on one output. */
  classify: boolean;
}

/** Inverted dropout: each unit kept with probability 1 - rate and then scaled by 1 / (1 - rate), as Keras does. */
export function keepMask(rand: () => number, size: number, rate: number): Float32Array {
  return fillKeepMask(rand, new Float32Array(size), rate);
}

function fillKeepMask(rand: () => number, mask: Float32Array, rate: number): Float32Array {
  const scale = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = rand() >= rate ? scale : 0;
  return mask;
}

// tf.train.adam's defaults, which Keras shares.
const BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-7;

/** wasm/step.ts's exports; every pointer is a byte offset into `memory`. */
interface Kernels {
  memory: WebAssembly.Memory;
  forward(a: number, w: number, b: number, z: number, n: number, k: number, m: number, relu: number, idx: number): void;
  dropout(z: number, keep: number, back: number, size: number): void;
  gradWeights(a: number, g: number, dw: number, db: number, n: number, k: number, m: number, idx: number): void;
  gradInputs(g: number, w: number, back: number, gp: number, n: number, k: number, m: number, idx: number): void;
  adam(w: number, g: number, m: number, v: number, size: number, lr: number, c1: number, c2: number, b1: number, b2: number, eps: number): void;
}

let compiled: WebAssembly.Module | undefined;

function instantiate(): Kernels {
  compiled ??= new WebAssembly.Module(stepWasm);
  const { exports } = new WebAssembly.Instance<Kernels>(compiled, { env: { abort: () => { throw new Error('MLP kernels: internal assertion'); } } });
  // What the type says, checked: a build that compiled other kernels fails here, not mid-fit.
  for (const name of ['forward', 'dropout', 'gradWeights', 'gradInputs', 'adam'] as const) if (typeof exports[name] !== 'function') throw new Error(`MLP kernels: no ${name} export`);
  if (!(exports.memory instanceof WebAssembly.Memory)) throw new Error('MLP kernels: no memory export');
  return exports;
}

/** One weight array (kernel or bias) in the kernels' memory, with its gradient and Adam's moments. */
interface Param {
  variable: tf.Variable;
  size: number;
  value: number;
  grad: number;
  m: number;
  v: number;
}

/** Per-batch arrays, laid out for up to `rows` rows: by layer boundary l (0 the input, L the output). */
interface Batch {
  rows: number;
  /** Activations: the input, each hidden layer's output after dropout, the output layer's logits. */
  act: number[];
  /** Hidden layers: the dropout mask drawn, and what the gradient is multiplied by on the way back. */
  keep: number[];
  back: number[];
  /** d(loss)/d(activation) at each boundary above the input. */
  grad: number[];
  idx: number;
}

export class TrainStep {
  private readonly k: Kernels;
  /** Units at each layer boundary: inputs, hidden..., outputs. */
  private readonly units: number[];
  /** kernel, bias, kernel, bias... in layer order, as the gradients come. */
  private readonly params: Param[];
  private top: number;
  private readonly paramsEnd: number;
  private batch: Batch | undefined;
  private probabilities = new Float32Array(0);
  private t = 0;

  /** `rand` draws the dropout masks (one number per hidden unit per row, layer by layer). */
  constructor(model: tfl.Sequential, private readonly settings: StepSettings, private readonly rand: () => number) {
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const denseLayers = model.layers.filter((l) => l.getClassName() === 'Dense').length;
    if (weights.length !== 2 * denseLayers) throw new Error(`MLP: expected a kernel and a bias for each of ${denseLayers} Dense layers, found ${weights.length} weight arrays`);
    this.units = [weights[0].shape[0], ...weights.filter((_, i) => i % 2 === 1).map((b) => b.shape[0])];
    this.k = instantiate();
    // The first 64 KiB stay the module's own (its static data is a few bytes).
    this.top = 65536;
    this.params = weights.map((variable) => ({ variable, size: variable.size, value: this.alloc(variable.size), grad: this.alloc(variable.size), m: this.alloc(variable.size), v: this.alloc(variable.size) }));
    this.paramsEnd = this.top;
    this.reserve();
    for (const p of this.params) this.view(p.value, p.size).set(p.variable.dataSync() as Float32Array);
  }

  /** Updates the weights by one Adam step on this batch (x: rows × inputs, row-major). */
  run(x: ArrayLike<number>, y: ArrayLike<number>): StepResult {
    const result = this.backward(x, y);
    this.adam();
    return result;
  }

  /** The loss on this batch (dropout active) and its gradient: kernel, bias, kernel, bias... in layer order. */
  gradients(x: ArrayLike<number>, y: ArrayLike<number>): StepResult & { grads: Float32Array[] } {
    const result = this.backward(x, y);
    return { ...result, grads: this.params.map((p) => this.view(p.grad, p.size).slice()) };
  }

  /** Gives the model's variables the weights as they are now. */
  writeBack(): void {
    for (const p of this.params) {
      const updated = tf.tensor(this.view(p.value, p.size).slice(), p.variable.shape, 'float32');
      p.variable.assign(updated);
      updated.dispose();
    }
  }

  private backward(x: ArrayLike<number>, y: ArrayLike<number>): StepResult {
    const { dropout, alpha, classify } = this.settings;
    const rows = y.length, units = this.units, last = units.length - 1, k = this.k;
    if (x.length !== rows * units[0]) throw new Error(`MLP: a batch of ${rows} rows needs ${rows * units[0]} inputs, got ${x.length}`);
    const b = this.layout(rows);
    this.view(b.act[0], x.length).set(x);
    // Forward. Kept per hidden layer: its output after dropout (the next layer's input), and what
    // the gradient is multiplied by on the way back: the dropout scale where the unit was kept and
    // its ReLU active, else 0.
    for (let l = 0; l < last; l++) {
      const hidden = l < last - 1;
      k.forward(b.act[l], this.params[2 * l].value, this.params[2 * l + 1].value, b.act[l + 1], rows, units[l], units[l + 1], hidden ? 1 : 0, b.idx);
      if (hidden) {
        const size = rows * units[l + 1];
        const keep = this.view(b.keep[l + 1], size);
        if (dropout > 0) fillKeepMask(this.rand, keep, dropout);
        else keep.fill(1);
        k.dropout(b.act[l + 1], b.keep[l + 1], b.back[l + 1], size);
      }
    }
    const out = units[last];
    const z = this.view(b.act[last], rows * out), g = this.view(b.grad[last], rows * out);
    const result = classify ? softmaxCrossEntropy(this.softmax(z, rows, out), y, out, g) : squaredError(z, y, g);
    // Backward, last layer first: the kernel's gradient is input' · g, the bias's the column sums
    // of g, and g for the layer below is g · kernel' through that layer's mask.
    for (let l = last - 1; l >= 0; l--) {
      const kernel = this.params[2 * l], bias = this.params[2 * l + 1];
      k.gradWeights(b.act[l], b.grad[l + 1], kernel.grad, bias.grad, rows, units[l], units[l + 1], b.idx);
      if (l > 0) k.gradInputs(b.grad[l + 1], kernel.value, b.back[l], b.grad[l], rows, units[l], units[l + 1], b.idx);
    }
    if (alpha > 0) result.loss += this.penalize(rows);
    return result;
  }

  /** Softmax of each row of z, in float64 and stored as float32 (tfjs's precision). */
  private softmax(z: Float32Array, rows: number, k: number): Float32Array {
    if (this.probabilities.length < z.length) this.probabilities = new Float32Array(z.length);
    const p = this.probabilities;
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[r * k + c]);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += Math.exp(z[r * k + c] - max);
      for (let c = 0; c < k; c++) p[r * k + c] = Math.exp(z[r * k + c] - max) / sum;
    }
    return p;
  }

  /** Adds the L2 penalty's gradient to the kernels' gradients; returns the penalty. */
  private penalize(rows: number): number {
    const { alpha } = this.settings;
    let squares = 0;
    for (let l = 0; l < this.params.length; l += 2) {
      const { value, grad, size } = this.params[l];
      const w = this.view(value, size), g = this.view(grad, size);
      for (let j = 0; j < size; j++) {
        squares += w[j] * w[j];
        g[j] += (alpha * w[j]) / rows;
      }
    }
    return (0.5 * alpha * squares) / rows;
  }

  /** Adam (Kingma & Ba), as tf.train.adam and Keras apply it: bias-corrected moments, epsilon outside the root. */
  private adam(): void {
    this.t++;
    const correction1 = 1 - BETA1 ** this.t, correction2 = 1 - BETA2 ** this.t;
    for (const p of this.params) this.k.adam(p.value, p.grad, p.m, p.v, padded(p.size), this.settings.learningRate, correction1, correction2, BETA1, BETA2, EPSILON);
  }

  /** The batch arrays for `rows` rows: kept while batches fit, laid out again past the weights when one does not. */
  private layout(rows: number): Batch {
    if (this.batch && this.batch.rows >= rows) return this.batch;
    this.top = this.paramsEnd;
    const sizes = this.units.map((u) => u * rows);
    const hidden = (l: number) => l > 0 && l < this.units.length - 1;
    const act = sizes.map((s) => this.alloc(s));
    const keep = sizes.map((s, l) => (hidden(l) ? this.alloc(s) : -1));
    const back = sizes.map((s, l) => (hidden(l) ? this.alloc(s) : -1));
    const grad = sizes.map((s, l) => (l > 0 ? this.alloc(s) : -1));
    const idx = this.alloc(Math.max(rows, ...this.units));
    this.reserve();
    return (this.batch = { rows, act, keep, back, grad, idx });
  }

  /** `count` floats (or i32s), 16-byte aligned and padded to a multiple of 4 (the SIMD kernels read whole lanes). */
  private alloc(count: number): number {
    const at = this.top;
    this.top += padded(count) * 4;
    return at;
  }

  /** Grows the memory to hold everything allocated so far (new pages are zeros: padding stays 0). */
  private reserve(): void {
    const have = this.k.memory.buffer.byteLength;
    if (this.top > have) this.k.memory.grow(Math.ceil((this.top - have) / 65536));
  }

  /** A view of `count` floats at `offset` (made afresh: growing the memory detaches older views). */
  private view(offset: number, count: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, offset, count);
  }
}

function padded(count: number): number {
  return (count + 3) & ~3;
}

/** Fills `g` with d(mean loss)/d(logits) = (p - onehot(y)) / rows; returns Keras's loss (probabilities clipped to [1e-7, 1 - 1e-7]) and accuracy. */
function softmaxCrossEntropy(p: Float32Array, y: ArrayLike<number>, k: number, g: Float32Array): StepResult {
  const rows = y.length;
  let loss = 0, right = 0;
  for (let r = 0; r < rows; r++) {
    const label = y[r];
    let best = 0;
    for (let c = 0; c < k; c++) {
      const pc = p[r * k + c];
      g[r * k + c] = (c === label ? pc - 1 : pc) / rows;
      if (pc > p[r * k + best]) best = c;
    }
    if (best === label) right++;
    loss -= Math.log(Math.min(Math.max(p[r * k + label], EPSILON), 1 - EPSILON));
  }
  return { loss: loss / rows, accuracy: right / rows };
}

/** Fills `g` with d(mean squared error)/d(prediction) = 2 (prediction - y) / rows; returns the mean squared error. */
function squaredError(prediction: Float32Array, y: ArrayLike<number>, g: Float32Array): StepResult {
  const rows = y.length;
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const e = prediction[r] - y[r];
    g[r] = (2 * e) / rows;
    loss += e * e;
  }
  return { loss: loss / rows };
}
