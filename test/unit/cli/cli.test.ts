// mlw as a user runs it: the built dist/cli.js in a child process.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { TAG } from '../../../src/core/tracking/tags';
import { DEFAULT_GRIDS } from '../../../src/core/workflow/models';
import { dataset, FIXTURES, ROOT } from '../../support/paths';

const cli = path.join(ROOT, 'dist', 'cli.js');
const mlw = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('mlw profile', () => {
  it('prints a readable summary', () => {
    const r = mlw('profile', dataset('titanic_survival.csv'), '--target', 'survived');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1309 rows × 5 columns/);
    assert.match(r.stdout, /age\s+1046\s+263\s+29\.8811/);
    assert.match(r.stdout, /target survived: classification/);
    assert.match(r.stdout, /no: 809, yes: 500/);
  });

  it('--json gives the panel data with the documented keys', () => {
    const r = mlw('profile', dataset('penguins.csv'), '--target', 'species', '--json');
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.equal(p.rows, 344);
    for (const k of ['rows', 'columns', 'alerts', 'correlations']) assert.ok(k in p, k);
    const bill = p.columns.find((c: { name: string }) => c.name === 'bill_length_mm');
    for (const k of ['name', 'type', 'missing', 'distinct', 'mean', 'std', 'min', 'q25', 'median', 'q75', 'max']) assert.ok(k in bill, k);
    assert.equal(bill.missing, 2);
    assert.equal(p.target.task, 'classification');
    assert.deepEqual(p.target.classes.map((c: { value: string }) => c.value), ['Adelie', 'Gentoo', 'Chinstrap']);
    assert.ok(p.target.boxplots.length >= 4);
  });

  it('fails with one line naming the file on bad input', () => {
    const f = path.join(FIXTURES, 'malformed', 'ragged-short-row.csv');
    const r = mlw('profile', f);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`^mlw: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 4: `));
  });

  it('names the columns when the target is wrong', () => {
    const r = mlw('profile', dataset('sklearn_iris.csv'), '--target', 'species');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no column named "species" to use as target \(columns: sepal length \(cm\), .*target\)/);
  });

  it('usage errors exit 2', () => {
    assert.equal(mlw('profile').status, 2);
    assert.equal(mlw('frobnicate').status, 2);
    assert.equal(mlw('profile', 'x.csv', '--bogus').status, 2);
    assert.equal(mlw('--help').status, 0);
  });
});

describe('mlw: exit codes and interrupted sessions', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-exit-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir });

  it('train --json exits 1 when every model failed, after printing the result', () => {
    const r = run('train', dataset('sklearn_iris.csv'), '--target', 'target', '--models', 'lr', '--cv', '0', '--params', '{"lr":{"C":-1}}', '--json');
    assert.equal(r.status, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.results[0].status, 'FAILED');
    assert.match(j.results[0].error, /C must be positive \(got -1\)/);
    assert.match(r.stderr, /^mlw: every model failed\n$/);
  });

  it('runs marks a run left RUNNING by a dead process FAILED, as the README says', () => {
    const store = new MlflowStore(path.join(dir, 'abandoned'));
    const exp = store.createExperiment('x');
    const dead = store.createRun(exp.id, { runName: 'dead' });
    store.setTag(dead.runId, TAG.owner, `${os.hostname()}:999999999`);
    const r = run('runs', '--store', path.join(dir, 'abandoned'), '--json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).experiments[0].runs[0].status, 'FAILED');
  });

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal} during train records the session's runs KILLED, then exits ${code}`, async () => {
      const store = path.join(dir, `killed-${signal}`);
      const child = spawn(process.execPath, [cli, 'train', dataset('letter_recognition.csv'), '--target', 'lettr', '--models', 'rf', '--cv', '0', '--store', store], { cwd: dir });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve) => child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/rf: Fitting/.test(stderr)) resolve();
      }));
      child.kill(signal);
      assert.equal(await exited, code);
      assert.match(stderr, new RegExp(`mlw: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; 2 runs recorded KILLED in `));
      const s = new MlflowStore(store);
      assert.deepEqual(s.listRuns(s.listExperiments()[0].id).map((r) => r.status), ['KILLED', 'KILLED']);
    });
  }
});

