// The TensorFlow.js MLP: parity with scikit-learn's MLPClassifier(64, 64, max_iter=50) on the same
// split (with scikit-learn's settings; the default network held near it), the training step
// against tfjs's autodiff and Adam, determinism, early stopping, the regression head, and both
// saved forms (JSON, and model.json + weights.bin in the tfjs layers format).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData, TrainTestData } from '../../../src/core/ml/dataset';
import { accuracy, r2 } from '../../../src/core/ml/metrics';
import { tf, tfBackend } from '../../../src/core/ml/models/mlp/backend';
import { MLPClassifier, MLPRegressor, EpochLog, SKLEARN_MLP_SETTINGS } from '../../../src/core/ml/models/mlp/mlp';
import { loadEstimator } from '../../../src/core/ml/registry';
import { keepMask, TrainStep } from '../../../src/core/ml/models/mlp/trainStep';
import { rng } from '../../../src/core/ml/random';
import { referenceData } from '../../referencePipeline';
import { dataset } from '../../support/paths';
import { sklearnScores } from '../../support/sklearnLive';

const SKLEARN_MLP = 'MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=50, random_state=42)';
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, j) => Math.abs(x - b[j])));
const points = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)} points`;

describe('MLP (TensorFlow.js)', () => {
  // Accuracy parity compares like with like, as the LR, RF and SVC tests do with the reference
  // script's parameters: our MLP with scikit-learn's settings (SKLEARN_MLP_SETTINGS: no dropout,
  // batch 200, alpha 1e-4) against the reference script's MLPClassifier((64, 64), max_iter=50), both
  // at seed 42, on its split: within one point either way. Measured: titanic 0.8244 against 0.8282,
  // letter 0.9395 against 0.9443, mpls_stops 0.8642 against 0.8642; over seeds 42 and 0-3 on each
  // side the mean gaps are +0.61 (titanic, whose 262 test rows move 0.38 points each), -0.17 and -0.14.
  //
  // The default network (dropout 0.2, batch 32, no penalty: the Keras-style MLP) is another model,
  // and not as good as scikit-learn's everywhere: over ten seeds (42, 0-3, 10-14) on each side it
  // averages -0.98 points on letter_recognition (its 64-unit layers lose to dropout there), +0.88
  // on titanic and +0.87 on mpls_stops (where scikit-learn's, 50 iterations of batch 200, stops
  // short of its own LR, RF and SVC). At seed 42: 0.00, -1.18 and +1.03. Its test holds that it
  // trains (50 epochs, the loss falling) and that it stays within 1.5 points of scikit-learn's.
  for (const name of ['titanic_survival', 'letter_recognition', 'mpls_stops'] as const) {
    describe(name, () => {
      let d: TrainTestData, theirs: number;
      before(async function () {
        this.timeout(600_000);
        d = await referenceData(name, dataset(`${name}.csv`));
        theirs = sklearnScores(d, { mlp: SKLEARN_MLP }).mlp;
      });

      it(`with scikit-learn's settings, test accuracy within one point of ${SKLEARN_MLP}`, async function () {
        this.timeout(600_000);
        const m = await new MLPClassifier({ ...SKLEARN_MLP_SETTINGS, randomState: 42 }).fit(d.Xtrain, d.ytrain as Int32Array);
        const ours = accuracy(d.ytest, m.predict(d.Xtest));
        assert.ok(Math.abs(ours - theirs) <= 0.01, `ours ${ours.toFixed(4)}, scikit-learn ${theirs.toFixed(4)}: ${points(ours - theirs)}`);
      });

      it('the default network (dropout 0.2, batch 32) trains 50 epochs, its loss falling, to within 1.5 points of scikit-learn\'s MLP', async function () {
        this.timeout(600_000);
        const epochs: EpochLog[] = [];
        const m = await new MLPClassifier({ randomState: 42 }).fit(d.Xtrain, d.ytrain as Int32Array, { onEpoch: (e) => epochs.push(e) });
        assert.equal(epochs.length, 50);
        assert.ok(epochs[49].loss < epochs[0].loss, 'the loss goes down');
        const ours = accuracy(d.ytest, m.predict(d.Xtest));
        assert.ok(Math.abs(ours - theirs) <= 0.015, `ours ${ours.toFixed(4)}, scikit-learn ${theirs.toFixed(4)}: ${points(ours - theirs)}`);
      });
    });
  }

  it('same seed, same model; JSON and tfjs files load back with identical predictions', async () => {
    const d = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    const a = await new MLPClassifier({ epochs: 5 }).fit(d.Xtrain, d.ytrain as Int32Array);
    const b = await new MLPClassifier({ epochs: 5 }).fit(d.Xtrain, d.ytrain as Int32Array);
    assert.deepEqual(b.toJSON().state.weights, a.toJSON().state.weights);
    const again = loadEstimator(JSON.parse(JSON.stringify(a.toJSON()))) as unknown as MLPClassifier;
    assert.deepEqual(again.predictProba(d.Xtest), a.predictProba(d.Xtest));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-tfjs-'));
    await a.saveTfjs(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    assert.equal(manifest.format, 'layers-model');
    assert.deepEqual(manifest.weightsManifest[0].paths, ['weights.bin']);
    const bytes = manifest.weightsManifest[0].weights.reduce((n: number, w: { shape: number[] }) => n + 4 * w.shape.reduce((x, y) => x * y, 1), 0);
    assert.equal(fs.statSync(path.join(dir, 'weights.bin')).size, bytes);
    fs.rmSync(dir, { recursive: true });
    const tampered = JSON.parse(JSON.stringify(a.toJSON()));
    tampered.state.weights[0].shape = [1, 1];
    assert.throws(() => loadEstimator(tampered), /weight 0 has shape \[1,1\]/);
  });

  // The fit's steps are TrainStep's: the gradient written out, not tfjs's autodiff (3-4× faster on
  // wasm). It must be the gradient autodiff gives for the same masks, and the update tf.train.adam's.
  const batch = (rows: number[], d: { Xtrain: { data: Float64Array; cols: number }; ytrain: ArrayLike<number> }) => ({
    xs: tf.tensor2d(Float32Array.from(rows.flatMap((r) => Array.from(d.Xtrain.data.subarray(r * d.Xtrain.cols, (r + 1) * d.Xtrain.cols)))), [rows.length, d.Xtrain.cols]),
    y: Float64Array.from(rows, (r) => d.ytrain[r]),
  });
  const network = (features: number, k: number, classify: boolean) => {
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ units: 24, activation: 'relu', inputShape: [features], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }));
    model.add(tfl.layers.dropout({ rate: 0.3 }));
    model.add(tfl.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
    model.add(tfl.layers.dropout({ rate: 0.3 }));
    model.add(tfl.layers.dense({ units: k, activation: classify ? 'softmax' : 'linear', kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }) }));
    return model;
  };
  // With and without the L2 penalty (scikit-learn's alpha: alpha/2 · Σ‖W‖² / rows on the kernels).
  const cases = [['letter_recognition', 'lettr', true, 0], ['letter_recognition', 'lettr', true, 0.5], ['sklearn_diabetes', 'target', false, 0.5]] as const;
  for (const [name, target, classify, alpha] of cases) {
    it(`TrainStep's gradients are tfjs autodiff's for the same dropout masks, and its update tf.train.adam's (${classify ? 'softmax' : 'regression'} head, alpha ${alpha})`, async () => {
      await tfBackend();
      const d = trainTestData(await loadCsv(dataset(`${name}.csv`)), target);
      const k = classify ? 26 : 1;
      const model = network(d.Xtrain.cols, k, classify);
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { xs, y } = batch(Array.from({ length: 40 }, (_, i) => i * 7), d);
      const settings = { learningRate: 0.01, dropout: 0.3, alpha, classify };
      const ours = new TrainStep(model, settings, rng(9)).gradients(xs.dataSync(), y);
      // The same masks, drawn from the same stream in the same order, applied by tfjs ops.
      const masksRand = rng(9);
      const masks = [24, 16].map((units) => tf.tensor2d(keepMask(masksRand, 40 * units, 0.3), [40, units]));
      const { value, grads } = tf.variableGrads(() => {
        let h: tf.Tensor = xs;
        for (let l = 0; l < 2; l++) h = tf.mul(tf.relu(tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1])), masks[l]);
        const z = tf.add(tf.matMul(h, vars[4]), vars[5]);
        const loss = classify ? tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(Int32Array.from(y), 'int32'), k), z) : tf.mean(tf.square(tf.sub(z, tf.tensor2d(Float32Array.from(y), [40, 1]))));
        const squares = tf.addN([0, 2, 4].map((i) => tf.sum(tf.square(vars[i]))));
        return tf.add(loss, tf.mul(squares, (0.5 * alpha) / 40)) as tf.Scalar;
      }, vars);
      const expectedLoss = value.dataSync()[0];
      assert.ok(Math.abs(ours.loss - expectedLoss) < 1e-4 * Math.max(1, expectedLoss), `loss ${ours.loss} against ${expectedLoss}`);
      vars.forEach((v, i) => {
        const expected = grads[v.name].dataSync();
        const scale = Math.max(...Array.from(expected, Math.abs));
        assert.ok(scale > 0, `weight ${i} has a gradient`);
        const worst = maxAbsDiff(expected, ours.grads[i]);
        assert.ok(worst <= 1e-5 * scale, `weight ${i}: off by ${worst} at scale ${scale}`);
      });
      // Three steps of TrainStep against three of tf.train.adam fed the same gradients.
      const twin = network(d.Xtrain.cols, k, classify);
      const twinVars = twin.trainableWeights.map((w) => w.read() as tf.Variable);
      model.setWeights(twin.getWeights());
      // The measuring step is made afresh each time, so it reads the twin's weights as Adam left them;
      // its masks come from one stream, as the stepping one's do.
      const stepping = new TrainStep(model, settings, rng(5)), measuringRand = rng(5);
      const adam = tf.train.adam(0.01);
      for (let s = 0; s < 3; s++) {
        const g = new TrainStep(twin, settings, measuringRand).gradients(xs.dataSync(), y).grads;
        stepping.run(xs.dataSync(), y);
        adam.applyGradients(twinVars.map((v, i) => ({ name: v.name, tensor: tf.tensor(g[i], v.shape) })));
      }
      stepping.writeBack();
      twinVars.forEach((v, i) => {
        const worst = maxAbsDiff(v.dataSync(), vars[i].dataSync());
        assert.ok(worst < 1e-6, `weight ${i} after three steps: off by ${worst}`);
      });
      tf.dispose([xs, value, ...masks, ...Object.values(grads)]);
    });
  }

  it('a TrainStep that meets a larger batch lays its arrays out again, keeping its weights and Adam\'s moments', async () => {
    await tfBackend();
    const d = trainTestData(await loadCsv(dataset('letter_recognition.csv')), 'lettr');
    const settings = { learningRate: 0.01, dropout: 0.3, alpha: 0.1, classify: true };
    const sizes = [8, 40, 8, 33];
    const batches = sizes.map((n, b) => batch(Array.from({ length: n }, (_, i) => 50 * b + i), d));
    // One step through growing and shrinking batches, against one laid out for 40 rows from the start.
    const growing = network(d.Xtrain.cols, 26, true), sized = network(d.Xtrain.cols, 26, true);
    // b is laid out for 40 rows by a first look at a 40-row batch, whose masks come from a stream of their own.
    let warming = true;
    const warmRand = rng(99), bRand = rng(11);
    const a = new TrainStep(growing, settings, rng(11)), b = new TrainStep(sized, settings, () => (warming ? warmRand() : bRand()));
    b.gradients(batches[1].xs.dataSync(), batches[1].y);
    warming = false;
    for (const { xs, y } of batches) {
      const ga = a.gradients(xs.dataSync(), y), gb = b.gradients(xs.dataSync(), y);
      assert.equal(ga.loss, gb.loss);
      ga.grads.forEach((g, i) => assert.deepEqual(g, gb.grads[i], `weight ${i} on ${y.length} rows`));
      a.run(xs.dataSync(), y);
      b.run(xs.dataSync(), y);
    }
    a.writeBack();
    b.writeBack();
    growing.getWeights().forEach((w, i) => assert.deepEqual(w.dataSync(), sized.getWeights()[i].dataSync(), `weight ${i} after the steps`));
    tf.dispose(batches.map((x) => x.xs));
  });

  it('dropout keeps each unit with probability 1 - rate, scaled by 1 / (1 - rate), with a fresh mask at every step', async () => {
    const mask = keepMask(rng(3), 100_000, 0.2);
    const dropped = mask.filter((x) => x === 0).length / mask.length;
    assert.ok(Math.abs(dropped - 0.2) < 0.005, `dropped ${dropped}`);
    assert.ok(mask.every((x) => x === 0 || x === Math.fround(1.25)));
    await tfBackend();
    const d = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    const { xs, y } = batch(Array.from({ length: 32 }, (_, i) => i), d);
    const maskSettings = { learningRate: 0.01, dropout: 0.3, alpha: 0, classify: true };
    const step = new TrainStep(network(d.Xtrain.cols, 3, true), maskSettings, rng(4));
    const first = step.gradients(xs.dataSync(), y).grads[0], second = step.gradients(xs.dataSync(), y).grads[0];
    assert.notDeepEqual(second, first, 'the same batch twice: other masks, other gradients');
    const again = new TrainStep(network(d.Xtrain.cols, 3, true), maskSettings, rng(4)).gradients(xs.dataSync(), y).grads[0];
    assert.deepEqual(again, first, 'the same seed draws the same masks');
    xs.dispose();
  });

  it('parameters that would fit nonsense or fail inside tfjs are refused, each named', async () => {
    const d = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    const refused = async (params: Record<string, unknown>, message: RegExp) => assert.rejects(new MLPClassifier(params).fit(d.Xtrain, d.ytrain as Int32Array), message);
    await refused({ dropout: 1 }, /^Error: MLPClassifier: dropout must be in \[0, 1\) \(got 1\)$/);
    await refused({ learningRate: -0.01 }, /learningRate must be positive \(got -0.01\)/);
    await refused({ batchSize: 0, epochs: 2.5 }, /batchSize must be a whole number ≥ 1 \(got 0\); epochs must be a whole number from 1 to 10,000 \(got 2.5\)/);
    await refused({ hidden: [] }, /hidden must be a list of 1 to 16 whole numbers from 1 to 8,192 \(got \[\]\)/);
    // Work that cannot finish: 1e9 epochs ran for ever, a layer of a million units took the memory.
    await refused({ epochs: 1e9 }, /epochs must be a whole number from 1 to 10,000 \(got 1000000000\)/);
    await refused({ hidden: [1_000_000] }, /hidden must be a list of 1 to 16 whole numbers from 1 to 8,192 \(got \[1000000\]\)/);
    await refused({ validationSplit: 1 }, /validationSplit must be in \[0, 1\)/);
    await refused({ alpha: -1e-4 }, /alpha must be ≥ 0/);
    await assert.rejects(new MLPRegressor({ patience: -1 }).fit(d.Xtrain, Float64Array.from(d.ytrain)), /^Error: MLPRegressor: patience must be a whole number ≥ 0/);
  });

  it('early stopping on a validation split; a regression head', async () => {
    const d = trainTestData(await loadCsv(dataset('sklearn_diabetes.csv')), 'target');
    const m = await new MLPRegressor({ epochs: 200, validationSplit: 0.2, patience: 5, learningRate: 0.01 }).fit(d.Xtrain, d.ytrain as Float64Array);
    const h = m.toJSON().state.history;
    assert.ok(h.length < 200, `stopped after ${h.length} epochs`);
    assert.ok(h.every((e) => e.valLoss !== undefined));
    const score = r2(d.ytest, m.predict(d.Xtest));
    assert.ok(score > 0.3, `R² ${score}`);
  });
});
