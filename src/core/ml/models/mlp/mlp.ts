// The classic tabular MLP in TensorFlow.js layers: Dense(64) → ReLU → Dropout(0.2) → Dense(64) →
// ReLU → Dropout(0.2) → Dense(classes) with softmax cross-entropy (or Dense(1) with squared error
// for regression), Adam (lr 0.001), batch 32, 50 epochs, an optional validation split with early
// stopping, and a per-epoch callback for live curves; optionally an L2 penalty (scikit-learn's
// alpha) and scikit-learn's own settings (SKLEARN_MLP_SETTINGS). Seeded: initialisers, dropout
// and the per-epoch shuffle all take the seed. Saved as JSON (weights in base64) or in the tfjs
// format (model.json + weights.bin) that tfjs-node's file:// loader reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { checkClasses, checkFitInput, checkPredictInput, Classifier, EpochLog, Estimator, FitOptions } from '../../estimator';

export type { EpochLog };
import type { Matrix } from '../../matrix';
import { fitBytes, FitMemory, FitShape } from '../../memory';
import { fraction, nonNegative, positive, rule, Rule, seed, wholeAtLeast, wholeIn } from '../../params';
import { rng, shuffle } from '../../random';
import { checkStateSchema, checkStateShapes, S } from '../../savedState';
import { tf, tfBackend, TfBackend } from './backend';
import { TrainStep } from './trainStep';

export interface MlpParams {
  hidden: number[];
  dropout: number;
  /** L2 penalty on the kernels, as scikit-learn's alpha (see trainStep.ts); 0 in the Keras-style default. */
  alpha: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** Fraction of the training rows held out to watch (0: none). */
  validationSplit: number;
  /** Stop after this many epochs without a better validation loss (0: never). */
  patience: number;
  /** The seed of the initialisers, the dropout masks and the shuffle (randomState, as the other models). */
  randomState: number;
  backend: TfBackend | null;
}


export interface MlpState {
  nFeatures: number;
  /** Classes (classification) or 1 (regression). */
  nOutputs: number;
  backend: TfBackend;
  history: EpochLog[];
  /** Weights in layer order, float32 little-endian, base64. */
  weights: { shape: number[]; data: string }[];
}

/**
 * What our MLP takes to be scikit-learn's MLPClassifier / MLPRegressor with hidden_layer_sizes=(64, 64)
 * and max_iter=50: no dropout, batch_size='auto' (200 rows, or all of fewer) and its L2 alpha. The
 * accuracy parity test and bench:train compare like with like through it; the default network (DEFAULTS,
 * below) differs from scikit-learn's by design (dropout 0.2, batch 32, no penalty), as Keras's would.
 * Small differences remain: biases start at zero (scikit-learn draws them as it draws the weights),
 * a binary target gets two softmax units (scikit-learn one logistic unit), and every epoch runs
 * (scikit-learn stops once its training loss stalls for n_iter_no_change=10 epochs).
 */
export const SKLEARN_MLP_SETTINGS: Readonly<Partial<MlpParams>> = { dropout: 0, batchSize: 200, alpha: 1e-4 };

const DEFAULTS: MlpParams = { hidden: [64, 64], dropout: 0.2, alpha: 0, learningRate: 0.001, batchSize: 32, epochs: 50, validationSplit: 0, patience: 5, randomState: 42, backend: null };

function build(p: MlpParams, nFeatures: number, nOutputs: number, classify: boolean): tfl.Sequential {
  const model = tfl.sequential();
  p.hidden.forEach((units, i) => {
    model.add(tfl.layers.dense({ units, activation: 'relu', inputShape: i === 0 ? [nFeatures] : undefined, kernelInitializer: tfl.initializers.glorotUniform({ seed: p.randomState + i }) }));
    if (p.dropout > 0) model.add(tfl.layers.dropout({ rate: p.dropout, seed: p.randomState + 100 + i }));
  });
  model.add(tfl.layers.dense({ units: nOutputs, activation: classify ? 'softmax' : 'linear', kernelInitializer: tfl.initializers.glorotUniform({ seed: p.randomState + 99 }) }));
  model.compile({ optimizer: tf.train.adam(p.learningRate), loss: classify ? 'sparseCategoricalCrossentropy' : 'meanSquaredError', metrics: classify ? ['accuracy'] : [] });
  return model;
}

