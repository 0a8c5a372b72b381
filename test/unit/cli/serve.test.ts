// mlw serve as a script runs it: a process on --port 0 that prints its address as one JSON line
// (--json), answers, and stops cleanly on SIGTERM with exit 0 and its log flushed; a bundle that
// is not one, or a port in use, exits 1 naming it; bad options exit 2.
import * as assert from 'node:assert/strict';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { FIXTURES, ROOT } from '../../support/paths';

const cli = path.join(ROOT, 'dist', 'cli.js');
const BUNDLE = path.join(FIXTURES, 'bundles', 'titanic_lr_v1.bundle.json');

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing its address`)));
  });
}

describe('mlw serve from a shell', function () {
  this.timeout(60_000);

  it('--port 0 --json prints the address; it answers; SIGTERM stops it with exit 0 and the prediction log flushed', async () => {
    const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-serve-cli-')), 'p.jsonl');
    const child = spawn(process.execPath, [cli, 'serve', BUNDLE, '--port', '0', '--log', log, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const info = JSON.parse(await firstLine(child));
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(info.model.version, /^[0-9a-f]{12}$/);
    const res = await fetch(`${info.url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify([{ age: 30, sex: 'female', passengerClass: '1st' }]) });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { predictions: { prediction: string }[] }).predictions[0].prediction, 'yes');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
    assert.match(stderr, /mlw serve: LogisticRegression \(lr\), version [0-9a-f]{12}, on http:\/\/127\.0\.0\.1:\d+ .*logging predictions to/);
    assert.match(stderr, /mlw serve: stopped/);
    assert.equal(fs.readFileSync(log, 'utf8').trim().split('\n').length, 1);
  });

  it('a file that is not a bundle, or a port in use, exits 1 naming it; a bad port exits 2', async () => {
    const notBundle = spawnSync(process.execPath, [cli, 'serve', path.join(FIXTURES, 'sklearn_metrics.json'), '--port', '0'], { encoding: 'utf8' });
    assert.equal(notBundle.status, 1);
    assert.match(notBundle.stderr, /sklearn_metrics\.json: not an ML Workbench model bundle/);
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (busy.address() as AddressInfo).port;
      const inUse = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, [cli, 'serve', BUNDLE, '--port', String(port)]);
        let err = '';
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.on('exit', (code) => resolve({ code, stderr: err }));
      });
      assert.equal(inUse.code, 1);
      assert.match(inUse.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use; pick another with --port`));
    } finally {
      busy.close();
    }
    const badPort = spawnSync(process.execPath, [cli, 'serve', BUNDLE, '--port', '99999'], { encoding: 'utf8' });
    assert.equal(badPort.status, 2);
    assert.match(badPort.stderr, /--port must be a whole number from 0 to 65535/);
  });
});
