// The training workflow end to end on real data: a session writes parent and child runs, metrics
// equal to scikit-learn's on the same predictions, bundles that load back (validated) and predict
// the same, batch prediction files, evaluation runs, tuning, and mlw's documented JSON.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import { loadCsv } from '../../../src/core/csv/load';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { loadBundle } from '../../../src/core/workflow/bundle';
import { evaluateCsv, predictCsv } from '../../../src/core/workflow/predict';
import { SKLEARN_MLP_SETTINGS } from '../../../src/core/ml/models/mlp/mlp';
import { checkSpec, readSpecFile } from '../../../src/core/workflow/spec';
import { train, TrainResult } from '../../../src/core/workflow/train';
import { tune } from '../../../src/core/workflow/tune';
import { dataset, ROOT } from '../../support/paths';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-wf-'));

describe('training workflow', () => {
  let store: MlflowStore;
  let result: TrainResult;
  const titanic = dataset('titanic_survival.csv');

  before(async () => {
    store = new MlflowStore(path.join(tmp(), 'mlruns'));
    result = await train({ kind: 'train', data: titanic, target: 'survived', drop: ['name'], models: ['lr', 'rf', 'mlp'], cv: 3 }, store, { sessionId: 's1' });
  });

  it('one experiment per dataset and target; a parent run with a FINISHED child per model', () => {
    assert.equal(result.task, 'classification');
    assert.deepEqual(store.listExperiments().map((e) => e.name), ['titanic_survival.csv · survived']);
    const runs = store.listRuns(result.experimentId);
    assert.equal(runs.length, 4);
    const parent = store.getRun(result.parentRunId);
    assert.equal(parent.status, 'FINISHED');
    assert.equal(parent.runName, 'titanic_survival · train #1 · lr+rf+mlp', 'named by data, session number and models');
    assert.equal(parent.params.n_train, '1047');
    for (const r of result.results) {
      const run = store.getRun(r.runId);
      assert.equal(run.status, 'FINISHED');
      assert.equal(run.parentRunId, result.parentRunId);
      assert.equal(run.tags['mlworkbench.session'], 's1');
      assert.equal(run.metrics.accuracy, r.metrics.accuracy);
      assert.ok(run.metrics.cv_accuracy_mean > 0.7, 'cross-validated on the training split');
      assert.equal(store.metricHistory(r.runId, 'cv_accuracy').length, 3);
      for (const a of ['evaluation.json', 'model/bundle.json']) assert.ok(store.listArtifacts(r.runId).includes(a), `${r.model}: ${a}`);
    }
    assert.equal(parent.tags['mlworkbench.bestRunId'], result.bestRunId);
  });

  it('the MLP logs loss and training accuracy per epoch (steps 1..50) and saves tfjs files beside its bundle', () => {
    const mlp = result.results.find((r) => r.model === 'mlp')!;
    const loss = store.metricHistory(mlp.runId, 'loss');
    assert.deepEqual(loss.map((p) => p.step), Array.from({ length: 50 }, (_, i) => i + 1));
    const acc = store.metricHistory(mlp.runId, 'train_accuracy');
    assert.equal(acc.length, 50, 'training accuracy per epoch, for the accuracy curve');
    assert.ok(acc.every((p) => p.value > 0 && p.value <= 1));
    assert.equal(store.getRun(mlp.runId).metrics.accuracy, mlp.metrics.accuracy, '"accuracy" stays the test accuracy');
    const files = store.listArtifacts(mlp.runId);
    assert.ok(files.includes('model/tfjs/model.json') && files.includes('model/tfjs/weights.bin'));
    assert.ok(files.includes('training_curve.json'));
  });

  it('the random forest saves impurity importances by feature name', () => {
    const rf = result.results.find((r) => r.model === 'rf')!;
    const imp = JSON.parse(store.readArtifact(rf.runId, 'feature_importances.json')!);
    assert.ok(imp.some((f: { feature: string }) => f.feature === 'sex=male'));
    assert.ok(Math.abs(imp.reduce((s: number, f: { importance: number }) => s + f.importance, 0) - 1) < 1e-9);
  });

  it('test metrics equal scikit-learn\'s on the same predictions (roc_auc: positive class = second label)', async () => {
    const lr = result.results.find((r) => r.model === 'lr')!;
    const b = await loadBundle(lr.bundle!);
    const out = path.join(tmp(), 'pred.csv');
    await predictCsv(lr.bundle!, titanic, out);
    const evalRun = JSON.parse(store.readArtifact(lr.runId, 'evaluation.json')!);
    assert.deepEqual(evalRun.labels, ['no', 'yes']);
    assert.equal(b.bundle.labels![1], 'yes');
    // scikit-learn on every row of the file with our probabilities: the same formulas as the run's test metrics.
    const code = `
import sys, json, pandas as pd
from sklearn.metrics import accuracy_score, roc_auc_score, f1_score, log_loss
d = pd.read_csv(sys.argv[1])
print(json.dumps({'accuracy': accuracy_score(d.survived, d.prediction), 'roc_auc': roc_auc_score(d.survived == 'yes', d.proba_yes),
  'f1_macro': f1_score(d.survived, d.prediction, average='macro'), 'log_loss': log_loss(d.survived, d[['proba_no', 'proba_yes']].values, labels=['no', 'yes'])}))`;
    const py = spawnSync('/usr/bin/python3', ['-c', code, out], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const theirs = JSON.parse(py.stdout);
    const ours = await evaluateCsv(lr.bundle!, titanic);
    // The file's probabilities have six significant digits, so its log loss agrees to about 1e-6.
    for (const k of ['accuracy', 'roc_auc', 'f1_macro', 'log_loss']) assert.ok(Math.abs(ours.evaluation.metrics[k] - theirs[k]) < (k === 'log_loss' ? 1e-5 : 1e-9), `${k}: ours ${ours.evaluation.metrics[k]}, scikit-learn ${theirs[k]}`);
    const probas = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').slice(-2));
    assert.ok(probas.flat().every((p) => p.replace(/^0\.|e.*$|\./g, '').replace(/^0+/, '').length <= 6), 'six significant digits at most');
  });

  it('every bundle loads back (validated) and predicts exactly as the trained model did', async () => {
    const frame = await loadCsv(titanic);
    for (const r of result.results) {
      const b = await loadBundle(path.dirname(r.bundle!));
      const X = b.preprocessor.transform(frame);
      const again = await loadBundle(r.bundle!);
      assert.deepEqual(again.estimator.predict(X), b.estimator.predict(X), r.model);
      assert.deepEqual(b.bundle.input.map((c) => c.name).sort(), ['age', 'passengerClass', 'sex']);
    }
  });

  it('predict writes the input rows in order with prediction and proba_<class>; names missing and extra columns', async () => {
    const rf = result.results.find((r) => r.model === 'rf')!;
    const out = path.join(tmp(), 'pred.csv');
    const r = await predictCsv(rf.bundle!, titanic, out);
    assert.deepEqual(r.columns, ['prediction', 'proba_no', 'proba_yes']);
    const rows = Papa.parse<string[]>(fs.readFileSync(out, 'utf8'), { skipEmptyLines: true }).data;
    const input = Papa.parse<string[]>(fs.readFileSync(titanic, 'utf8'), { skipEmptyLines: true }).data;
    assert.equal(rows.length, input.length);
    assert.deepEqual(rows[0], [...input[0], 'prediction', 'proba_no', 'proba_yes']);
    for (const i of [1, 500, 1309]) {
      assert.deepEqual(rows[i].slice(0, input[0].length), input[i], `row ${i} is the input's row ${i}`);
      assert.ok(Math.abs(Number(rows[i][6]) + Number(rows[i][7]) - 1) < 1e-9);
      assert.equal(rows[i][5], Number(rows[i][7]) > Number(rows[i][6]) ? 'yes' : 'no');
    }
    assert.match(r.warnings.join('\n'), /column not used by the model: name/);
    const dir = tmp();
    const noAge = path.join(dir, 'no_age.csv');
    fs.writeFileSync(noAge, 'sex,passengerClass,extra\nmale,1st,9\n');
    await assert.rejects(predictCsv(rf.bundle!, noAge, path.join(dir, 'x.csv')), /no_age\.csv: missing column the model needs: age/);
    assert.ok(!fs.existsSync(path.join(dir, 'x.csv')), 'nothing written on error');
  });

  it('unseen categories at predict give all-zero one-hot columns, not an error', async () => {
    const lr = result.results.find((r) => r.model === 'lr')!;
    const dir = tmp();
    const f = path.join(dir, 'new.csv');
    fs.writeFileSync(f, 'sex,age,passengerClass\nother,30,4th\nfemale,20,1st\n');
    const r = await predictCsv(lr.bundle!, f, path.join(dir, 'out.csv'));
    assert.equal(r.rows, 2);
  });

  it('loading refuses files that are not our bundles, naming the file and the problem', async () => {
    const dir = tmp();
    const write = (name: string, v: unknown) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
      return p;
    };
    await assert.rejects(loadBundle(write('a.json', 'not json')), /a\.json: not a model bundle: it is not valid JSON$/);
    await assert.rejects(loadBundle(write('b.json', { format: 'pickle' })), /b\.json: not an ML Workbench model bundle/);
    await assert.rejects(loadBundle(path.join(dir, 'missing')), /missing: not a model bundle: no such file/);
    const good = JSON.parse(fs.readFileSync(result.results[0].bundle!, 'utf8'));
    await assert.rejects(loadBundle(write('c.json', { ...good, version: 99 })), /newer than this version reads/);
    await assert.rejects(loadBundle(write('d.json', { ...good, estimator: { ...good.estimator, type: 'os.system' } })), /d\.json: unknown model type "os\.system"/);
  });

  it('evaluate on another labelled file records an evaluation run beside the model\'s', async () => {
    const rf = result.results.find((r) => r.model === 'rf')!;
    const e = await evaluateCsv(rf.bundle!, titanic, { store });
    const run = store.getRun(e.runId!);
    assert.equal(run.experimentId, result.experimentId);
    assert.equal(run.tags['mlworkbench.kind'], 'evaluation');
    assert.equal(run.metrics.accuracy, e.evaluation.metrics.accuracy);
    const dir = tmp();
    const badLabel = path.join(dir, 'l.csv');
    fs.writeFileSync(badLabel, 'sex,age,passengerClass,survived\nmale,3,1st,maybe\nfemale,4,2nd,yes\n');
    await assert.rejects(evaluateCsv(rf.bundle!, badLabel), /classes the model never saw: maybe/);
  });

  it('a failing model is recorded FAILED with its reason; the others still run', async () => {
    const s = new MlflowStore(path.join(tmp(), 'mlruns'));
    const r = await train({ kind: 'train', data: dataset('sklearn_iris.csv'), target: 'target', models: ['lr', 'rf'], cv: 0, params: { rf: { maxDepth: -1 } } }, s);
    assert.equal(r.results[0].status, 'FINISHED');
    assert.equal(r.results[1].status, 'FAILED');
    assert.match(r.results[1].error!, /RandomForestClassifier: maxDepth must be/);
    assert.equal(s.getRun(r.results[1].runId).tags['mlworkbench.error'], r.results[1].error);
    assert.equal(s.getRun(r.parentRunId).status, 'FINISHED');
  });

  it('a run spec\'s per-model params reach the estimator, its run and its bundle (scikit-learn\'s MLP settings)', async () => {
    const s = new MlflowStore(path.join(tmp(), 'mlruns'));
    const params = { ...SKLEARN_MLP_SETTINGS, epochs: 3 };
    const r = await train({ kind: 'train', data: dataset('sklearn_iris.csv'), target: 'target', models: ['mlp'], cv: 0, params: { mlp: params } }, s);
    assert.equal(r.results[0].status, 'FINISHED', r.results[0].error);
    const logged = s.getRun(r.results[0].runId).params;
    for (const [name, value] of Object.entries(params)) assert.equal(logged[name], String(value), `param ${name}`);
    assert.equal(s.metricHistory(r.results[0].runId, 'loss').length, 3);
    const saved = JSON.parse(fs.readFileSync(r.results[0].bundle!, 'utf8')).estimator.params;
    assert.deepEqual({ dropout: saved.dropout, batchSize: saved.batchSize, alpha: saved.alpha, epochs: saved.epochs }, params);
  });

  it('regression: linear and forest models with r2 / rmse; svm refused before any run is written', async () => {
    const s = new MlflowStore(path.join(tmp(), 'mlruns'));
    const r = await train({ kind: 'train', data: dataset('sklearn_diabetes.csv'), target: 'target', models: ['lr', 'rf'], cv: 0 }, s);
    assert.equal(r.task, 'regression');
    for (const m of r.results) for (const k of ['r2', 'rmse', 'mae', 'mse']) assert.ok(Number.isFinite(m.metrics[k]), k);
    await assert.rejects(train({ kind: 'train', data: dataset('sklearn_diabetes.csv'), target: 'target', models: ['svm'] }, s), /SVM is for classification only/);
    await assert.rejects(train({ kind: 'train', data: dataset('sklearn_diabetes.csv'), target: 'nope', models: ['lr'] }, s), /no column "nope" to predict/);
    assert.equal(s.listExperiments().length, 1, 'the refused sessions wrote nothing');
  });

  it('cancel: the session ends its runs KILLED', async () => {
    const s = new MlflowStore(path.join(tmp(), 'mlruns'));
    const controller = new AbortController();
    const p = train({ kind: 'train', data: dataset('letter_recognition.csv'), target: 'lettr', models: ['rf'], cv: 0 }, s, {
      signal: controller.signal,
      onProgress: (pr) => pr.stage === 'Fitting' && controller.abort(),
    });
    await assert.rejects(p, /cancel/i);
    const runs = s.listRuns(s.listExperiments()[0].id);
    assert.deepEqual(runs.map((r) => r.status), ['KILLED', 'KILLED']);
  });

  it('tuning: a parent with the cv_results table and best refit, one child per candidate', async () => {
    const s = new MlflowStore(path.join(tmp(), 'mlruns'));
    const r = await tune({ kind: 'tune', data: dataset('sklearn_iris.csv'), target: 'target', model: 'rf', grid: { nEstimators: [10, 30], maxDepth: [2, null] }, cv: 3 }, s);
    assert.equal(r.cvResults.length, 4);
    assert.equal(r.candidateRunIds.length, 4);
    const parent = s.getRun(r.parentRunId);
    assert.equal(parent.tags['mlworkbench.kind'], 'tuning');
    assert.ok(parent.metrics.best_cv_accuracy > 0.8);
    assert.equal(s.metricHistory(r.candidateRunIds[0], 'split_test_accuracy').length, 3);
    const table = JSON.parse(s.readArtifact(r.parentRunId, 'cv_results.json')!);
    assert.deepEqual(table.bestParams, r.bestParams);
    assert.ok(fs.existsSync(r.bundle));
  });

  it('run specs are checked against the schema the editor uses, with the path of each problem', () => {
    assert.throws(() => checkSpec({ kind: 'train', data: 'a.csv', target: 'y', models: ['xgb'] }), /\/models\/0 must be equal to one of the allowed values \(lr, rf, svm, mlp\)/);
    assert.throws(() => checkSpec({ kind: 'train', data: 'a.csv', target: 'y' }), /must have required property 'models'/);
    assert.doesNotThrow(() => checkSpec({ kind: 'tune', data: 'a.csv', target: 'y', model: 'rf' }), 'without a grid, the default grid');
    assert.throws(() => checkSpec({ kind: 'tune', data: 'a.csv', target: 'y', model: 'rf', space: { maxDepth: [2, 4] } }), /must have required property 'nIter'/);
    const dir = tmp();
    const f = path.join(dir, 'titanic.mlrun.json');
    fs.writeFileSync(f, JSON.stringify({ kind: 'train', data: 'data/t.csv', target: 'survived', models: ['lr'] }));
    assert.equal(readSpecFile(f).data, path.join(dir, 'data', 't.csv'));
  });
});