/** Trains `model` epoch by epoch with a seeded shuffle; returns the history. */
async function train(model: tfl.Sequential, X: Matrix, y: Int32Array | Float64Array, p: MlpParams, classify: boolean, options: FitOptions): Promise<EpochLog[]> {
  const rand = rng(p.randomState);
  const order = shuffle(Int32Array.from({ length: X.rows }, (_, i) => i), rand);
  const nVal = p.validationSplit > 0 ? Math.max(1, Math.floor(X.rows * p.validationSplit)) : 0;
  const valRows = order.slice(0, nVal), trainRows = order.slice(nVal);
  const features = (rows: Int32Array) => {
    const data = new Float32Array(rows.length * X.cols);
    rows.forEach((r, i) => data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols));
    return tf.tensor2d(data, [rows.length, X.cols]);
  };
  const val = nVal ? {
    xs: features(valRows),
    ys: classify ? tf.tensor1d(Int32Array.from(valRows, (r) => y[r]), 'float32') : tf.tensor2d(Float32Array.from(valRows, (r) => y[r]), [nVal, 1]),
  } : undefined;
  const history: EpochLog[] = [];
  let best = Infinity, bestWeights: tf.Tensor[] | undefined, waited = 0;
  // The dropout masks draw from a stream of their own, seeded from the model's seed: the same seed
  // gives the same fit, and the shuffle's draws do not depend on the dropout rate.
  const trainStep = new TrainStep(model, { ...p, classify }, rng((p.randomState ^ 0x5eed5) >>> 0));
  let steps = 0;
  const batchX = new Float32Array(p.batchSize * X.cols), batchY = new Float64Array(p.batchSize);
  try {
    for (let epoch = 1; epoch <= p.epochs; epoch++) {
      if (options.signal?.aborted) throw new Error('cancelled');
      shuffle(trainRows, rand);
      // Batch by batch from our own arrays, the batches model.fit would take. The epoch's loss
      // and accuracy are the batch values weighted by batch size, as fit reports them.
      let lossSum = 0, accuracySum = 0;
      for (let from = 0; from < trainRows.length; from += p.batchSize) {
        // The step is synchronous: let timers and messages (a cancel among them) in now and then.
        if (++steps % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) throw new Error('cancelled');
        const rows = trainRows.subarray(from, Math.min(from + p.batchSize, trainRows.length));
        const xs = batchX.subarray(0, rows.length * X.cols), labels = batchY.subarray(0, rows.length);
        for (let i = 0; i < rows.length; i++) {
          xs.set(X.data.subarray(rows[i] * X.cols, (rows[i] + 1) * X.cols), i * X.cols);
          labels[i] = y[rows[i]];
        }
        const { loss, accuracy } = trainStep.run(xs, labels);
        lossSum += loss * rows.length;
        if (accuracy !== undefined) accuracySum += accuracy * rows.length;
      }
      trainStep.writeBack();
      const log: EpochLog = { epoch, loss: lossSum / trainRows.length };
      if (classify) log.accuracy = accuracySum / trainRows.length;
      if (val) {
        const out = model.predict(val.xs, { batchSize: 1024 }) as tf.Tensor;
        const lossT = classify ? tfl.metrics.sparseCategoricalAccuracy(val.ys, out) : tfl.metrics.meanSquaredError(tf.reshape(val.ys, [-1]), tf.reshape(out, [-1]));
        const evalLoss = model.evaluate(val.xs, val.ys, { batchSize: 1024 }) as tf.Scalar;
        log.valLoss = (await evalLoss.data())[0];
        const meanT = tf.mean(lossT);
        log.valMetric = (await meanT.data())[0];
        meanT.dispose();
        tf.dispose([out, lossT, evalLoss]);
        if (log.valLoss < best - 1e-6) {
          best = log.valLoss;
          waited = 0;
          tf.dispose(bestWeights ?? []);
          bestWeights = model.getWeights().map((w) => w.clone());
        } else if (p.patience > 0 && ++waited >= p.patience) {
          history.push(log);
          options.onEpoch?.(log);
          break;
        }
      }
      history.push(log);
      options.onEpoch?.(log);
      options.onProgress?.(epoch / p.epochs, `epoch ${epoch} of ${p.epochs}`);
    }
    if (bestWeights) model.setWeights(bestWeights); // early stopping restores the best epoch
  } finally {
    tf.dispose(bestWeights ?? []);
    if (val) tf.dispose([val.xs, val.ys]);
  }
  return history;
}

