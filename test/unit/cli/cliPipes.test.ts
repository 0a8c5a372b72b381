// mlw as scripts use it: every verb read through a pipe, with an output larger than a pipe's
// buffer (the CLI once exited before stdout drained: 65,536 bytes and exit 0), and the exit codes
// a script branches on. Outputs are made large the ways a user's data makes them: a wide table,
// a header of long column names (which also passes the CSV reader's 1 MB head), many runs.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { ROOT } from '../../support/paths';

const cli = path.join(ROOT, 'dist', 'cli.js');
const MB = 1 << 20;

interface Piped {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs mlw with stdout and stderr as pipes that this process drains slowly, as `| wc -c` would. */
function piped(args: string[], cwd: string): Promise<Piped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out.push(b);
      // A slow reader: the pipe fills and the writer must wait for it.
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 1);
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: err }));
  });
}

/** The same command with stdout to a file (no pipe), to compare byte for byte. */
function toFile(args: string[], cwd: string): Buffer {
  const file = path.join(cwd, `out-${Date.now()}-${Math.random()}.txt`);
  const fd = fs.openSync(file, 'w');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: ['ignore', fd, 'pipe'] });
  fs.closeSync(fd);
  assert.equal(r.status, 0, String(r.stderr));
  return fs.readFileSync(file);
}

describe('mlw through a pipe: outputs past 1 MB arrive whole, exit codes hold', function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-pipe-'));
  const wide = path.join(dir, 'wide.csv');
  const longNames = path.join(dir, 'long_names.csv');
  let bundle: string;

  before(() => {
    // 1,000 numeric columns: the profile's JSON (statistics and histograms of each) passes 1 MB.
    const cols = 1000;
    const lines = [Array.from({ length: cols }, (_, c) => `c${c}`).join(',')];
    for (let r = 0; r < 200; r++) lines.push(Array.from({ length: cols }, (_, c) => ((r * 7919 + c * 104729) % 1000) / 7).join(','));
    fs.writeFileSync(wide, lines.join('\n') + '\n');
    // A target, a feature and 1,100 free-text columns with 1,000-character names: every verb's
    // output names them (a warning that they are not features, or not used by the model).
    const names = ['y', 'x', ...Array.from({ length: 1100 }, (_, i) => `note_${i}_${'n'.repeat(1000)}`)];
    const rows = [names.join(',')];
    for (let r = 0; r < 60; r++) rows.push([r % 3 === 0 ? 'yes' : 'no', ((r * 37) % 60) / 6 + (r % 3 === 0 ? 5 : 0), ...Array.from({ length: 1100 }, (_, i) => `said ${r} about ${i}`)].join(','));
    fs.writeFileSync(longNames, rows.join('\n') + '\n');
  });

  it('profile --json and the text summary: the bytes a file gets, exit 0', async () => {
    // The JSON holds the run's timings, which differ between two runs: compare without them.
    const untimed = (b: Buffer) => JSON.stringify({ ...JSON.parse(b.toString()), timings: null });
    const json = await piped(['profile', wide, '--json'], dir);
    assert.equal(json.status, 0, json.stderr);
    assert.ok(json.stdout.length > MB, `${json.stdout.length} bytes`);
    assert.equal(untimed(json.stdout), untimed(toFile(['profile', wide, '--json'], dir)));
    const text = await piped(['profile', longNames], dir);
    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.stdout.length > MB, `${text.stdout.length} bytes`);
    assert.ok(text.stdout.equals(toFile(['profile', longNames], dir)), 'the piped bytes differ from the file\'s');
  });

  it('train --json and train: the whole result, then predict, evaluate and tune on the same data', async () => {
    const t = await piped(['train', longNames, '--target', 'y', '--models', 'lr', '--cv', '0', '--json'], dir);
    assert.equal(t.status, 0, t.stderr);
    assert.ok(t.stdout.length > MB, `${t.stdout.length} bytes`);
    const result = JSON.parse(t.stdout.toString());
    bundle = result.results[0].bundle;
    const text = await piped(['train', longNames, '--target', 'y', '--models', 'lr', '--cv', '0'], dir);
    assert.equal(text.status, 0, text.stderr);
    assert.ok(text.stdout.length > MB && text.stdout.toString().endsWith(`best model bundle: ${text.stdout.toString().match(/best model bundle: (.*)\n$/)![1]}\n`));

    const e = await piped(['evaluate', bundle, longNames, '--json'], dir);
    assert.equal(e.status, 0, e.stderr);
    assert.ok(e.stdout.length > MB);
    assert.equal(JSON.parse(e.stdout.toString()).rows, 60);
    const et = await piped(['evaluate', bundle, longNames, '--no-track'], dir);
    assert.equal(et.status, 0, et.stderr);
    assert.ok(et.stdout.length > MB && /accuracy/.test(et.stdout.toString().slice(-2000)));

    const p = await piped(['predict', bundle, longNames, '--out', path.join(dir, 'pred.csv'), '--json'], dir);
    assert.equal(p.status, 0, p.stderr);
    assert.ok(p.stdout.length > MB);
    assert.equal(JSON.parse(p.stdout.toString()).rows, 60);

    const tu = await piped(['tune', longNames, '--target', 'y', '--model', 'lr', '--grid', '{"C":[0.1,1]}', '--cv', '2', '--json'], dir);
    assert.equal(tu.status, 0, tu.stderr);
    assert.ok(tu.stdout.length > MB);
    assert.equal(JSON.parse(tu.stdout.toString()).cvResults.length, 2);
  });

  it('runs --json and runs with 400 runs: every run listed', async () => {
    const store = new MlflowStore(path.join(dir, 'many', 'mlruns'));
    const exp = store.createExperiment('many');
    for (let i = 0; i < 400; i++) {
      const run = store.createRun(exp.id, { runName: `run ${i} ${'r'.repeat(3000)}` });
      store.logMetrics(run.runId, { accuracy: i / 400 });
      store.endRun(run.runId, 'FINISHED');
    }
    const j = await piped(['runs', '--json'], path.join(dir, 'many'));
    assert.equal(j.status, 0, j.stderr);
    assert.ok(j.stdout.length > MB);
    assert.equal(JSON.parse(j.stdout.toString()).experiments[0].runs.length, 400);
    const t = await piped(['runs'], path.join(dir, 'many'));
    assert.equal(t.status, 0, t.stderr);
    assert.ok(t.stdout.length > MB);
    assert.equal(t.stdout.toString().trimEnd().split('\n').length, 401);
  });

  it('a reader that stops early (| head -c 100) is not an error', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${cli}" profile "${wide}" --json | head -c 100 >/dev/null; echo "\${PIPESTATUS:-}"`], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });
});
