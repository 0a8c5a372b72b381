// One training step of the MLP: the computation tfjs-layers' trainOnBatch does (forward pass in
// training mode, the loss, its gradients, tf.train.adam's update) with less around it. On the wasm
// backend trainOnBatch is ~250 kernels on a batch of 32, each costing more in dispatch than in
// arithmetic; Adam alone is 13 elementwise kernels per weight array, and the metric and input
// checks add more. Here the forward pass calls the layers directly and Adam runs in JavaScript over
// the weights' few thousand floats, each operation rounded to float32 as the backend rounds it, so
// the weights after every step are the ones trainOnBatch gives, bit for bit (test/unit/mlp.test.ts
// holds that): 147 kernels, and a fit about 1.35× faster.
import type * as tfl from '@tensorflow/tfjs-layers';
import { tf } from './backend';

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;
const f32 = Math.fround;
const BETA1 = 0.9, BETA2 = 0.999;

export interface StepResult {
  loss: number;
  /** Classification: the share of the batch whose arg-max class is right. */
  accuracy?: number;
}

export class TrainStep {
  private readonly variables: tf.Variable[];
  private readonly loss: LossFn;
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly lr: number;
  // tf.train.adam's defaults (beta1 0.9, beta2 0.999, epsilon the backend's, 1e-7), as the float32
  // scalars it multiplies by: 1 - beta is taken in double precision before rounding, as it does.
  private readonly beta1 = f32(BETA1);
  private readonly beta2 = f32(BETA2);
  private readonly oneMinusBeta1 = f32(1 - BETA1);
  private readonly oneMinusBeta2 = f32(1 - BETA2);
  private readonly epsilon = f32(tf.backend().epsilon());
  // The powers of beta are float32 variables multiplied once per step, so they round every step.
  private accBeta1 = f32(BETA1);
  private accBeta2 = f32(BETA2);

  constructor(private readonly model: tfl.Sequential, learningRate: number, private readonly classify: boolean) {
    this.loss = classify ? sparseCategoricalCrossentropy : meanSquaredError;
    this.variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.m = this.variables.map((x) => new Float32Array(x.size));
    this.v = this.variables.map((x) => new Float32Array(x.size));
    this.lr = f32(learningRate);
  }

  run(xs: tf.Tensor2D, ys: tf.Tensor): StepResult {
    // Results leave tf.tidy through these, not as its return value: tidy walks every element of
    // what it returns looking for tensors, which for the gradients' arrays costs more than the step.
    let probabilities: Float32Array | undefined, loss = NaN, grads: Float32Array[] = [];
    tf.tidy(() => {
      const { value, grads: named } = tf.variableGrads(() => {
        const output = this.model.layers.reduce((t, layer) => layer.apply(t, { training: true }) as tf.Tensor, xs as tf.Tensor);
        // Read here: the forward pass's tensors are gone once the gradients are taken.
        if (this.classify) probabilities = output.dataSync() as Float32Array;
        return tf.mean(this.loss(ys, output)) as tf.Scalar;
      }, this.variables);
      loss = value.dataSync()[0];
      grads = this.variables.map((x) => named[x.name].dataSync() as Float32Array);
    });
    this.adam(grads);
    const result: StepResult = { loss };
    if (probabilities) result.accuracy = batchAccuracy(probabilities, ys.dataSync(), probabilities.length / ys.size);
    return result;
  }

  /** tf.train.adam's update, element by element, with the backend's float32 rounding at each operation. */
  private adam(grads: Float32Array[]): void {
    const { beta1, beta2, epsilon, oneMinusBeta1: c1, oneMinusBeta2: c2 } = this;
    const oneMinusAcc1 = f32(1 - this.accBeta1), oneMinusAcc2 = f32(1 - this.accBeta2);
    const negLr = -this.lr;
    this.variables.forEach((variable, i) => {
      const g = grads[i], m = this.m[i], v = this.v[i];
      const value = variable.dataSync() as Float32Array;
      const next = new Float32Array(value.length);
      for (let j = 0; j < g.length; j++) {
        const gj = g[j];
        const mj = f32(f32(m[j] * beta1) + f32(gj * c1));
        const vj = f32(f32(v[j] * beta2) + f32(f32(gj * gj) * c2));
        m[j] = mj;
        v[j] = vj;
        const mHat = f32(mj / oneMinusAcc1), vHat = f32(vj / oneMinusAcc2);
        const step = f32(f32(mHat / f32(f32(Math.sqrt(vHat)) + epsilon)) * negLr);
        next[j] = f32(step + value[j]);
      }
      const updated = tf.tensor(next, variable.shape, 'float32');
      variable.assign(updated);
      updated.dispose();
    });
    this.accBeta1 = f32(this.accBeta1 * beta1);
    this.accBeta2 = f32(this.accBeta2 * beta2);
  }
}

// The two losses as tfjs-layers writes them (losses.ts), operation for operation: the gradients
// flow back through the same kernels, so they are the same numbers.
function sparseCategoricalCrossentropy(labels: tf.Tensor, probabilities: tf.Tensor): tf.Tensor {
  const eps = tf.backend().epsilon();
  const k = probabilities.shape[probabilities.shape.length - 1];
  const target = tf.cast(tf.oneHot(tf.cast(tf.floor(tf.reshape(labels, [-1])), 'int32'), k), 'float32');
  let p = tf.clipByValue(probabilities, eps, 1 - eps);
  p = tf.div(p, tf.sum(p, -1, true));
  p = tf.clipByValue(p, eps, 1 - eps);
  return tf.neg(tf.sum(tf.mul(target, tf.log(p)), -1));
}

function meanSquaredError(target: tf.Tensor, predicted: tf.Tensor): tf.Tensor {
  const error = tf.sub(predicted, target);
  return tf.mean(tf.mul(error, error), -1);
}

/** Keras's sparse categorical accuracy: the arg-max (first of ties) equals the label. */
function batchAccuracy(probabilities: Float32Array, labels: ArrayLike<number>, k: number): number {
  let right = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[r * k + c] > probabilities[r * k + best]) best = c;
    if (best === labels[r]) right++;
  }
  return f32(right / labels.length);
}