function weightsOf(model: tfl.Sequential): MlpState['weights'] {
  return model.getWeights().map((w) => {
    const data = w.dataSync() as Float32Array;
    return { shape: w.shape, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') };
  });
}

function restoreModel(p: MlpParams, s: MlpState, classify: boolean): tfl.Sequential {
  const model = build(p, s.nFeatures, s.nOutputs, classify);
  const current = model.getWeights();
  if (!Array.isArray(s.weights) || s.weights.length !== current.length) throw new Error(`MLP: ${s.weights?.length} weight arrays saved, the architecture has ${current.length}`);
  const tensors = s.weights.map((w, i) => {
    const bytes = Buffer.from(w.data, 'base64');
    const expected = current[i].shape.reduce((a, b) => a * (b as number), 1) * 4;
    if (bytes.length !== expected || JSON.stringify(w.shape) !== JSON.stringify(current[i].shape)) throw new Error(`MLP: weight ${i} has shape ${JSON.stringify(w.shape)}, expected ${JSON.stringify(current[i].shape)}`);
    const copy = new Float32Array(bytes.length / 4);
    new Uint8Array(copy.buffer).set(bytes);
    return tf.tensor(copy, current[i].shape);
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
  return model;
}

function predictRaw(model: tfl.Sequential, X: Matrix): Float32Array {
  const xs = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]);
  const out = model.predict(xs, { batchSize: 1024 }) as tf.Tensor;
  const data = out.dataSync() as Float32Array;
  tf.dispose([xs, out]);
  return data;
}

/** Writes the tfjs layers format: model.json (topology + weights manifest) and weights.bin. */
async function saveTfjs(model: tfl.Sequential, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData as ArrayBuffer;
    fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(weightData));
    const json = { modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy: 'ml-workbench', convertedBy: null, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}


/**
 * A network's fit: float32 copies of the validation and test rows, the test rows' outputs (float32,
 * then float64), the weights five times over (weights, gradients, Adam's two moments, the best
 * epoch's), and a batch's activations, dropout masks and gradients (prediction batches are 1,024).
 */
function mlpMemory(p: MlpParams, { rows: n, cols: d, classes: k }: FitShape): FitMemory {
  const widths = [d, ...p.hidden, k];
  let weights = 0;
  for (let i = 1; i < widths.length; i++) weights += (widths[i - 1] + 1) * widths[i];
  const units = widths.reduce((a, b) => a + b, 0);
  return { bytes: fitBytes(8 * n * d + 12 * n * k + 20 * weights + 16 * Math.max(p.batchSize, 1024) * units), advice: 'use fewer or smaller hidden layers (hidden), or fit fewer rows' };
}

/** Both MLPs' parameter rules; the caps on epochs and units are for work that cannot finish. */
function mlpRules(p: MlpParams): Rule[] {
  return [
    rule(Array.isArray(p.hidden) && p.hidden.length > 0 && p.hidden.length <= 16 && p.hidden.every((u) => Number.isInteger(u) && u >= 1 && u <= 8192), 'hidden', 'a list of 1 to 16 whole numbers from 1 to 8,192', p.hidden),
    fraction('dropout', p.dropout),
    nonNegative('alpha', p.alpha),
    positive('learningRate', p.learningRate),
    wholeAtLeast('batchSize', p.batchSize, 1),
    wholeIn('epochs', p.epochs, 1, 10_000),
    fraction('validationSplit', p.validationSplit),
    wholeAtLeast('patience', p.patience, 0),
    seed('randomState', p.randomState),
  ];
}

const MLP_STATE = S.object({
  nFeatures: S.whole(1), nOutputs: S.whole(1), backend: { enum: ['tensorflow', 'wasm', 'cpu'] },
  history: S.vector({ type: 'object', required: ['epoch', 'loss'], properties: { epoch: S.whole(0), loss: S.number, accuracy: S.number, valLoss: S.number, valMetric: S.number }, additionalProperties: false }),
  weights: S.vector(S.object({ shape: S.vector(S.whole(1), 1), data: S.base64 }), 2),
});

/**
 * A saved network's state, checked against the architecture its parameters build (a kernel and a
 * bias per dense layer), before anything is built: a bundle cannot ask for a network larger than
 * the weights it carries, and no weight may be NaN or infinite.
 */
function checkedMlpState(type: string, p: MlpParams, saved: unknown, classify: boolean): MlpState {
  checkStateSchema(type, MLP_STATE, saved);
  const s = saved as MlpState;
  const sizes = [s.nFeatures, ...p.hidden, s.nOutputs];
  const expected = sizes.slice(1).flatMap((units, i) => [[sizes[i], units], [units]]);
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  checkStateShapes(type, [
    [!classify || s.nOutputs >= 2, `nOutputs is ${s.nOutputs}; a classifier needs one per class, at least 2`],
    [s.weights.length === expected.length, `${s.weights.length} weight arrays where hidden ${JSON.stringify(p.hidden)} needs ${expected.length}`],
    ...s.weights.map((w, i): [boolean, string] => [!expected[i] || same(w.shape, expected[i]), `weight ${i} has shape ${JSON.stringify(w.shape)} where ${JSON.stringify(expected[i])} is needed`]),
  ]);
  s.weights.forEach((w, i) => {
    const bytes = Buffer.from(w.data, 'base64');
    const n = w.shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== n * 4) throw new Error(`${type}: saved state weight ${i} holds ${bytes.length / 4} values where ${n} are needed`);
    const values = new Float32Array(n);
    new Uint8Array(values.buffer).set(bytes);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${type}: saved state weight ${i} holds ${values[bad]} at ${bad}`);
  });
  return s;
}

async function fitNetwork(p: MlpParams, X: Matrix, y: Int32Array | Float64Array, nOutputs: number, classify: boolean, options: FitOptions) {
  const backend = await tfBackend(p.backend ?? undefined);
  const model = build(p, X.cols, nOutputs, classify);
  const history = await train(model, X, y, p, classify, options);
  const state: MlpState = { nFeatures: X.cols, nOutputs, backend, history, weights: weightsOf(model) };
  return { model, state };
}

export class MLPClassifier extends Classifier<MlpParams, MlpState> {
  readonly type = 'MLPClassifier';
  readonly version = 1;

  protected saveState(s: MlpState): MlpState {
    return s;
  }

  private model?: tfl.Sequential;

  constructor(params: Partial<MlpParams> = {}) {
    super(DEFAULTS, params);
  }

  get nClasses(): number {
    return this.state().nOutputs;
  }

  fitMemory(shape: FitShape): FitMemory {
    return mlpMemory(this.params, shape);
  }

  async fit(X: Matrix, y: Int32Array, options: FitOptions = {}): Promise<this> {
    checkFitInput(this.type, X, y);
    this.checkParams();
    const k = checkClasses(this.type, y);
    this.model?.dispose();
    ({ model: this.model, state: this.learned } = await fitNetwork(this.params, X, y, k, true, options));
    return this;
  }

  protected paramRules(): Rule[] {
    return mlpRules(this.params);
  }

  protected checkedState(saved: unknown): MlpState {
    return checkedMlpState(this.type, this.params, saved, true);
  }

  restore(state: MlpState): this {
    super.restore(state);
    this.model?.dispose();
    this.model = restoreModel(this.params, state, true);
    return this;
  }

  predictProba(X: Matrix): Float64Array {
    checkPredictInput(this.type, X, this.state().nFeatures);
    return Float64Array.from(predictRaw(this.model!, X));
  }

  /** The tfjs format (model.json + weights.bin) in `dir`. */
  saveTfjs(dir: string): Promise<void> {
    this.state();
    return saveTfjs(this.model!, dir);
  }
}

export class MLPRegressor extends Estimator<MlpParams, MlpState> {
  readonly type = 'MLPRegressor';
  readonly version = 1;
  readonly task = 'regression' as const;

  protected saveState(s: MlpState): MlpState {
    return s;
  }

  private model?: tfl.Sequential;

  constructor(params: Partial<MlpParams> = {}) {
    super(DEFAULTS, params);
  }

  fitMemory(shape: FitShape): FitMemory {
    return mlpMemory(this.params, { ...shape, classes: 1 });
  }

  async fit(X: Matrix, y: Float64Array, options: FitOptions = {}): Promise<this> {
    checkFitInput(this.type, X, y);
    this.checkParams();
    this.model?.dispose();
    ({ model: this.model, state: this.learned } = await fitNetwork(this.params, X, y, 1, false, options));
    return this;
  }

  protected paramRules(): Rule[] {
    return mlpRules(this.params);
  }

  protected checkedState(saved: unknown): MlpState {
    return checkedMlpState(this.type, this.params, saved, false);
  }

  restore(state: MlpState): this {
    super.restore(state);
    this.model?.dispose();
    this.model = restoreModel(this.params, state, false);
    return this;
  }

  predict(X: Matrix): Float64Array {
    checkPredictInput(this.type, X, this.state().nFeatures);
    return Float64Array.from(predictRaw(this.model!, X));
  }

  /** The tfjs format (model.json + weights.bin) in `dir`. */
  saveTfjs(dir: string): Promise<void> {
    this.state();
    return saveTfjs(this.model!, dir);
  }
}
