// mlw scaffold: the FastAPI folder's NumPy runtime predicts as ML Workbench for every model family
// and feature step (labels identical, probabilities within 1e-9, the float32 MLP's within 1e-5;
// the largest difference is in each message); the generated app's own tests pass; uvicorn serves
// it as its Dockerfile says; the Dockerfiles have the structure we promise; the node folder runs
// mlw serve from itself; an existing folder is never written into without --force.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsv } from '../../../src/core/csv/load';
import { Predictor } from '../../../src/core/serving/predictor';
import { clientRows, scaffold } from '../../../src/core/serving/scaffold';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { predictFrame } from '../../../src/core/workflow/predict';
import { train } from '../../../src/core/workflow/train';
import { dataset, FIXTURES, ROOT } from '../../support/paths';

const PYTHON = '/usr/bin/python3';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-scaffold-'));
const fixture = (name: string) => path.join(FIXTURES, 'bundles', `${name}.bundle.json`);

/** The runtime of a scaffolded folder, on rows given on stdin: its predictions as JSON. */
function pythonPredict(dir: string, rows: unknown[]): { prediction: string | number; probabilities?: Record<string, number> }[] {
  const script = 'import json, sys\nfrom app.mlw_runtime import Bundle\nb = Bundle("model/bundle.json")\nprint(json.dumps(b.predict(json.load(sys.stdin))[0]))';
  const r = spawnSync(PYTHON, ['-c', script], { cwd: dir, input: JSON.stringify(rows), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`python: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => {
    const port = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(port));
  });
});

async function waitReady(url: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${ms} ms`);
}

describe('mlw scaffold', function () {
  this.timeout(300_000);
  const bundles: [string, string, string][] = [
    ['LogisticRegression', fixture('titanic_lr_v1'), dataset('titanic_survival.csv')],
    ['RandomForestClassifier', fixture('seattle_rf_v1'), dataset('vega_seattle_weather.csv')],
    ['SVC (3 classes)', fixture('penguins_svm_v1'), dataset('penguins.csv')],
    ['MLPClassifier', fixture('titanic_mlp_v1'), dataset('titanic_survival.csv')],
    ['LinearRegression', fixture('diabetes_linear_v1'), dataset('sklearn_diabetes.csv')],
    ['time features, bins and a formula (LR)', fixture('seattle_steps_lr_v1'), dataset('vega_seattle_weather.csv')],
  ];

  before(async () => {
    // The families no fixture holds: ApproxSVC, the forest and the network for regression, and target encoding, aggregates and lags.
    const store = new MlflowStore(path.join(tmp(), 'mlruns'));
    const titanic = dataset('titanic_survival.csv'), diabetes = dataset('sklearn_diabetes.csv'), weather = dataset('vega_seattle_weather.csv');
    const approx = await train({ kind: 'train', data: titanic, target: 'survived', drop: ['name'], models: ['svm'], svmSolver: 'approx', cv: 0 }, store);
    const regression = await train({ kind: 'train', data: diabetes, target: 'target', models: ['rf', 'mlp'], cv: 0, params: { rf: { nEstimators: 20 }, mlp: { epochs: 5 } } }, store);
    // A forest classifier as saved today: pure leaves as their class alone (the fixture predates that).
    const forest = await train({ kind: 'train', data: weather, target: 'weather', models: ['rf'], cv: 0, params: { rf: { nEstimators: 20 } } }, store);
    const steps = await train({
      kind: 'train', data: weather, target: 'weather', models: ['lr'], cv: 0,
      features: [{ type: 'lag', column: 'temp_max', lags: [1, 7], orderBy: 'date' }, { type: 'rolling', column: 'wind', window: 3, stats: ['mean', 'max'], orderBy: 'date' }, { type: 'polynomial', columns: ['temp_max', 'wind'], degree: 2 }],
    }, store);
    const encoded = await train({
      kind: 'train', data: titanic, target: 'survived', drop: ['name'], models: ['lr'], cv: 0,
      features: [{ type: 'targetEncode', columns: ['sex', 'passengerClass'] }, { type: 'aggregate', groupBy: 'passengerClass', column: 'age', stats: ['mean', 'std', 'count', 'nunique'] }],
    }, store);
    for (const r of [...approx.results, ...regression.results, ...forest.results, ...steps.results, ...encoded.results]) assert.equal(r.status, 'FINISHED', r.error);
    bundles.push(['RandomForestClassifier, pure leaves saved as their class', forest.results[0].bundle!, weather], ['ApproxSVC', approx.results[0].bundle!, titanic], ['RandomForestRegressor', regression.results[0].bundle!, diabetes], ['MLPRegressor', regression.results[1].bundle!, diabetes], ['lags, rolling windows and polynomial terms (LR)', steps.results[0].bundle!, weather], ['target encoding and group aggregates (LR)', encoded.results[0].bundle!, titanic]);
  });

  it("the FastAPI folder's NumPy runtime predicts every row as ML Workbench does, for every model family and feature step", async function () {
    const report: string[] = [];
    for (const [name, bundle, csv] of bundles) {
      const out = path.join(tmp(), 'app');
      await scaffold(bundle, { target: 'fastapi', out });
      const p = await Predictor.load(bundle);
      const frame = await loadCsv(csv);
      const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
      const rows = clientRows(p, frame, all);
      const theirs = pythonPredict(out, rows);
      const { pred, proba } = predictFrame(p.loaded, frame);
      const float32 = name.startsWith('MLP');
      let worst = 0;
      const labels = p.labels;
      theirs.forEach((t, i) => {
        if (labels) {
          assert.equal(t.prediction, labels[pred[i]], `${name}, row ${i}: label`);
          labels.forEach((l, c) => (worst = Math.max(worst, Math.abs(t.probabilities![l] - proba![i * labels.length + c]))));
        } else worst = Math.max(worst, Math.abs((t.prediction as number) - pred[i]) / Math.max(1, Math.abs(pred[i])));
      });
      report.push(`${name}: ${theirs.length} rows, labels identical, largest ${labels ? 'probability' : 'relative'} difference ${worst.toExponential(2)}`);
      assert.ok(worst <= (float32 ? 1e-5 : 1e-9), report.at(-1));
    }
    console.log(`      ${report.join('\n      ')}`);
  });

  it("the generated app's own tests pass, and uvicorn serves it as its Dockerfile runs it, answering as mlw serve", async () => {
    const out = path.join(tmp(), 'app');
    await scaffold(fixture('penguins_svm_v1'), { target: 'fastapi', out, sampleCsv: dataset('penguins.csv') });
    const unit = spawnSync(PYTHON, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], { cwd: out, encoding: 'utf8' });
    assert.equal(unit.status, 0, unit.stderr);
    assert.match(unit.stderr, /Ran 6 tests/);
    const dockerfile = fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    assert.deepEqual(cmd.slice(0, 2), ['uvicorn', 'app.main:app']);
    const port = await freePort();
    const server = spawn(PYTHON, ['-m', ...cmd.slice(0, 2), '--host', '127.0.0.1', '--port', String(port)], { cwd: out, stdio: 'ignore' });
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitReady(url);
      const p = await Predictor.load(fixture('penguins_svm_v1'));
      const frame = await loadCsv(dataset('penguins.csv'));
      const rows = clientRows(p, frame, [0, 100, 200, 300]);
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rows) });
      assert.equal(res.status, 200);
      const body = (await res.json()) as { predictions: { prediction: string }[] };
      assert.deepEqual(body.predictions.map((x) => x.prediction), p.predict(rows).predictions.map((x) => x.prediction));
      const bad = await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ ...rows[0], colour: 'red' }]) });
      assert.equal(bad.status, 422);
      assert.deepEqual(((await bad.json()) as { problems: { field: string }[] }).problems.map((x) => x.field), ['colour']);
      const mlflow = await fetch(`${url}/invocations`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ dataframe_records: rows }) });
      assert.deepEqual(((await mlflow.json()) as { predictions: string[] }).predictions, body.predictions.map((x) => x.prediction));
    } finally {
      server.kill();
    }
  });

  it('the Dockerfiles: a slim base, dependencies before sources (multi-stage for Python), a non-root user, a health check on /readyz, port 8000', async () => {
    for (const target of ['fastapi', 'node'] as const) {
      const out = path.join(tmp(), target);
      await scaffold(fixture('titanic_lr_v1'), { target, out, mlwDir: path.join(ROOT, 'dist') });
      const lines = fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
      const from = lines.filter((l) => l.startsWith('FROM '));
      assert.ok(from.every((l) => /-slim\b/.test(l)), `${target}: slim bases (${from.join('; ')})`);
      if (target === 'fastapi') {
        assert.equal(from.length, 2, 'multi-stage');
        const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
        assert.ok(at(/^COPY requirements\.txt/) < at(/^RUN pip install/) && at(/^RUN pip install/) < at(/^COPY .*app\//), 'dependencies before sources');
        assert.ok(fs.readFileSync(path.join(out, 'requirements.txt'), 'utf8').split('\n').filter(Boolean).every((l) => /^[\w-]+==[\d.]+$/.test(l)), 'pinned');
      }
      const user = lines.find((l) => l.startsWith('USER '));
      assert.ok(user && !/root|\b0\b/.test(user), `${target}: non-root (${user})`);
      assert.ok(lines.findIndex((l) => l.startsWith('USER ')) < lines.findIndex((l) => l.startsWith('CMD ')));
      assert.match(lines.find((l) => l.startsWith('HEALTHCHECK')) ?? '', /HEALTHCHECK --interval=\d+s/);
      assert.match(fs.readFileSync(path.join(out, 'Dockerfile'), 'utf8'), /127\.0\.0\.1:8000\/readyz/);
      assert.ok(lines.includes('EXPOSE 8000'));
      for (const f of ['.dockerignore', 'README.md', 'request.http', 'model/bundle.json']) assert.ok(fs.existsSync(path.join(out, f)), `${target}: ${f}`);
    }
  });

  it("the node folder runs mlw serve from itself, as its Dockerfile's command, and answers as mlw serve", async () => {
    const out = path.join(tmp(), 'node');
    await scaffold(fixture('titanic_mlp_v1'), { target: 'node', out, mlwDir: path.join(ROOT, 'dist') });
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
    assert.match(pkg.scripts.start, /^node mlw\/cli\.js serve model /);
    const child = spawn(process.execPath, ['mlw/cli.js', 'serve', 'model', '--port', '0', '--json'], { cwd: out, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          if (text.includes('\n')) resolve(text.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const { url } = JSON.parse(line);
      const row = { age: 30, sex: 'female', passengerClass: '1st' };
      const res = (await (await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(row) })).json()) as { predictions: unknown[] };
      const p = await Predictor.load(fixture('titanic_mlp_v1'));
      assert.deepEqual(res.predictions, p.predict([row]).predictions);
    } finally {
      child.kill();
    }
  });

  it('an existing folder is refused unless --force, a bundle from elsewhere names its file, a bad target exits 2', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const out = tmp();
    fs.writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const refused = spawnSync(process.execPath, [cli, 'scaffold', fixture('titanic_lr_v1'), '--target', 'fastapi', '--out', out], { encoding: 'utf8' });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /already exists and is not empty; choose another folder, or write into it with --force/);
    assert.deepEqual(fs.readdirSync(out), ['keep.txt']);
    const forced = spawnSync(process.execPath, [cli, 'scaffold', fixture('titanic_lr_v1'), '--target', 'fastapi', '--out', out, '--force', '--json'], { encoding: 'utf8' });
    assert.equal(forced.status, 0, forced.stderr);
    assert.ok(JSON.parse(forced.stdout).files.includes('app/main.py'));
    assert.equal(fs.readFileSync(path.join(out, 'keep.txt'), 'utf8'), 'mine', 'files it does not write are left alone');
    const notBundle = spawnSync(process.execPath, [cli, 'scaffold', path.join(FIXTURES, 'sklearn_metrics.json'), '--out', path.join(out, 'x')], { encoding: 'utf8' });
    assert.equal(notBundle.status, 1);
    assert.match(notBundle.stderr, /sklearn_metrics\.json: not an ML Workbench model bundle/);
    assert.equal(spawnSync(process.execPath, [cli, 'scaffold', fixture('titanic_lr_v1'), '--target', 'docker', '--out', path.join(out, 'y')]).status, 2);
  });
});