describe('mlw: errors name files, never quote their contents', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-secret-'));
  const secret = path.join(dir, 'shadow');
  fs.writeFileSync(secret, 'root:TOPSECRET$6$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n');
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir });

  it('a run spec that is another file, or names another file as its data', () => {
    const notSpec = run('train', '--spec', secret);
    assert.equal(notSpec.status, 1);
    assert.match(notSpec.stderr, /shadow: not a run spec: it is not valid JSON|shadow: not a run spec: invalid JSON at line 1/);
    const spec = path.join(dir, 'steal.mlrun.json');
    fs.writeFileSync(spec, JSON.stringify({ kind: 'train', data: 'shadow', target: 'password', models: ['lr'] }));
    const data = run('train', '--spec', spec);
    assert.equal(data.status, 1);
    assert.match(data.stderr, /shadow: no column "password" to predict \(columns: it has a single column, so it may not be a table\)/);
    const profiled = run('profile', secret, '--target', 'password');
    assert.equal(profiled.status, 1);
    for (const r of [notSpec, data, profiled]) assert.doesNotMatch(r.stderr, /TOPSECRET|daemon/);
  });
});

describe('mlw tune without a grid', () => {
  it("searches the model's default grid, the one the extension offers", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-grid-'));
    const r = spawnSync(process.execPath, [cli, 'tune', dataset('sklearn_iris.csv'), '--target', 'target', '--model', 'lr', '--cv', '2', '--json'], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).cvResults.map((c: { params: { C: number } }) => c.params.C), DEFAULT_GRIDS.lr.C);
  });
});

describe('mlw arguments (util.parseArgs)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  it('usage errors name the option and exit 2; a valued option takes a value that starts with a dash', () => {
    const unknown = run('profile', dataset('sklearn_iris.csv'), '--bogus');
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /^mlw: unknown option --bogus\n/);
    const missing = run('profile', dataset('sklearn_iris.csv'), '--target');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^mlw: --target needs a value\n/);
    const valued = run('profile', dataset('sklearn_iris.csv'), '--json=yes');
    assert.equal(valued.status, 2);
    assert.match(valued.stderr, /^mlw: --json takes no value\n/);
    // "-" as the missing-value token: a value that starts with a dash.
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-args-')), 'dash.csv');
    fs.writeFileSync(f, 'a,b\n1,-\n2,3\n4,5\n');
    const dashed = run('profile', f, '--missing', '-', '--json');
    assert.equal(dashed.status, 0, dashed.stderr);
    assert.equal(JSON.parse(dashed.stdout).columns.find((c: { name: string }) => c.name === 'b').missing, 1);
  });
});

describe('mlw: no cold-start tax', function () {
  this.timeout(120_000);

  // TensorFlow.js's engine, once its core module is evaluated, sits on globalThis._tfengine.
  const tfLoadedAfter = (args: string[], cwd: string): { status: number | null; tf: boolean; stderr: string } => {
    const probe = `process.argv = [process.argv[0], 'mlw', ...${JSON.stringify(args)}];
process.stdout.write = () => true;
process.on('exit', () => process.stderr.write('\\ntf:' + Boolean(globalThis._tfengine) + '\\n'));
require(${JSON.stringify(path.join(ROOT, 'dist', 'cli.js'))});`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', cwd });
    return { status: r.status, tf: /\ntf:true\n/.test(r.stderr), stderr: r.stderr };
  };

  it('TensorFlow.js loads only when a network is trained or loaded: not for mlw profile, nor a forest\'s training and prediction', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-cold-'));
    const titanic = dataset('titanic_survival.csv');
    const profile = tfLoadedAfter(['profile', titanic, '--json'], dir);
    assert.equal(profile.status, 0, profile.stderr);
    assert.equal(profile.tf, false, 'mlw profile loaded TensorFlow.js');
    const rf = tfLoadedAfter(['train', titanic, '--target', 'survived', '--drop', 'name', '--models', 'rf', '--cv', '0', '--json'], dir);
    assert.equal(rf.status, 0, rf.stderr);
    assert.equal(rf.tf, false, 'training a forest loaded TensorFlow.js');
    const mlp = tfLoadedAfter(['train', titanic, '--target', 'survived', '--drop', 'name', '--models', 'mlp', '--cv', '0', '--json'], dir);
    assert.equal(mlp.status, 0, mlp.stderr);
    assert.equal(mlp.tf, true, 'the probe sees TensorFlow.js when a network is trained');
  });
});
