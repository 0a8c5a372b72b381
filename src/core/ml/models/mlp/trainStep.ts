// One training step of the MLP (Dense → ReLU → Dropout blocks, then a softmax or linear Dense):
// the forward pass, the loss's gradient written out layer by layer, and Adam.
//
// Why not tfjs's autodiff (model.trainOnBatch, or tf.variableGrads over the layers): on the wasm
// backend a step on a batch of 32 is then ~250 kernels (~150 without the optimizer's and the
// metric's), each costing more to dispatch than to compute, and the autodiff's transposed matrix
// products take the backend's scalar fallback (about 7× slower than its XNNPACK path). Written
// out, a step is ~33 kernels (counting the reshapes inside the fused products), every product
// untransposed; the dropout masks and the loss's gradient are made in JavaScript, and Adam runs in
// JavaScript over the weights' few thousand floats. A step takes a quarter of the time
// (test/unit/ml/mlp.test.ts checks the gradients against tfjs's autodiff and the update against
// tf.train.adam).
//
// An optional L2 penalty on the kernels (not the biases) is scikit-learn's `alpha`: alpha/2 ·
// Σ‖W‖² / batch rows added to the loss, alpha · W / batch rows to the kernels' gradients.
//
// The gradient is softmax cross-entropy's own, p - onehot(y). Keras clips the probabilities to
// [1e-7, 1 - 1e-7] first, which zeroes the gradient of a sample it gets confidently wrong; the
// loss this reports is Keras's clipped value, so curves read as they would there.
import type * as tfl from '@tensorflow/tfjs-layers';
import { tf } from './backend';

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

interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** Inverted dropout: each unit kept with probability 1 - rate and then scaled by 1 / (1 - rate), as Keras does. */
export function keepMask(rand: () => number, size: number, rate: number): Float32Array {
  const mask = new Float32Array(size);
  const scale = 1 / (1 - rate);
  for (let i = 0; i < size; i++) if (rand() >= rate) mask[i] = scale;
  return mask;
}

// tf.train.adam's defaults, which Keras shares.
const BETA1 = 0.9, BETA2 = 0.999, EPSILON = 1e-7;

export class TrainStep {
  /** kernel, bias, kernel, bias... in layer order, as the gradients come. */
  private readonly variables: tf.Variable[];
  private readonly dense: Dense[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private t = 0;

  /** `rand` draws the dropout masks (one number per hidden unit per row, layer by layer). */
  constructor(model: tfl.Sequential, private readonly settings: StepSettings, private readonly rand: () => number) {
    const weights = (this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable));
    const denseLayers = model.layers.filter((l) => l.getClassName() === 'Dense').length;
    if (weights.length !== 2 * denseLayers) throw new Error(`MLP: expected a kernel and a bias for each of ${denseLayers} Dense layers, found ${weights.length} weight arrays`);
    this.dense = Array.from({ length: denseLayers }, (_, i) => ({ kernel: weights[2 * i], bias: weights[2 * i + 1] }));
    this.m = weights.map((w) => new Float32Array(w.size));
    this.v = weights.map((w) => new Float32Array(w.size));
  }

  run(xs: tf.Tensor2D, y: ArrayLike<number>): StepResult {
    const { grads, ...result } = this.gradients(xs, y);
    this.adam(grads);
    return result;
  }

  /** The loss on this batch (dropout active) and its gradient: kernel, bias, kernel, bias... in layer order. */
  gradients(xs: tf.Tensor2D, y: ArrayLike<number>): StepResult & { grads: Float32Array[] } {
    const { dropout, alpha, classify } = this.settings;
    const rows = xs.shape[0];
    const grads: Float32Array[] = [];
    let result: StepResult = { loss: NaN };
    tf.tidy(() => {
      // Forward. Kept per hidden layer: its output after dropout (the next layer's input), and
      // what the gradient is multiplied by on the way back: the dropout scale where the unit was
      // kept and its ReLU active, else 0.
      const inputs: tf.Tensor2D[] = [xs];
      const backMasks: tf.Tensor2D[] = [];
      const last = this.dense.length - 1;
      for (let l = 0; l < last; l++) {
        const active = tf.fused.matMul({ a: inputs[l], b: this.dense[l].kernel as tf.Tensor2D, bias: this.dense[l].bias, activation: 'relu' }) as tf.Tensor2D;
        if (dropout > 0) {
          const shape = active.shape;
          const keep = keepMask(this.rand, rows * shape[1], dropout);
          // A plain loop: Float32Array.from with a mapping function takes V8's slow generic path.
          const values = active.dataSync(), back = new Float32Array(values.length);
          for (let i = 0; i < values.length; i++) if (values[i] > 0) back[i] = keep[i];
          inputs.push(tf.mul(active, tf.tensor2d(keep, shape)));
          backMasks.push(tf.tensor2d(back, shape));
        } else {
          inputs.push(active);
          backMasks.push(tf.step(active) as tf.Tensor2D);
        }
      }
      const z = tf.fused.matMul({ a: inputs[last], b: this.dense[last].kernel as tf.Tensor2D, bias: this.dense[last].bias });
      const out = (classify ? tf.softmax(z) : z).dataSync() as Float32Array;
      const k = out.length / rows;
      const g = new Float32Array(rows * k);
      result = classify ? softmaxCrossEntropy(out, y, k, g) : squaredError(out, y, g);
      // Backward, last layer first: the kernel's gradient is input' · g, the bias's the column
      // sums of g, and g for the layer below is g · kernel' through that layer's mask.
      let grad = tf.tensor2d(g, [rows, k]);
      for (let l = last; l >= 0; l--) {
        grads[2 * l] = tf.matMul(tf.transpose(inputs[l]), grad).dataSync() as Float32Array;
        grads[2 * l + 1] = tf.sum(grad, 0).dataSync() as Float32Array;
        if (l > 0) grad = tf.mul(tf.matMul(grad, tf.transpose(this.dense[l].kernel)), backMasks[l - 1]);
      }
    });
    if (alpha > 0) result.loss += this.penalize(grads, rows);
    return { ...result, grads };
  }

  /** Adds the L2 penalty's gradient to the kernels' gradients; returns the penalty. */
  private penalize(grads: Float32Array[], rows: number): number {
    const { alpha } = this.settings;
    let squares = 0;
    this.dense.forEach(({ kernel }, l) => {
      const w = kernel.dataSync() as Float32Array, g = grads[2 * l];
      for (let j = 0; j < w.length; j++) {
        squares += w[j] * w[j];
        g[j] += (alpha * w[j]) / rows;
      }
    });
    return (0.5 * alpha * squares) / rows;
  }

  /** Adam (Kingma & Ba), as tf.train.adam and Keras apply it: bias-corrected moments, epsilon outside the root. */
  private adam(grads: Float32Array[]): void {
    const { learningRate } = this.settings;
    this.t++;
    const correction1 = 1 - BETA1 ** this.t, correction2 = 1 - BETA2 ** this.t;
    this.variables.forEach((variable, i) => {
      const g = grads[i], m = this.m[i], v = this.v[i];
      const next = (variable.dataSync() as Float32Array).slice();
      for (let j = 0; j < g.length; j++) {
        m[j] = BETA1 * m[j] + (1 - BETA1) * g[j];
        v[j] = BETA2 * v[j] + (1 - BETA2) * g[j] * g[j];
        next[j] -= (learningRate * (m[j] / correction1)) / (Math.sqrt(v[j] / correction2) + EPSILON);
      }
      const updated = tf.tensor(next, variable.shape, 'float32');
      variable.assign(updated);
      updated.dispose();
    });
  }
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