describe('mlw train / tune / predict / evaluate / runs', () => {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const dir = tmp();
  const mlw = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir });

  it('train --json prints the documented object; predict and runs read what it wrote', () => {
    const r = mlw('train', dataset('titanic_survival.csv'), '--target', 'survived', '--drop', 'name', '--models', 'lr,svm', '--cv', '2', '--json');
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    for (const k of ['experimentId', 'parentRunId', 'task', 'target', 'results']) assert.ok(k in j, k);
    assert.equal(j.task, 'classification');
    assert.deepEqual(j.results.map((x: { model: string }) => x.model), ['lr', 'svm']);
    for (const x of j.results) {
      for (const k of ['model', 'runId', 'metrics', 'fitSeconds', 'predictSeconds', 'bundle']) assert.ok(k in x, k);
      for (const k of ['accuracy', 'f1_macro', 'roc_auc']) assert.equal(typeof x.metrics[k], 'number');
      assert.ok(fs.existsSync(x.bundle));
      assert.ok(x.bundle.startsWith(path.join(fs.realpathSync(dir), 'mlruns')) || x.bundle.startsWith(path.join(dir, 'mlruns')));
    }
    const out = path.join(dir, 'p.csv');
    const p = mlw('predict', j.results[0].bundle, dataset('titanic_survival.csv'), '--out', out);
    assert.equal(p.status, 0, p.stderr);
    assert.match(fs.readFileSync(out, 'utf8').split('\n')[0], /,prediction,proba_no,proba_yes$/);
    const runs = JSON.parse(mlw('runs', '--json').stdout);
    assert.equal(runs.experiments[0].runs.length, 3);
  });

  it('--categorical one-hot encodes a numeric code column; --date-parts picks what a date becomes', async () => {
    const rows = Array.from({ length: 80 }, (_, i) => `2017-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:15:00,${1 + (i % 4)},${(i * 7) % 13},${i % 4 === 1 || i % 5 === 0 ? 'yes' : 'no'}`);
    const f = path.join(dir, 'stops.csv');
    fs.writeFileSync(f, ['date,precinct,x,searched', ...rows].join('\n') + '\n');
    const r = mlw('train', f, '--target', 'searched', '--models', 'lr', '--cv', '0', '--categorical', 'precinct', '--date-parts', 'hour,month', '--json');
    assert.equal(r.status, 0, r.stderr);
    const bundle = (await loadBundle(JSON.parse(r.stdout).results[0].bundle)).bundle;
    assert.deepEqual(bundle.preprocessor.outputNames, ['date.hour', 'date.month', 'x', 'precinct=1', 'precinct=2', 'precinct=3', 'precinct=4']);
    const p = mlw('predict', JSON.parse(r.stdout).results[0].bundle, f, '--out', path.join(dir, 'stops_pred.csv'));
    assert.equal(p.status, 0, p.stderr);
    const bad = mlw('train', f, '--target', 'searched', '--date-parts', 'minute');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /\/dateParts\/0 must be equal to one of the allowed values \(year, month, dayofweek, weekend, hour\)/);
    const missing = mlw('train', f, '--target', 'searched', '--categorical', 'zip');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /stops\.csv: column "zip" is missing \(named to be encoded as categories\)/);
  });

  it('usage errors exit 2 with a message; bad data exits 1 naming the file', () => {
    const u = mlw('train', dataset('titanic_survival.csv'), '--target', 'survived', '--models', 'xgb');
    assert.equal(u.status, 2);
    assert.match(u.stderr, /unknown model xgb/);
    const b = mlw('train', dataset('titanic_survival.csv'), '--target', 'nope');
    assert.equal(b.status, 1);
    assert.match(b.stderr, /titanic_survival\.csv: no column "nope"/);
    const t = mlw('tune', dataset('sklearn_iris.csv'), '--target', 'target', '--model', 'lr', '--grid', '{"C":[0.1,1]}', '--cv', '3', '--json');
    assert.equal(t.status, 0, t.stderr);
    assert.equal(JSON.parse(t.stdout).cvResults.length, 2);
  });
});
