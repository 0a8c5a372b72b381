// ONNX export, checked with onnxruntime-node: for every model family on the shared datasets, the
// exported graph's labels equal ML Workbench's and its probabilities (regression values) are
// within 1e-5 (relative for values); the largest difference is printed. Inputs are float for
// numbers. What has no ONNX form yet (feature steps) is refused by name; mlw export writes the file.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadCsv } from '../../../src/core/csv/load';
import type { Frame } from '../../../src/core/frame';
import { exportOnnx } from '../../../src/core/serving/onnx';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { loadBundle, LoadedBundle } from '../../../src/core/workflow/bundle';
import { predictFrame } from '../../../src/core/workflow/predict';
import { train } from '../../../src/core/workflow/train';
import { dataset, FIXTURES, ROOT } from '../../support/paths';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-onnx-'));
const fixture = (name: string) => path.join(FIXTURES, 'bundles', `${name}.bundle.json`);
const INT64_MIN = -(2n ** 63n);

/** The frame's columns as the exported graph's inputs: [N, 1] float, string or int64. */
function feeds(b: LoadedBundle, frame: Frame): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const c of b.bundle.input) {
    const col = frame.columns.find((x) => x.name === c.name)!;
    const n = frame.rows;
    if (c.kind === 'categorical') {
      const values = Array.from({ length: n }, (_, i) => (col.kind === 'categorical' || col.kind === 'text' ? (col.codes[i] < 0 ? '' : col.dictionary[col.codes[i]]) : col.kind === 'numeric' ? (col.values[i] === col.values[i] ? String(col.values[i]) : '') : ''));
      out[c.name] = new ort.Tensor('string', values, [n, 1]);
    } else if (c.kind === 'datetime' && col.kind === 'datetime') {
      out[c.name] = new ort.Tensor('int64', BigInt64Array.from(col.values, (v) => (v === v ? BigInt(v) : INT64_MIN)), [n, 1]);
    } else if (col.kind === 'boolean') {
      out[c.name] = new ort.Tensor('float32', Float32Array.from(col.values, (v) => (v === 255 ? NaN : v)), [n, 1]);
    } else if (col.kind === 'numeric') out[c.name] = new ort.Tensor('float32', Float32Array.from(col.values), [n, 1]);
  }
  return out;
}

