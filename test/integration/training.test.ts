// In a real VS Code: train through the command (the test answers the quick picks), see the runs in
// the Experiments tree and the store, read the results panel back against the store, cancel a run
// (KILLED), evaluate, predict, compare and show history through the commands.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MlflowStore } from '../../src/core/tracking/mlflowStore';
import type { ScaffoldResult } from '../../src/core/serving/scaffold';
import type { TrainResult } from '../../src/core/workflow/train';
import type { MlWorkbenchApi } from '../../src/extension/extension';
import type { Node } from '../../src/extension/experiments/experimentsView';
import { formatNumber as fmtNumber } from '../../src/core/format';

const EXTENSION_ID = 'ml-workbench.ml-workbench';
let api: MlWorkbenchApi;
let ws: string;
let store: MlflowStore;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function within<T>(p: Thenable<T>, ms: number, what: string): Promise<T> {
  return Promise.race([Promise.resolve(p), new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms / 1000} s`)), ms))]);
}

/** Answers the next quick pick: waits until it is asked, moves down `down` items, accepts. */
async function answer(title: RegExp, down = 0): Promise<void> {
  await within(new Promise<void>((resolve) => {
    const sub = api.questions((t) => {
      if (title.test(t)) {
        sub.dispose();
        resolve();
      }
    });
  }), 30000, `question ${title}`);
  await sleep(700); // the widget appears just after the question is asked
  for (let i = 0; i < down; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

const fmt = (v: number) => Number(v.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 4, useGrouping: false });

describe('Training, tracking and results in VS Code', () => {
  let titanic: TrainResult;

  before(async () => {
    api = await vscode.extensions.getExtension<MlWorkbenchApi>(EXTENSION_ID)!.activate();
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    store = new MlflowStore(path.join(ws, 'mlruns'));
  });

  it('contributes the workflow commands, menus and the run spec schema', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['trainModels', 'tuneHyperparameters', 'evaluateModel', 'predictWithModel', 'compareRuns', 'openRun']) assert.ok(commands.includes(`mlWorkbench.${c}`), c);
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.ok(pkg.contributes.menus['explorer/context'].some((m: { command: string }) => m.command === 'mlWorkbench.trainModels'));
    assert.ok(pkg.contributes.menus['view/item/context'].some((m: { command: string }) => m.command === 'mlWorkbench.compareRuns'));
    assert.equal(pkg.contributes.jsonValidation[0].url, './schemas/run-spec.schema.json');
  });

  it('"ML: Train Models…" on titanic: the test answers the quick picks (target survived, defaults after)', async () => {
    const file = vscode.Uri.file(path.join(ws, 'data', 'titanic_survival.csv'));
    const done = vscode.commands.executeCommand<TrainResult | undefined>('mlWorkbench.trainModels', file);
    // "survived" was picked in titanic's profile panel (profile.test.ts): it is suggested, first.
    await answer(/\(1\/6\)/);
    await answer(/\(2\/6\)/); // classification, detected
    await answer(/\(3\/6\)/); // features: every other column
    await answer(/\(4\/6\)/); // logistic regression and random forest, pre-selected
    await answer(/\(5\/6\)/); // 20% test
    await answer(/\(6\/6\)/); // 5 folds
    const result = await within(done, 120000, 'training');
    assert.ok(result, 'the command returns the session');
    titanic = result;
    assert.equal(result.target, 'survived');
    assert.equal(result.task, 'classification');
    assert.deepEqual(result.results.map((r) => [r.model, r.status]), [['lr', 'FINISHED'], ['rf', 'FINISHED']]);
    assert.ok(result.results.every((r) => r.metrics.accuracy > 0.7));
  });

  it('the runs are in mlruns/ and in the Experiments tree, with status, model and metric', async () => {
    const parent = store.getRun(titanic.parentRunId);
    assert.equal(parent.status, 'FINISHED');
    assert.equal(parent.params.cv, '5');
    const experiments = api.tree.getChildren();
    const exp = experiments.find((n) => n.type === 'experiment' && n.experiment.name === 'titanic_survival.csv · survived');
    assert.ok(exp, `tree shows ${experiments.map((n) => (n.type === 'experiment' ? n.experiment.name : '')).join(', ')}`);
    const runs = api.tree.getChildren(exp) as Extract<Node, { type: 'run' }>[];
    const session = runs.find((n) => n.run.runId === titanic.parentRunId)!;
    assert.ok(session);
    const children = api.tree.getChildren(session) as Extract<Node, { type: 'run' }>[];
    assert.deepEqual(children.map((c) => c.run.runName), ['Logistic regression', 'Random forest']);
    const item = api.tree.getTreeItem(children[0]);
    assert.match(String(item.description), new RegExp(`^accuracy ${titanic.results[0].metrics.accuracy.toFixed(4)} · lr · `), 'the metric first, where a narrow sidebar does not cut it');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.equal(item.contextValue, 'run.model');
  });

  it('the results panel shows the metrics the store holds', async () => {
    const next = api.runs.nextSnapshot(titanic.parentRunId, (s) => s.leaderboard.length === 2 && s.charts.some((c) => c.startsWith('confusion-')));
    await vscode.commands.executeCommand('mlWorkbench.openRun', titanic.parentRunId);
    const snap = await within(next, 30000, 'run panel');
    assert.deepEqual(snap.sections, ['leaderboard', 'model']);
    for (const row of snap.leaderboard) {
      const run = store.listRuns(titanic.experimentId).find((r) => r.runName === row.name)!;
      for (const k of ['accuracy', 'f1_macro', 'roc_auc', 'log_loss', 'cv_accuracy_mean']) assert.equal(row.cells[k], fmt(run.metrics[k]), `${row.name} ${k}`);
    }
    const best = [...snap.leaderboard].sort((a, b) => Number(b.cells.accuracy) - Number(a.cells.accuracy))[0];
    assert.equal(snap.leaderboard[0].name, best.name, 'sorted by accuracy, best first');
    for (const prefix of ['confusion-', 'roc-', 'pr-']) assert.ok(snap.charts.some((c) => c.startsWith(prefix)), prefix);
  });

  it('a column that copies the target is named in a summary after the quick picks; "Drop … and train" trains without it', async () => {
    // Titanic with the target as "label" and a category that gives it away ("note-S" for survivors).
    const rows = fs.readFileSync(path.join(ws, 'data', 'titanic_survival.csv'), 'utf8').trim().split('\n').slice(1);
    const lines = ['age,sex,passengerClass,boarding_note,label'];
    for (const r of rows) {
      const f = r.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((x) => x.replace(/,$/, ''));
      lines.push([f[3], f[2], f[4], f[1] === '"yes"' ? 'note-S' : 'note-D', f[1]].join(','));
    }
    const file = path.join(ws, 'data', 'leaky_titanic.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const done = vscode.commands.executeCommand<TrainResult | undefined>('mlWorkbench.trainModels', vscode.Uri.file(file));
    for (let step = 1; step <= 5; step++) await answer(new RegExp(`\\(${step}/6\\)`));
    await answer(/\(6\/6\)/, 3); // no cross-validation
    // Two alerts: the copy, and test rows that repeat training rows (four columns repeat a lot).
    await answer(/leaky_titanic\.csv: 2 possible leaks$/, 1); // "Drop "boarding_note" and train"
    const result = await within(done, 120000, 'training');
    assert.ok(result, 'the command returns the session');
    const parent = store.getRun(result.parentRunId);
    assert.equal(parent.params.drop, 'boarding_note');
    assert.equal(parent.params.n_features, '6', 'age, sex (2), passengerClass (3)');
    assert.deepEqual(JSON.parse(parent.tags['mlworkbench.leakage']).map((a: { kind: string }) => a.kind), ['duplicate-rows'], 'the copy is gone; the duplicates stay flagged');
    assert.ok(result.results.every((r) => r.metrics.accuracy < 0.9), 'accuracies as titanic without the leak');
  });

  it('a run spec file repeats a run; Cancel stops it within seconds and the runs end KILLED; the host stays responsive', async () => {
    const spec = path.join(ws, 'letter.mlrun.json');
    fs.writeFileSync(spec, JSON.stringify({ kind: 'train', data: 'data/letter_recognition.csv', target: 'lettr', models: ['mlp'], cv: 0 }));
    let started: () => void;
    const running = new Promise<void>((r) => (started = r));
    const done = vscode.commands.executeCommand<TrainResult | undefined>('mlWorkbench.trainModels', vscode.Uri.file(spec));
    const poll = setInterval(() => {
      const exp = store.listExperiments().find((e) => e.name === 'letter_recognition.csv · lettr');
      if (exp && store.listRuns(exp.id).some((r) => r.tags['mlworkbench.model'] === 'mlp' && 'loss' in r.metrics)) started();
    }, 200);
    await within(running, 120000, 'the MLP to start its epochs');
    clearInterval(poll);
    // While the job runs, the extension host still answers commands.
    const commands = await within(vscode.commands.getCommands(true), 5000, 'a command during training');
    assert.ok(commands.length > 0);
    api.jobs.cancelAll(); // what the notification's Cancel button does
    const result = await within(done, 5000, 'cancel');
    assert.equal(result, undefined);
    const exp = store.listExperiments().find((e) => e.name === 'letter_recognition.csv · lettr')!;
    const runs = store.listRuns(exp.id);
    assert.deepEqual(runs.map((r) => r.status).sort(), ['KILLED', 'KILLED']);
    assert.ok(runs.every((r) => r.endTime! > 0));
  });

  it('evaluate and predict with a model run, by command', async () => {
    const rf = titanic.results.find((r) => r.model === 'rf')!;
    const csv = vscode.Uri.file(path.join(ws, 'data', 'titanic_survival.csv'));
    const next = (id: string) => api.runs.nextSnapshot(id, (s) => s.sections.includes('model'));
    const evaluated = await within(vscode.commands.executeCommand<{ runId: string; evaluation: { metrics: Record<string, number> } }>('mlWorkbench.evaluateModel', rf.runId, csv), 60000, 'evaluate');
    assert.ok(evaluated?.runId);
    const evalRun = store.getRun(evaluated.runId);
    assert.equal(evalRun.metrics.accuracy, evaluated.evaluation.metrics.accuracy);
    const snap = await within(next(evaluated.runId), 30000, 'evaluation panel');
    assert.ok(snap.charts.some((c) => c.startsWith('confusion-')));
    const predicted = await within(vscode.commands.executeCommand<{ out: string; rows: number }>('mlWorkbench.predictWithModel', rf.runId, csv), 60000, 'predict');
    assert.ok(predicted);
    assert.equal(path.basename(predicted.out), 'titanic_survival.predictions.csv');
    assert.equal(predicted.rows, 1309);
    assert.match(fs.readFileSync(predicted.out, 'utf8').split('\n')[0], /,prediction,proba_no,proba_yes$/);
    const again = await vscode.commands.executeCommand<{ out: string }>('mlWorkbench.predictWithModel', rf.runId, csv);
    assert.equal(path.basename(again!.out), 'titanic_survival.predictions-2.csv', 'an existing file is never overwritten');
  });

  it('"Scaffold Serving…" writes a FastAPI folder from a model run whose own tests pass; "Export Model as ONNX…" writes its graph; "Serve Model" starts mlw serve in a terminal, and its Try it panel shows a training row\'s answer', async () => {
    const runId = titanic.results[0].runId!;
    const out = path.join(ws, 'serving', 'titanic-lr');
    const result = await within(Promise.resolve(vscode.commands.executeCommand<ScaffoldResult | undefined>('mlWorkbench.scaffoldServing', runId, { target: 'fastapi', out })), 60000, 'scaffold');
    assert.ok(result, 'the command returns what it wrote');
    for (const f of ['app/main.py', 'app/schema.py', 'app/mlw_runtime.py', 'model/bundle.json', 'Dockerfile', 'tests/test_app.py']) assert.ok(result.files.includes(f) && fs.existsSync(path.join(out, f)), f);
    const tests = spawnSync('/usr/bin/python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], { cwd: out, encoding: 'utf8' });
    assert.equal(tests.status, 0, tests.stderr);
    const onnxFile = path.join(ws, 'serving', 'titanic-lr.onnx');
    const exported = await within(Promise.resolve(vscode.commands.executeCommand<{ inputs: { name: string; type: string }[] } | undefined>('mlWorkbench.exportOnnx', runId, onnxFile)), 60000, 'export');
    assert.deepEqual(exported?.inputs.map((i) => `${i.name}:${i.type}`), ['age:float', 'sex:string', 'passengerClass:string']);
    assert.ok(fs.statSync(onnxFile).size > 200, 'the .onnx file is written');
    const answered = api.serving.panels.nextSnapshot((snap) => snap.status === 200);
    const served = await within(Promise.resolve(vscode.commands.executeCommand<{ url: string } | undefined>('mlWorkbench.serveModel', runId)), 60000, 'serve');
    assert.ok(served, 'the command returns the address once /readyz answers');
    try {
      // The Try it panel: a field per input, a training row's answer, and the curl line of the same request.
      const tried = await within(answered, 60000, 'the Try it panel\'s first answer');
      assert.equal(tried.fields, 3);
      assert.ok(['yes', 'no'].includes(tried.prediction!), tried.prediction);
      assert.equal(tried.probabilities, 2);
      assert.match(tried.curl, new RegExp(`^curl -s -X POST ${served.url.replace(/\./g, '\\.')}/predict -H 'Content-Type: application/json' -d '\\{"age":`));
      const res = await fetch(`${served.url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ age: 30, sex: 'female', passengerClass: '1st' }) });
      const body = (await res.json()) as { predictions: { prediction: string }[] };
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.ok(['yes', 'no'].includes(body.predictions[0].prediction));
      const meta = (await (await fetch(`${served.url}/metadata`)).json()) as { model: { runId: string } };
      assert.equal(meta.model.runId, runId);
    } finally {
      api.serving.stop(runId);
    }
  });

  it('"Check Data Drift…" on a copy of titanic where every man is recorded as a woman, against the trained model: sex is said to drift, and the check is a run linked to the model', async () => {
    const lines = fs.readFileSync(path.join(ws, 'data', 'titanic_survival.csv'), 'utf8').trim().split('\n');
    const shifted = path.join(ws, 'data', 'titanic_next_month.csv');
    fs.writeFileSync(shifted, [lines[0], ...lines.slice(1).map((l) => l.replace(/,"male",/, ',"female",'))].join('\n') + '\n');
    const model = titanic.results[0];
    const drawn = api.monitoring.drift.nextSnapshot((s) => s.rows.length > 0);
    const r = await within(Promise.resolve(vscode.commands.executeCommand<{ datasetDrift: boolean; drifted: string[]; columns: number; runId?: string } | undefined>('mlWorkbench.checkDrift', vscode.Uri.file(shifted), { reference: model.bundle })), 60000, 'drift check');
    assert.ok(r, 'the command returns the verdict');
    assert.deepEqual(r.drifted, ['sex']);
    assert.equal(r.columns, 3);
    const run = store.getRun(r.runId!);
    assert.equal(run.tags['mlworkbench.kind'], 'drift');
    assert.equal(run.tags['mlworkbench.driftOfRunId'], model.runId);
    assert.equal(run.metrics.dataset_drift, 0, 'one column of three is under the half that makes the dataset drift');
    // The drift panel shows what mlw drift --json prints for the same files, drifted first.
    const snap = await within(drawn, 30000, 'drift panel');
    const cli = spawnSync(process.execPath, [path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js'), 'drift', path.dirname(model.bundle!), shifted, '--json', '--no-track'], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const printed = JSON.parse(cli.stdout) as { datasetDrift: boolean; columns: { name: string; test: string; statistic: number; pValue: number | null; distance: number | null; effectSize: number; drifted: boolean }[] };
    assert.equal(snap.verdict, printed.datasetDrift ? 'Dataset drift' : 'No dataset drift');
    assert.deepEqual(snap.rows.map((row) => row.name), printed.columns.map((c) => c.name));
    assert.equal(snap.rows[0].name, 'sex');
    printed.columns.forEach((c, i) => {
      const cells = snap.rows[i].cells;
      assert.equal(cells.test, c.test);
      assert.equal(cells.statistic, fmtNumber(c.statistic), `${c.name} statistic`);
      assert.equal(cells['p-value'], c.pValue === null ? '—' : fmtNumber(c.pValue), `${c.name} p-value`);
      assert.equal(cells.distance, c.distance === null ? '—' : fmtNumber(c.distance), `${c.name} distance`);
      assert.equal(cells['effect size'], fmtNumber(c.effectSize), `${c.name} effect size`);
      assert.equal(cells.drifted, c.drifted ? 'drifted' : 'no');
    });
    assert.equal(snap.selected, 'sex');
    assert.equal(snap.chart, 'categories');
  });

  it('"Open Monitoring…" and "Open A/B Report…" on a split served by mlw serve: the panels show what mlw monitor --json and mlw ab-report --json print', async () => {
    const cli = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'dist', 'cli.js');
    const [lr, rf] = titanic.results;
    const logs = path.join(ws, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    const log = path.join(logs, 'titanic_ab.jsonl');
    const server = spawn(process.execPath, [cli, 'serve', '--model', `A=${path.dirname(lr.bundle!)}`, '--model', `B=${path.dirname(rf.bundle!)}`, '--split', 'B=0.5', '--port', '0', '--json', '--log', log]);
    const url = await within(new Promise<string>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(JSON.parse(String(d).split('\n')[0]).url))), 60000, 'mlw serve');
    const lines = fs.readFileSync(path.join(ws, 'data', 'titanic_survival.csv'), 'utf8').trim().split('\n').slice(1, 301);
    const rows = lines.map((l) => /^"(?:[^"]|"")*","(\w+)","(\w+)",([\d.]*),"(\w+)"$/.exec(l)!);
    try {
      for (let i = 0; i < rows.length; i++) {
        const [, , sex, age, passengerClass] = rows[i];
        const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Request-Id': `t${i}` }, body: JSON.stringify({ sex, age: age === '' ? null : Number(age), passengerClass }) });
        assert.equal(res.status, 200);
      }
    } finally {
      await new Promise((resolve) => (server.on('exit', resolve), server.kill('SIGTERM')));
    }
    fs.writeFileSync(path.join(logs, 'labels.csv'), ['request_id,survived', ...rows.map((r, i) => `t${i},${r[1]}`)].join('\n') + '\n');
    const spec = path.join(logs, 'titanic.mlmonitor.json');
    fs.writeFileSync(spec, JSON.stringify({ log: 'titanic_ab.jsonl', window: '1m', labels: { file: 'labels.csv', id: 'request_id' }, rules: [{ metric: 'latencyP99', above: 0 }] }));

    const drawn = api.monitoring.monitor.nextSnapshot((s) => s.windows > 0);
    const report = await within(Promise.resolve(vscode.commands.executeCommand<{ windows: unknown[] } | undefined>('mlWorkbench.openMonitoring', vscode.Uri.file(spec))), 60000, 'monitoring');
    assert.ok(report, 'the command returns the report');
    const snap = await within(drawn, 30000, 'monitoring panel');
    const printed = spawnSync(process.execPath, [cli, 'monitor', spec, '--json', '--store', path.join(ws, 'mlruns')], { encoding: 'utf8' });
    assert.equal(printed.status, 1, 'a rule breaks: exit 1');
    const cliReport = JSON.parse(printed.stdout) as { windows: { start: string; requests: number; labelled: number; latencyMs: { p95: number }; accuracy: { value: number } }[]; breaches: unknown[] };
    assert.equal(snap.windows, cliReport.windows.length);
    assert.deepEqual(Object.keys(snap.rows), cliReport.windows.map((w) => w.start));
    for (const w of cliReport.windows) {
      assert.equal(snap.rows[w.start].requests, String(w.requests));
      assert.equal(snap.rows[w.start]['p95 ms'], fmtNumber(w.latencyMs.p95, 2));
      assert.equal(snap.rows[w.start].labelled, String(w.labelled));
      assert.ok(snap.rows[w.start]['accuracy (95%)'].startsWith(fmtNumber(w.accuracy.value)));
    }
    assert.equal(snap.breaches.length, cliReport.breaches.length);
    assert.deepEqual(snap.marked, cliReport.windows.map((w) => w.start));
    assert.ok(['requests', 'latency', 'predictions', 'drift', 'quality'].every((c) => snap.charts.includes(c)), snap.charts.join(', '));

    const abDrawn = api.monitoring.ab.nextSnapshot();
    await within(Promise.resolve(vscode.commands.executeCommand('mlWorkbench.openAbReport', vscode.Uri.file(spec))), 60000, 'A/B report');
    const ab = await within(abDrawn, 30000, 'A/B panel');
    const abPrinted = spawnSync(process.execPath, [cli, 'ab-report', log, '--labels', path.join(logs, 'labels.csv'), '--id', 'request_id', '--json'], { encoding: 'utf8' });
    assert.equal(abPrinted.status, 0, abPrinted.stderr);
    const abReport = JSON.parse(abPrinted.stdout) as { verdict: string; statistic: number; variants: { name: string; n: number }[] };
    assert.equal(ab.verdict, { promote: 'Promote', rollback: 'Roll back', continue: 'Keep collecting' }[abReport.verdict]);
    assert.deepEqual(Object.keys(ab.variants), ['A', 'B']);
    for (const v of abReport.variants) assert.equal(ab.variants[v.name].n, v.n.toLocaleString('en-US'));
    assert.equal(ab.figures.statistic, fmtNumber(abReport.statistic));
    assert.deepEqual(ab.charts, ['intervals']);
  });

  it('compare two runs side by side, and the experiment history', async () => {
    const ids = titanic.results.map((r) => r.runId);
    const next = api.compare.nextSnapshot((s) => s.mode === 'compare');
    await vscode.commands.executeCommand('mlWorkbench.compareRuns', ids);
    const snap = await within(next, 30000, 'compare panel');
    assert.deepEqual(snap.runs, ids);
    assert.deepEqual(snap.rows['metric:accuracy'], ids.map((id) => fmt(store.getRun(id).metrics.accuracy)));
    assert.deepEqual(snap.rows['param:model'], ['lr', 'rf']);
    assert.ok(snap.charts.includes('bars'));
    const hist = api.compare.nextSnapshot((s) => s.mode === 'history');
    await vscode.commands.executeCommand('mlWorkbench.showHistory', titanic.experimentId);
    const h = await within(hist, 30000, 'history panel');
    assert.ok(h.runs.length >= 3, 'model runs and the evaluation');
    assert.ok(h.charts.includes('history'));
  });

  it('"ML: Tune Hyperparameters…" on iris: quick picks answered; the search panel shows the cv_results the store holds', async () => {
    const file = vscode.Uri.file(path.join(ws, 'data', 'sklearn_iris.csv'));
    const done = vscode.commands.executeCommand<{ parentRunId: string; cvResults: unknown[]; bestParams: Record<string, unknown> } | undefined>('mlWorkbench.tuneHyperparameters', file);
    await answer(/Tune hyperparameters on sklearn_iris\.csv \(1\/4\)/); // "target", suggested by its name
    await answer(/\(2\/4\)/); // classification, detected
    await answer(/\(3\/4\)/); // random forest, first
    await answer(/\(4\/4\)/); // 5 folds
    const result = await within(done, 120000, 'tuning');
    assert.ok(result, 'the command returns the search');
    assert.equal(result.cvResults.length, 8, "the random forest's default grid: 2 × 2 × 2 candidates");
    const next = api.runs.nextSnapshot(result.parentRunId, (s) => s.sections.includes('tuning'));
    await vscode.commands.executeCommand('mlWorkbench.openRun', result.parentRunId);
    const snap = await within(next, 30000, 'tuning panel');
    assert.ok(snap.charts.some((c) => c.startsWith('param-')), 'score against each parameter');
    const parent = store.getRun(result.parentRunId);
    assert.equal(parent.tags['mlworkbench.kind'], 'tuning');
    assert.equal(store.listRuns(parent.experimentId).filter((r) => r.parentRunId === parent.runId).length, 8);
    assert.deepEqual(JSON.parse(store.readArtifact(parent.runId, 'cv_results.json')!).bestParams, result.bestParams);
  });
});

describe('What the extension may read', () => {
  before(async () => {
    api = await vscode.extensions.getExtension<MlWorkbenchApi>(EXTENSION_ID)!.activate();
    ws = vscode.workspace.workspaceFolders![0].uri.fsPath;
    store = new MlflowStore(path.join(ws, 'mlruns'));
  });

  /** Runs a command and returns the error message it showed. */
  async function errorOf(run: () => Thenable<unknown>): Promise<string> {
    const shown = new Promise<string>((resolve) => {
      const sub = api.training.errors((m) => {
        sub.dispose();
        resolve(m);
      });
    });
    const result = await within(run(), 30000, 'the command');
    assert.equal(result, undefined, 'the command did nothing');
    return within(shown, 5000, 'an error message');
  }

  it('a run spec whose data is outside the workspace folders is refused, and no run is written', async () => {
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-outside-')), 'secret.csv');
    fs.writeFileSync(outside, 'a,b\n1,2\n3,4\n');
    const spec = path.join(ws, 'outside.mlrun.json');
    fs.writeFileSync(spec, JSON.stringify({ kind: 'train', data: outside, target: 'b', models: ['lr'] }));
    const before = store.listExperiments().length;
    const message = await errorOf(() => vscode.commands.executeCommand('mlWorkbench.trainModels', vscode.Uri.file(spec)));
    assert.match(message, /outside\.mlrun\.json: its data .*secret\.csv is outside the workspace folders/);
    assert.equal(store.listExperiments().length, before);
  });

  it('a model bundle linked to a file outside the workspace is refused before it is read', async () => {
    const exp = store.getOrCreateExperiment('linked bundle');
    const run = store.createRun(exp.id, { runName: 'linked', tags: { 'mlworkbench.kind': 'model' } });
    store.endRun(run.runId, 'FINISHED');
    const outside = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-outside-')), 'passwd');
    fs.writeFileSync(outside, 'root:x:0:0:root:/root:/bin/bash\n');
    const bundle = path.join(store.artifactDir(run.runId), 'model', 'bundle.json');
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.symlinkSync(outside, bundle);
    const csv = vscode.Uri.file(path.join(ws, 'data', 'titanic_survival.csv'));
    const message = await errorOf(() => vscode.commands.executeCommand('mlWorkbench.predictWithModel', run.runId, csv));
    assert.match(message, /the model bundle .*bundle\.json \(a link to .*passwd\) is outside the workspace folders/);
    assert.doesNotMatch(message, /root:x/);
  });
});
