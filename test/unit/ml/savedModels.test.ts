// A saved model is a file from anywhere: every estimator and the preprocessor check their saved
// state (types, finite numbers, sizes that agree) before it is used, and a bundle checks that its
// parts agree. Each case below once loaded and predicted NaN probabilities or a constant class.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData, TrainTestData } from '../../../src/core/ml/dataset';
import { isClassifier, type Model } from '../../../src/core/ml/estimator';
import { LinearRegression, LogisticRegression, Ridge } from '../../../src/core/ml/models/linear';
import { RandomForestClassifier, RandomForestRegressor } from '../../../src/core/ml/models/forest/forest';
import { MLPClassifier, MLPRegressor } from '../../../src/core/ml/models/mlp/mlp';
import { SVC } from '../../../src/core/ml/models/svm';
import { ApproxSVC } from '../../../src/core/ml/models/svmApprox';
import { Preprocessor } from '../../../src/core/ml/preprocess';
import { createEstimator, loadEstimator } from '../../../src/core/ml/registry';
import { describeFileError } from '../../../src/core/io/fileErrors';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { loadBundle } from '../../../src/core/workflow/bundle';
import { predictCsv } from '../../../src/core/workflow/predict';
import { train } from '../../../src/core/workflow/train';
import { dataset, ROOT } from '../../support/paths';

type Json = Record<string, unknown> & { state: Record<string, unknown> };
const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x));
/** The bytes of base64 data, in an ArrayBuffer of their own (a small Buffer shares a pool). */
const bytesOf = (b64: string): ArrayBuffer => Uint8Array.from(Buffer.from(b64, 'base64')).buffer;
/** A saved model with one change made to its state. */
function tampered(saved: unknown, change: (s: Record<string, any>) => void): Json {
  const c = copy(saved) as Json;
  change(c.state);
  return c;
}

