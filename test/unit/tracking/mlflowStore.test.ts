// The experiment store against MLflow's file layout: the three mlruns/ folders that MLflow itself
// wrote (../shared/mlflow-fixtures), what we write, and a process killed in the middle of writes.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { pyFloat } from '../../../src/core/tracking/files';
import { MlflowStore, parseMetric } from '../../../src/core/tracking/mlflowStore';
import { DATASETS } from '../../support/paths';

const FIXTURES = process.env.MLW_MLFLOW_FIXTURES || path.resolve(DATASETS, '..', 'mlflow-fixtures');

/** A copy, so that tests which write (failing abandoned runs) never touch the shared fixtures. */
function copyFixture(name: string): MlflowStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-store-'));
  fs.cpSync(path.join(FIXTURES, name, 'mlruns'), path.join(dir, 'mlruns'), { recursive: true });
  return new MlflowStore(path.join(dir, 'mlruns'));
}

const tempStore = () => new MlflowStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-store-')), 'mlruns'));

describe('experiment store: reading what MLflow wrote', () => {
  it('MLflow 1.x (nachitog83): experiments, deleted ones in .trash, multi-step metrics, deleted runs, a run left RUNNING', () => {
    const store = copyFixture('nachitog83-diplodatos');
    assert.deepEqual(store.listExperiments().map((e) => [e.id, e.name]), [['0', 'Default'], ['3', 'diplodatos.spanish']]);
    const all = store.listExperiments({ includeDeleted: true });
    assert.deepEqual(all.map((e) => [e.id, e.lifecycleStage]), [['0', 'active'], ['1', 'deleted'], ['2', 'deleted'], ['3', 'active']]);
    // Their metas still say active (1.x only moved the folder): the .trash location decides.
    assert.equal(all.find((e) => e.id === '1')!.name, 'a_naive_experiment');
    const runs = store.listRuns('3');
    assert.equal(runs.length, 3, 'three active runs; three are deleted');
    assert.equal(store.listRuns('3', { includeDeleted: true }).length, 6);
    const a2 = store.getRun('a2c6b2a08f074661b0e597d07884a798');
    assert.equal(a2.status, 'FINISHED');
    assert.equal(store.metricHistory(a2.runId, 'train_loss').length, 5);
    assert.deepEqual(store.metricHistory(a2.runId, 'train_loss').map((p) => p.step), [0, 1, 2, 3, 4]);
    assert.equal(a2.metrics.train_loss, store.metricHistory(a2.runId, 'train_loss')[4].value, 'latest value = largest step');
    assert.equal(a2.tags['mlflow.source.git.commit'].length, 40);
    assert.equal(a2.runName, a2.runId.slice(0, 8), '1.x runs without mlflow.runName get a short id');
    const f53 = store.getRun('f53053042d8445dbaaa522e01bc3dd44');
    assert.equal(f53.lifecycleStage, 'deleted');
    assert.deepEqual(f53.metrics, {}, 'no metrics/ folder');
    assert.equal(store.getRun('761dc3e34d91493ba2d332c3b3d62278').status, 'RUNNING');
    assert.equal(store.getRun('761dc3e34d91493ba2d332c3b3d62278').endTime, null);
    // A run in a deleted experiment is deleted, whatever its own meta says.
    const trashRun = store.listRuns('1', { includeDeleted: true })[0];
    assert.equal(trashRun.lifecycleStage, 'deleted');
  });

  it('MLflow 1.26 (jday54): run names from tags, notes, logged-model history; artifacts listed from the store root', () => {
    const store = copyFixture('jday54-tutorial');
    const runs = store.listRuns('2');
    assert.deepEqual(runs.map((r) => r.runName).sort(), ['run_0', 'run_1', 'run_2', 'run_3', 'run_4']);
    const depths = runs.map((r) => r.params.depth).sort((a, b) => Number(a) - Number(b));
    assert.deepEqual(depths, ['1', '2', '5', '10', '20']);
    for (const r of runs) {
      assert.ok(r.tags['mlflow.note.content'] !== undefined);
      assert.ok(Array.isArray(JSON.parse(r.tags['mlflow.log-model.history'])));
      assert.ok(store.listArtifacts(r.runId).includes('classifier/MLmodel'));
      assert.ok(r.artifactDir.startsWith(store.root), 'artifacts come from the store root, not the foreign URI');
    }
  });

  it('MLflow 2.3 (manuelgilm): ids beyond 2^53 stay exact, nested runs, experiment tags, run_name, deleted_time', () => {
    const store = copyFixture('manuelgilm-nested');
    const ids = store.listExperiments().map((e) => e.id);
    assert.deepEqual(ids, ['0', '896296360431059581']);
    const big = store.getExperiment('896296360431059581');
    assert.deepEqual(big.tags, { env: 'dev', version: '1.0.0' });
    assert.equal(big.creationTime, 1682954031446);
    const nested = store.listRuns('0');
    const byName = Object.fromEntries(nested.map((r) => [r.runName, r]));
    assert.equal(byName.child1.parentRunId, byName.parent.runId);
    assert.equal(byName.child_11.parentRunId, byName.child1.runId);
    assert.equal(byName.child_12.parentRunId, byName.child1.runId);
    assert.equal(byName.child2.parentRunId, byName.parent.runId);
    const autolog = store.getRun('29d97c75a04a43518ca2045549f705a0');
    assert.equal(autolog.experimentId, '896296360431059581');
    assert.equal(autolog.params.max_depth, 'None');
    assert.equal(Object.keys(autolog.params).length, 18);
    assert.equal(Object.keys(autolog.metrics).length, 7);
    assert.equal(store.getRun('1bd20b76153d4c469801027f75b3ea84').status, 'FAILED');
    assert.equal(store.getRun('0c7e90099f1e4518bbbd39a270023dd5').lifecycleStage, 'deleted');
    assert.equal(store.listRuns('896296360431059581').length, 4);
  });

  it('a new experiment after ids beyond 2^53 gets the next id exactly', () => {
    const store = copyFixture('manuelgilm-nested');
    assert.equal(store.createExperiment('ours').id, '896296360431059582');
  });

  it('a run left RUNNING by a dead process, or long ago by another tool, becomes FAILED; a live one is left alone', () => {
    const store = copyFixture('nachitog83-diplodatos');
    const exp = store.createExperiment('live');
    const live = store.createRun(exp.id, { runName: 'mine' });
    const dead = store.createRun(exp.id, { runName: 'dead' });
    store.setTag(dead.runId, 'mlworkbench.owner', `${os.hostname()}:999999999`);
    const failed = store.failAbandonedRuns();
    assert.deepEqual(failed.sort(), ['761dc3e34d91493ba2d332c3b3d62278', dead.runId].sort());
    assert.equal(store.getRun('761dc3e34d91493ba2d332c3b3d62278').status, 'FAILED');
    assert.ok(store.getRun('761dc3e34d91493ba2d332c3b3d62278').endTime! > 0);
    assert.equal(store.getRun(live.runId).status, 'RUNNING', 'this process is alive');
  });

  it('metric lines: three fields, two fields (step 0), nan/inf, and a torn last line are read as MLflow does', () => {
    assert.deepEqual(parseMetric('1 0.5 3\n2 1.0\n3 nan 4\n4 inf 5\n5 0.2'), [
      { timestamp: 1, value: 0.5, step: 3 }, { timestamp: 2, value: 1, step: 0 }, { timestamp: 3, value: NaN, step: 4 }, { timestamp: 4, value: Infinity, step: 5 }, { timestamp: 5, value: 0.2, step: 0 },
    ]);
    assert.deepEqual(parseMetric('1 0.5 3\n17000000'), [{ timestamp: 1, value: 0.5, step: 3 }]);
    assert.deepEqual(['1.0', '0.25', '1e-05', '1.5e+16', 'nan', '-inf'], [1, 0.25, 1e-5, 1.5e16, NaN, -Infinity].map(pyFloat));
  });
});

