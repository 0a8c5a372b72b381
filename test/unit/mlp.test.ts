// The TensorFlow.js MLP: parity with scikit-learn's MLPClassifier(64, 64, max_iter=50) on the same
// split, determinism, early stopping, the regression head, and both saved forms (JSON, and
// model.json + weights.bin in the tfjs layers format).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsv } from '../../src/core/csv/load';
import { trainTestData } from '../../src/core/ml/dataset';
import { accuracy, r2 } from '../../src/core/ml/metrics';
import { MLPClassifier, MLPRegressor, EpochLog } from '../../src/core/ml/models/mlp/mlp';
import { loadEstimator } from '../../src/core/ml/registry';
import { REFERENCE_SETUPS } from '../referencePipeline';
import { dataset } from './paths';
import { sklearnScores } from './sklearnLive';

const SKLEARN_MLP = 'MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=50, random_state=42)';

describe('MLP (TensorFlow.js)', () => {
  // On mpls_stops (35k rows × 120, about 2.5 minutes for ours on the wasm backend) both sides spread
  // by about a point over seeds. Measured once, seed (ours / scikit-learn's): 42 0.8723 / 0.8640,
  // 0 0.8740 / 0.8654, 1 0.8754 / 0.8698, 2 0.8674 / 0.8643, 3 0.8731 / 0.8626 (+1.05). Ours, with
  // dropout, is 0.3 to 1.05 points above; the reference seeds (42 and random_state=42) are tested.
  for (const name of ['titanic_survival', 'letter_recognition', 'mpls_stops'] as const) {
    it(`${name}: test accuracy within one point of scikit-learn's MLP (50 epochs)`, async function () {
      this.timeout(900_000);
      const d = trainTestData(await loadCsv(dataset(`${name}.csv`)), REFERENCE_SETUPS[name].target, REFERENCE_SETUPS[name].options);
      const theirs = sklearnScores(d, { mlp: SKLEARN_MLP });
      const epochs: EpochLog[] = [];
      const m = await new MLPClassifier().fit(d.Xtrain, d.ytrain as Int32Array, { onEpoch: (e) => epochs.push(e) });
      assert.equal(epochs.length, 50);
      assert.ok(epochs[49].loss < epochs[0].loss, 'the loss goes down');
      const acc = accuracy(d.ytest, m.predict(d.Xtest));
      assert.ok(Math.abs(acc - theirs.mlp) <= 0.01, `ours ${acc} (${m.toJSON().state.backend}), scikit-learn ${theirs.mlp}`);
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