describe('ONNX export', function () {
  this.timeout(300_000);
  const bundles: [string, string, string][] = [
    ['LogisticRegression (binary)', fixture('titanic_lr_v1'), 'titanic_survival.csv'],
    ['RandomForestClassifier, with dates', fixture('seattle_rf_v1'), 'vega_seattle_weather.csv'],
    ['MLPClassifier', fixture('titanic_mlp_v1'), 'titanic_survival.csv'],
    ['LinearRegression', fixture('diabetes_linear_v1'), 'sklearn_diabetes.csv'],
  ];

  before(async () => {
    const store = new MlflowStore(path.join(tmp(), 'mlruns'));
    const fit = async (csv: string, target: string, models: ('lr' | 'rf' | 'svm' | 'mlp')[], extra: Record<string, unknown> = {}) => {
      const r = await train({ kind: 'train', data: dataset(csv), target, models, cv: 0, ...extra }, store);
      for (const x of r.results) assert.equal(x.status, 'FINISHED', x.error);
      return r.results.map((x) => x.bundle!);
    };
    const [svc] = await fit('titanic_survival.csv', 'survived', ['svm'], { drop: ['name'] });
    const [approx] = await fit('titanic_survival.csv', 'survived', ['svm'], { drop: ['name'], svmSolver: 'approx' });
    const [approx3, lr3, rf3, mlp3] = await fit('penguins.csv', 'species', ['svm', 'lr', 'rf', 'mlp'], { svmSolver: 'approx' });
    const [rfr, mlpr] = await fit('sklearn_diabetes.csv', 'target', ['rf', 'mlp'], { params: { rf: { nEstimators: 30 }, mlp: { epochs: 5 } } });
    const [someParts] = await fit('vega_seattle_weather.csv', 'weather', ['lr'], { dateParts: ['month', 'dayofweek', 'weekend'] });
    bundles.push(
      ['SVC (binary)', svc, 'titanic_survival.csv'], ['SVC (3 classes: pairwise coupling in a Loop)', fixture('penguins_svm_v1'), 'penguins.csv'], ['ApproxSVC (binary)', approx, 'titanic_survival.csv'], ['ApproxSVC (3 classes)', approx3, 'penguins.csv'],
      ['LogisticRegression (3 classes)', lr3, 'penguins.csv'], ['RandomForestClassifier (3 classes)', rf3, 'penguins.csv'], ['MLPClassifier (3 classes)', mlp3, 'penguins.csv'],
      ['RandomForestRegressor', rfr, 'sklearn_diabetes.csv'], ['MLPRegressor', mlpr, 'sklearn_diabetes.csv'], ['LogisticRegression, some date parts', someParts, 'vega_seattle_weather.csv'],
    );
  });

  it('every model family: labels identical to ML Workbench\'s, probabilities within 1e-5', async () => {
    const report: string[] = [];
    for (const [name, bundleFile, csv] of bundles) {
      const b = await loadBundle(bundleFile);
      const { bytes } = exportOnnx(b);
      const session = await ort.InferenceSession.create(bytes).catch((e: Error) => {
        throw new Error(`${name}: ${e.message}`);
      });
      const frame = await loadCsv(dataset(csv));
      const result = await session.run(feeds(b, frame));
      const { pred, proba } = predictFrame(b, frame);
      const labels = b.bundle.labels;
      let worst = 0;
      const got = result.label.data as ArrayLike<string | number>;
      for (let i = 0; i < frame.rows; i++) {
        if (labels) assert.equal(got[i], labels[pred[i]], `${name}, row ${i}: label`);
        else worst = Math.max(worst, Math.abs(Number(got[i]) - pred[i]) / Math.max(1, Math.abs(pred[i])));
      }
      if (labels) {
        const p = result.probabilities.data as Float64Array;
        assert.deepEqual(result.probabilities.dims, [frame.rows, labels.length]);
        for (let j = 0; j < p.length; j++) worst = Math.max(worst, Math.abs(p[j] - proba![j]));
      }
      report.push(`${name}: ${frame.rows} rows, labels identical, largest ${labels ? 'probability' : 'relative'} difference ${worst.toExponential(2)}`);
      assert.ok(worst <= 1e-5, report.at(-1));
    }
    console.log(`      ${report.join('\n      ')}`);
  });

  it('refuses by name what has no ONNX form yet: feature steps', async () => {
    const steps = await loadBundle(fixture('seattle_steps_lr_v1'));
    assert.throws(() => exportOnnx(steps), /feature steps \(timeFeatures, bin, formula\) have no ONNX form yet/);
  });

  it('mlw export writes model.onnx, refuses an existing file without --force, and exits 1 naming what it cannot export', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const out = path.join(tmp(), 'model.onnx');
    const ok = spawnSync(process.execPath, [cli, 'export', fixture('titanic_lr_v1'), '--format', 'onnx', '--out', out, '--json'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(JSON.parse(ok.stdout).inputs.map((i: { name: string; type: string }) => `${i.name}:${i.type}`), ['age:float', 'sex:string', 'passengerClass:string']);
    assert.ok(fs.statSync(out).size > 100);
    const again = spawnSync(process.execPath, [cli, 'export', fixture('titanic_lr_v1'), '--out', out], { encoding: 'utf8' });
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
    const refused = spawnSync(process.execPath, [cli, 'export', fixture('seattle_steps_lr_v1'), '--out', path.join(tmp(), 'x.onnx')], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /cannot be exported to ONNX: the model's feature steps/);
  });
});