describe('experiment store: what we write', () => {
  it('MLflow 2.x layout: sorted meta.yaml with quoted ids, params without newline, metric lines, tags, artifacts', () => {
    const store = tempStore();
    const exp = store.createExperiment('iris · species');
    assert.equal(exp.id, '0');
    const parent = store.createRun(exp.id, { runName: 'session', sourceName: '/data/iris.csv' });
    const child = store.createRun(exp.id, { runName: 'rf', parentRunId: parent.runId });
    store.logParams(child.runId, { nEstimators: 100, maxDepth: null, bootstrap: true, C: 0.5 });
    store.logMetrics(child.runId, { loss: 0.5 }, 1, 1000);
    store.logMetrics(child.runId, { loss: 0.25 }, 2, 2000);
    store.writeArtifact(child.runId, 'model/bundle.json', '{}');
    store.endRun(child.runId);
    const dir = store.getRun(child.runId).dir;
    const metaText = fs.readFileSync(path.join(dir, 'meta.yaml'), 'utf8');
    const keys = metaText.split('\n').filter((l) => /^\w/.test(l)).map((l) => l.split(':')[0]);
    assert.deepEqual(keys, [...keys].sort(), 'keys sorted as MLflow writes them');
    assert.match(metaText, /^experiment_id: '0'$/m);
    const meta = yaml.load(metaText) as Record<string, unknown>;
    for (const k of ['artifact_uri', 'end_time', 'entry_point_name', 'experiment_id', 'lifecycle_stage', 'run_id', 'run_name', 'run_uuid', 'source_name', 'source_type', 'source_version', 'start_time', 'status', 'tags', 'user_id']) assert.ok(k in meta, k);
    assert.equal(meta.status, 3);
    assert.match(String(meta.artifact_uri), /^file:\/\/.*\/artifacts$/);
    assert.equal(fs.readFileSync(path.join(dir, 'params', 'maxDepth'), 'utf8'), 'None');
    assert.equal(fs.readFileSync(path.join(dir, 'params', 'bootstrap'), 'utf8'), 'True');
    assert.equal(fs.readFileSync(path.join(dir, 'metrics', 'loss'), 'utf8'), '1000 0.5 1\n2000 0.25 2\n');
    assert.equal(fs.readFileSync(path.join(dir, 'tags', 'mlflow.parentRunId'), 'utf8'), parent.runId);
    assert.equal(fs.readFileSync(path.join(dir, 'tags', 'mlflow.runName'), 'utf8'), 'rf');
    const expMeta = yaml.load(fs.readFileSync(path.join(store.root, '0', 'meta.yaml'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(expMeta).sort(), ['artifact_location', 'creation_time', 'experiment_id', 'last_update_time', 'lifecycle_stage', 'name']);
    assert.equal(store.getRun(child.runId).metrics.loss, 0.25);
    assert.deepEqual(store.listArtifacts(child.runId), ['model/bundle.json']);
  });

  it('rename and delete as MLflow: a deleted run is marked in place, a deleted experiment moves to .trash', () => {
    const store = tempStore();
    const exp = store.createExperiment('a');
    const run = store.createRun(exp.id, { runName: 'x' });
    store.renameRun(run.runId, 'better name');
    assert.equal(store.getRun(run.runId).runName, 'better name');
    store.deleteRun(run.runId);
    assert.equal(store.listRuns(exp.id).length, 0);
    assert.equal(store.getRun(run.runId).lifecycleStage, 'deleted');
    store.deleteExperiment(exp.id);
    assert.ok(fs.existsSync(path.join(store.root, '.trash', exp.id, 'meta.yaml')));
    assert.deepEqual(store.listExperiments(), []);
    assert.equal(store.createExperiment('b').id, '1', 'ids in .trash are not reused');
  });

  it('refuses keys that would leave the run folder, and names the problem', () => {
    const store = tempStore();
    const run = store.createRun(store.createExperiment('a').id, { runName: 'x' });
    assert.throws(() => store.logParams(run.runId, { '../../evil': 1 }), /invalid param name "..\/..\/evil"/);
    assert.throws(() => store.writeArtifact(run.runId, '/etc/passwd', 'x'), /invalid artifact name/);
    assert.throws(() => store.getRun('../0'), /not a run id/);
  });

  it('a process killed in the middle of writing leaves a store that still reads', async () => {
    const store = tempStore();
    const exp = store.createExperiment('crash');
    const run = store.createRun(exp.id, { runName: 'victim' });
    const bundle = path.resolve(__dirname, 'storeWriter.js');
    const child = spawn(process.execPath, [bundle, store.root, run.runId], { stdio: ['ignore', 'pipe', 'inherit'] });
    // Let it write for a while, then kill it without warning.
    await new Promise<void>((resolve) => child.stdout.once('data', () => setTimeout(resolve, 300)));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const again = new MlflowStore(store.root);
    const r = again.getRun(run.runId);
    const history = again.metricHistory(run.runId, 'step_metric');
    assert.ok(history.length > 0, 'some points were written');
    history.forEach((p, i) => assert.equal(p.step, i, 'points are whole and in order'));
    const big = fs.readFileSync(path.join(r.artifactDir, 'big.json'), 'utf8');
    assert.doesNotThrow(() => JSON.parse(big), 'the artifact is the old or the new version, never half');
    assert.equal(r.status, 'RUNNING');
    assert.deepEqual(again.failAbandonedRuns(), [], 'the killed writer was not the run owner (this process is)');
    again.setTag(run.runId, 'mlworkbench.owner', `${os.hostname()}:${child.pid}`);
    assert.deepEqual(again.failAbandonedRuns(), [run.runId]);
    assert.equal(again.getRun(run.runId).status, 'FAILED');
  });
});

describe('experiment store: damaged entries are listed, not left out', () => {
  it('a run or experiment whose meta.yaml is missing, garbage, a link that loops or without an id is named with its fix', () => {
    const store = tempStore();
    const exp = store.createExperiment('fine');
    const ok = store.createRun(exp.id, { runName: 'ok' });
    const gone = store.createRun(exp.id, { runName: 'gone' });
    const garbage = store.createRun(exp.id, { runName: 'garbage' });
    const noId = store.createRun(exp.id, { runName: 'no id' });
    fs.rmSync(path.join(store.root, exp.id, gone.runId, 'meta.yaml'));
    fs.writeFileSync(path.join(store.root, exp.id, garbage.runId, 'meta.yaml'), '{{{: not yaml');
    fs.writeFileSync(path.join(store.root, exp.id, noId.runId, 'meta.yaml'), 'status: 3\n');
    const looped = store.createExperiment('looped');
    const loopMeta = path.join(store.root, looped.id, 'meta.yaml');
    fs.rmSync(loopMeta);
    fs.symlinkSync(loopMeta, loopMeta);
    fs.mkdirSync(path.join(store.root, '7'));
    fs.mkdirSync(path.join(store.root, 'models')); // MLflow's model registry is not an experiment

    assert.deepEqual(store.listExperiments().map((e) => e.name), ['fine']);
    assert.deepEqual(store.listRuns(exp.id).map((r) => r.runId), [ok.runId]);
    const damaged = store.listDamaged();
    const byDir = Object.fromEntries(damaged.map((d) => [path.relative(store.root, d.dir), d]));
    assert.deepEqual(Object.keys(byDir).sort(), [looped.id, '7', path.join(exp.id, gone.runId), path.join(exp.id, garbage.runId), path.join(exp.id, noId.runId)].sort());
    assert.equal(byDir[path.join(exp.id, gone.runId)].problem, 'it has no meta.yaml');
    assert.equal(byDir[path.join(exp.id, garbage.runId)].problem, 'its meta.yaml is not valid YAML');
    assert.equal(byDir[path.join(exp.id, noId.runId)].problem, 'its meta.yaml has no run_id');
    assert.equal(byDir[looped.id].problem, 'its meta.yaml: a symbolic link that loops; fix or remove the link');
    assert.equal(byDir['7'].kind, 'experiment');
    assert.match(byDir['7'].fix, /^restore .*7\/meta\.yaml \(MLflow's experiment meta\.yaml with experiment_id, name\) from a backup or version control, or remove the folder .*7$/);
  });

  it('mlw runs lists them after the experiments, and in its JSON', () => {
    const store = tempStore();
    const exp = store.createExperiment('fine');
    const run = store.createRun(exp.id, { runName: 'broken' });
    fs.writeFileSync(path.join(store.root, exp.id, run.runId, 'meta.yaml'), '- a list\n');
    const cli = path.join(__dirname, '..', '..', 'cli.js');
    const text = spawnSync(process.execPath, [cli, 'runs', '--store', store.root], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`damaged \\(1\\): not read as experiments or runs\\n  run .*${run.runId}: its meta\\.yaml has no run_id; restore `));
    const json = JSON.parse(spawnSync(process.execPath, [cli, 'runs', '--store', store.root, '--json'], { encoding: 'utf8' }).stdout);
    assert.equal(json.damaged[0].dir, path.join(store.root, exp.id, run.runId));
  });
});