describe('saved models are checked before use', function () {
  this.timeout(120_000);
  let iris: TrainTestData;
  let diabetes: TrainTestData;
  const saved: Record<string, unknown> = {};

  before(async () => {
    iris = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    diabetes = trainTestData(await loadCsv(dataset('sklearn_diabetes.csv')), 'target');
    const fit = async (e: Model, d: TrainTestData) => (await e.fit(d.Xtrain, d.ytrain)).toJSON();
    saved.LogisticRegression = await fit(new LogisticRegression(), iris);
    saved.Ridge = await fit(new Ridge(), diabetes);
    saved.LinearRegression = await fit(new LinearRegression(), diabetes);
    saved.SVC = await fit(new SVC({ nJobs: 1 }), iris);
    saved.ApproxSVC = await fit(new ApproxSVC({ nComponents: 20 }), iris);
    saved.RandomForestClassifier = await fit(new RandomForestClassifier({ nEstimators: 3, nJobs: 1 }), iris);
    saved.RandomForestRegressor = await fit(new RandomForestRegressor({ nEstimators: 3, nJobs: 1 }), diabetes);
    saved.MLPClassifier = await fit(new MLPClassifier({ epochs: 1, hidden: [4] }), iris);
    saved.MLPRegressor = await fit(new MLPRegressor({ epochs: 1, hidden: [4] }), diabetes);
  });

  it('every estimator loads its own saved state back unchanged', () => {
    for (const [type, s] of Object.entries(saved)) assert.deepEqual(loadEstimator(copy(s)).toJSON(), s, type);
  });

  it('every classifier\'s labels and probabilities at once equal predict and predictProba apart (SVC votes one-against-one)', () => {
    for (const [type, s] of Object.entries(saved)) {
      const m = loadEstimator(copy(s));
      if (!isClassifier(m)) continue;
      const { pred, proba } = m.predictWithProba(iris.Xtest);
      assert.deepEqual(Array.from(pred), Array.from(m.predict(iris.Xtest)), type);
      assert.deepEqual(Array.from(proba), Array.from(m.predictProba(iris.Xtest)), type);
    }
  });

  it("an MLP saved when its seed was called seed (not randomState, the other models' name) loads the same", () => {
    const old = copy(saved.MLPClassifier) as Json;
    const params = old.params as Record<string, unknown>;
    params.seed = params.randomState;
    delete params.randomState;
    const loaded = loadEstimator(old);
    assert.deepEqual(loaded.toJSON(), saved.MLPClassifier);
    assert.equal((loaded.getParams() as { randomState: number }).randomState, 42);
  });

  it('a coefficient of "NaN", null or 1e999 (Infinity in JSON) is refused with its path', () => {
    for (const bad of ['NaN', null, Infinity]) {
      assert.throws(() => loadEstimator(tampered(saved.LogisticRegression, (s) => (s.coef[1][2] = bad))), /^Error: LogisticRegression: saved state \/coef\/1\/2 must be number$/);
    }
    assert.throws(() => loadEstimator(tampered(saved.Ridge, (s) => (s.intercept = 'x'))), /Ridge: saved state \/intercept must be number/);
    assert.throws(() => loadEstimator(tampered(saved.SVC, (s) => (s.pairs[0].rho = null))), /SVC: saved state \/pairs\/0\/rho must be number/);
    assert.throws(() => loadEstimator(tampered(saved.ApproxSVC, (s) => (s.offsets[0] = '1'))), /ApproxSVC: saved state \/offsets\/0 must be number/);
  });

  it('sizes that do not agree are refused, each named', () => {
    assert.throws(() => loadEstimator(tampered(saved.LogisticRegression, (s) => s.coef[0].pop())), /LogisticRegression: saved state does not fit together: coef\[0\] has 3 values where 4 are needed/);
    assert.throws(() => loadEstimator(tampered(saved.LogisticRegression, (s) => s.coef.pop())), /coef has 2 values where 3 are needed; intercept has 3 values where 2 are needed|coef has 2 values where 3 are needed/);
    assert.throws(() => loadEstimator(tampered(saved.LinearRegression, (s) => s.coef.push(1))), /LinearRegression: saved state does not fit together: coef has 11 values where 10 are needed/);
    assert.throws(() => loadEstimator(tampered(saved.SVC, (s) => s.pairs.pop())), /SVC: .*pairs has 2 values where 3 are needed/);
    assert.throws(() => loadEstimator(tampered(saved.SVC, (s) => (s.pairs[0].sv[0] = 10_000))), /pairs\[0\]\.sv names a support vector beyond/);
    assert.throws(() => loadEstimator(tampered(saved.ApproxSVC, (s) => s.projection.pop())), /ApproxSVC: .*projection has 79 values where 80 are needed/);
    assert.throws(() => loadEstimator(tampered(saved.RandomForestClassifier, (s) => s.featureImportances.pop())), /RandomForestClassifier: .*featureImportances has 3 values where 4 are needed/);
    assert.throws(() => loadEstimator(tampered(saved.MLPClassifier, (s) => s.weights.pop())), /MLPClassifier: .*3 weight arrays where hidden \[4\] needs 4/);
    assert.throws(() => loadEstimator(tampered(saved.MLPRegressor, (s) => (s.weights[0].shape = [10, 5]))), /MLPRegressor: .*weight 0 has shape \[10,5\] where \[10,4\] is needed/);
  });

  it('a forest tree or network weight holding NaN is refused', () => {
    const nanThreshold = tampered(saved.RandomForestRegressor, (s) => {
      const t = new Float64Array(bytesOf(s.trees[0].threshold));
      t[0] = NaN;
      s.trees[0].threshold = Buffer.from(t.buffer).toString('base64');
    });
    assert.throws(() => loadEstimator(nanThreshold), /forest: tree 0 node 0 has threshold NaN/);
    const nanWeight = tampered(saved.MLPClassifier, (s) => {
      const w = new Float32Array(bytesOf(s.weights[1].data));
      w[2] = NaN;
      s.weights[1].data = Buffer.from(w.buffer).toString('base64');
    });
    assert.throws(() => loadEstimator(nanWeight), /MLPClassifier: saved state weight 1 holds NaN at 2/);
  });

  it('a network whose parameters ask for more than its weights hold is refused before it is built', () => {
    const big = copy(saved.MLPClassifier) as Json;
    (big.params as Record<string, unknown>).hidden = [8000, 8000];
    assert.throws(() => loadEstimator(big), /MLPClassifier: saved state does not fit together: 4 weight arrays where hidden \[8000,8000\] needs 6; weight 0 has shape \[4,4\] where \[4,8000\] is needed/);
    (big.params as Record<string, unknown>).hidden = [100_000];
    assert.throws(() => loadEstimator(big), /MLPClassifier: hidden must be a list of 1 to 16 whole numbers from 1 to 8,192/);
  });

  it('a model type that names a property of every object (toString, constructor, __proto__) is unknown', () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.throws(() => loadEstimator({ ...copy(saved.Ridge as object), type }), new RegExp(`^Error: unknown model type "${type}" \\(known: `));
      assert.throws(() => createEstimator(type), /unknown model type/);
    }
    assert.throws(() => createEstimator('Ridge', { toString: 1 }), /Ridge: unknown parameter "toString"/);
  });

  it('a preprocessor state with a scale of "x", a scale of 0, an unknown step, a broken chain or a miscounted output is refused', () => {
    const pre = iris.preprocessor.toJSON();
    const bad = (change: (s: any) => void) => {
      const s = copy(pre);
      change(s);
      return () => Preprocessor.fromJSON(s);
    };
    assert.throws(bad((s) => (s.columns[0].steps[1].state.scale = 'x')), /preprocessor: column "sepal length \(cm\)": scale: saved state \/scale must be array/);
    assert.throws(bad((s) => (s.columns[0].steps[1].state.scale[0] = 0)), /scale: saved state \/scale\/0 must be > 0/);
    assert.throws(bad((s) => (s.columns[0].steps[0].type = 'eval')), /unknown column step "eval" \(known: impute, scale, oneHot, dateParts\)/);
    assert.throws(bad((s) => s.columns.push({ column: 'z', kind: 'categorical', steps: [] })), /preprocessor: saved state does not fit together: .*column "z": its steps end in categories/);
    assert.throws(bad((s) => s.outputNames.pop()), /preprocessor: saved state does not fit together: outputNames has 3 values where 4 are needed/);
    assert.doesNotThrow(bad(() => undefined));
  });
});

describe('a bundle whose parts disagree, or that is not a bundle', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-bundle-'));
  const titanic = dataset('titanic_survival.csv');
  let bundleFile: string;
  let original: Record<string, any>;

  before(async () => {
    const r = await train({ kind: 'train', data: titanic, target: 'survived', drop: ['name'], models: ['lr'], cv: 0 }, new MlflowStore(path.join(dir, 'mlruns')));
    bundleFile = r.results[0].bundle!;
    original = JSON.parse(fs.readFileSync(bundleFile, 'utf8'));
  });

  const writeBundle = (change: (b: Record<string, any>) => void) => {
    const b = copy(original);
    change(b);
    const f = path.join(fs.mkdtempSync(path.join(dir, 'b-')), 'bundle.json');
    fs.writeFileSync(f, JSON.stringify(b));
    return f;
  };

  it('a task changed to regression, a label dropped or a feature count changed is refused naming the file', async () => {
    const task = writeBundle((b) => (b.task = 'regression'));
    await assert.rejects(loadBundle(task), new RegExp(`^Error: ${task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the bundle's parts do not agree: task is regression but the model \\(LogisticRegression\\) does classification`));
    await assert.rejects(loadBundle(writeBundle((b) => (b.labels = ['no', 'yes', 'maybe']))), /3 class labels but the model has 2 classes/);
    await assert.rejects(loadBundle(writeBundle((b) => (b.labels = ['no', 'no']))), /the class labels repeat/);
    await assert.rejects(loadBundle(writeBundle((b) => (b.input = b.input.slice(1)))), /its input columns are not the preprocessor's/);
    await assert.rejects(loadBundle(writeBundle((b) => {
      b.estimator.state.coef[0].push(0.5);
      b.estimator.state.nFeatures += 1;
    })), /the preprocessor writes 6 features but the model reads 7/);
  });

  it('mlw predict and evaluate exit 1 on a tampered bundle and write nothing', () => {
    const out = path.join(dir, 'never.csv');
    const f = writeBundle((b) => (b.estimator.state.coef[0][0] = 'NaN'));
    const cli = path.join(ROOT, 'dist', 'cli.js');
    for (const args of [['predict', f, titanic, '--out', out], ['evaluate', f, titanic, '--no-track']]) {
      const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
      assert.equal(r.status, 1, args[0]);
      assert.match(r.stderr, /LogisticRegression: saved state \/coef\/0\/0 must be number/);
    }
    assert.ok(!fs.existsSync(out));
  });

  it('a bundle that is another file (a link to /etc/passwd, a run spec) is refused without quoting it', async () => {
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'root:TOPSECRET:0:0:root:/root:/bin/bash\n');
    const link = path.join(dir, 'linked', 'bundle.json');
    fs.mkdirSync(path.dirname(link));
    fs.symlinkSync(secret, link);
    for (const where of [link, path.dirname(link)]) {
      const e = await loadBundle(where).then(() => undefined, (x: Error) => x);
      assert.ok(e, 'refused');
      assert.match(e.message, /not a model bundle: it is not valid JSON|not a model bundle: invalid JSON at line 1/);
      assert.doesNotMatch(e.message, /TOPSECRET|root:/);
    }
    const half = path.join(dir, 'half.json');
    fs.writeFileSync(half, '{"format": "ml-workbench-bundle", "secret": "TOPSECRET", ');
    const h = await loadBundle(half).then(() => undefined, (x: Error) => x);
    assert.doesNotMatch(h!.message, /TOPSECRET/);
  });

  it('predict refuses to write over its input, or any existing file without replace; nothing is left behind', async () => {
    const input = path.join(dir, 'input.csv');
    fs.copyFileSync(titanic, input);
    const before = fs.readFileSync(input);
    await assert.rejects(predictCsv(bundleFile, input, input, { replace: true }), /is the input file .*; write the predictions to another file/);
    const alias = path.join(dir, 'alias.csv');
    fs.symlinkSync(input, alias);
    await assert.rejects(predictCsv(bundleFile, input, alias, { replace: true }), /is the input file/);
    const existing = path.join(dir, 'existing.csv');
    fs.writeFileSync(existing, 'keep me\n');
    await assert.rejects(predictCsv(bundleFile, input, existing), /existing\.csv: already exists; choose another file, or replace it with --force/);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me\n');
    await assert.rejects(predictCsv(bundleFile, input, dir), /is a folder; give a file path for the predictions/);
    assert.ok(fs.readFileSync(input).equals(before), 'the input is untouched');
    const r = await predictCsv(bundleFile, input, existing, { replace: true });
    assert.equal(r.rows, 1309);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
  });

  it('a prediction file that cannot be written says why and what to do', async () => {
    const blocker = path.join(dir, 'blocker');
    fs.writeFileSync(blocker, '');
    await assert.rejects(predictCsv(bundleFile, titanic, path.join(blocker, 'p.csv')), /blocker.*: a part of the path is a file, not a folder/);
    // Tests run as root in CI, where permissions do not stop a write: the messages for the errno
    // codes are checked as the writer produces them.
    const say = (code: string, doing: 'read' | 'write') => describeFileError(Object.assign(new Error(code), { code }), '/x/p.csv', doing);
    assert.equal(say('EACCES', 'write'), "/x/p.csv: permission denied; check the folder's permissions or choose another path");
    assert.equal(say('EISDIR', 'write'), '/x/p.csv: is a folder; give a file path');
    assert.equal(say('ENOENT', 'read'), '/x/p.csv: no such file');
    assert.equal(say('EEXIST', 'write'), '/x/p.csv: already exists; choose another path (or pass --force to replace it)');
    assert.equal(say('ELOOP', 'read'), '/x/p.csv: a symbolic link that loops; fix or remove the link');
  });
});
