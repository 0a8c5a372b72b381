// The engine's one thread runner (src/core/threads.ts), host side: a job's events then its result,
// a failure with its code, a cancel that ends the thread at once, and a thread that dies. The
// worker scripts here speak the protocol by hand, so each test can make a thread misbehave.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { runInThread, shareOut, ThreadFailed } from '../../src/core/threads';

describe('worker threads', () => {
  let dir: string;
  const script = (name: string, body: string) => {
    const file = path.join(dir, `${name}.js`);
    fs.writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}`);
    return file;
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-threads-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a one-job thread passes its events on in order, then its result', async () => {
    const file = script('echo', `parentPort.on('message', (n) => {
      for (let i = 1; i <= 3; i++) parentPort.postMessage({ type: 'event', event: i });
      parentPort.postMessage({ type: 'done', result: n * 2 });
    });`);
    const events: number[] = [];
    assert.equal(await runInThread<number, number, number>(file, 21, { what: 'echo', onEvent: (e) => events.push(e) }), 42);
    assert.deepEqual(events, [1, 2, 3]);
  });

  it('a job resolves once its thread has ended, or as its result arrives when it may end in the background', async () => {
    const file = script('answer', `parentPort.on('message', (n) => parentPort.postMessage({ type: 'done', result: n + 1 }));`);
    for (const endInBackground of [false, true]) {
      const worker = new Worker(file);
      let ended = false;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => {
        ended = true;
        resolve();
      }));
      assert.equal(await runInThread<number, number>(file, 1, { what: 'test', started: worker, endInBackground }), 2);
      assert.equal(ended, !endInBackground, `ended when the job resolved (endInBackground ${endInBackground})`);
      await exited; // ended either way
    }
  });

  it('a failure inside the thread arrives as ThreadFailed with its code', async () => {
    const file = script('fail', `parentPort.on('message', () => parentPort.postMessage({ type: 'error', message: 'no column "x" in a.csv', code: 'E_COLUMN' }));`);
    await assert.rejects(runInThread(file, 0, { what: 'test' }), (e: unknown) => e instanceof ThreadFailed && e.message === 'no column "x" in a.csv' && e.code === 'E_COLUMN');
  });

  it('cancel ends a thread stuck in a synchronous loop, with the caller\'s cancel error', async () => {
    const file = script('spin', `parentPort.on('message', () => { parentPort.postMessage({ type: 'event', event: 'started' }); for (;;) {} });`);
    const stop = new AbortController();
    let onStart!: () => void;
    const started = new Promise<void>((resolve) => (onStart = resolve));
    const job = runInThread<number, never, string>(file, 0, { what: 'spin', signal: stop.signal, cancelled: () => new Error('stopped by the user'), onEvent: () => onStart() });
    await started;
    stop.abort();
    await assert.rejects(job, /stopped by the user/);
  });

  it('a thread that exits without answering is named in the failure', async () => {
    const file = script('quit', `parentPort.on('message', () => process.exit(3));`);
    await assert.rejects(runInThread(file, 0, { what: 'CSV' }), /the CSV worker stopped unexpectedly \(exit code 3\)/);
  });

  it('an already-cancelled job starts no thread', async () => {
    const file = script('never', `throw new Error('this thread should not have started');`);
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(runInThread(file, 0, { what: 'x', signal: stop.signal }), /cancelled/);
  });

  it('shared items each reach onDone once, by index, whichever thread takes them', async () => {
    const file = script('square', `let setup;
      parentPort.on('message', (m) => {
        if (m.type === 'setup') setup = m.setup;
        else if (m.type === 'item') parentPort.postMessage({ type: 'done', q: m.q, result: m.item * m.item + setup });
      });`);
    const items = Array.from({ length: 25 }, (_, i) => i);
    const got = new Map<number, number>();
    await shareOut<number, number, number>(file, 2, 1000, items, (q, r) => {
      assert.ok(!got.has(q), `item ${q} twice`);
      got.set(q, r);
    });
    assert.deepEqual([...got.keys()].sort((a, b) => a - b), items);
    for (const i of items) assert.equal(got.get(i), i * i + 1000);
  });

  /** A worker that claims items sent up front (shareOut's upFront), running `each` on item q of m.items. */
  const claimer = (name: string, each: string) => script(name, `parentPort.on('message', (m) => {
      if (m.type !== 'setup') return;
      for (let q = Atomics.add(m.next, 0, 1); q < m.items.length; q = Atomics.add(m.next, 0, 1)) { ${each} }
    });`);

  it('items sent up front are each claimed once from the shared counter, whichever thread claims them', async () => {
    const file = claimer('claim', `parentPort.postMessage({ type: 'done', q, result: m.items[q] * m.items[q] + m.setup });`);
    const items = Array.from({ length: 40 }, (_, i) => i);
    const got = new Map<number, number>();
    await shareOut<number, number, number>(file, 2, 1000, items, (q, r) => {
      assert.ok(!got.has(q), `item ${q} twice`);
      got.set(q, r);
    }, undefined, true);
    assert.deepEqual([...got.keys()].sort((a, b) => a - b), items);
    for (const i of items) assert.equal(got.get(i), i * i + 1000);
  });

  it('an item sent up front that fails fails the job with its message', async () => {
    const file = claimer('claimOdd', `if (m.items[q] === 7) return parentPort.postMessage({ type: 'error', message: 'item 7 is bad' });
      parentPort.postMessage({ type: 'done', q, result: m.items[q] });`);
    const items = Array.from({ length: 20 }, (_, i) => i);
    await assert.rejects(shareOut<number, number, number>(file, 2, 0, items, () => undefined, undefined, true), /item 7 is bad/);
  });

  it('a shared item that fails fails the job with its message', async () => {
    const file = script('odd', `parentPort.on('message', (m) => {
      if (m.type !== 'item') return;
      if (m.item === 7) parentPort.postMessage({ type: 'error', message: 'item 7 is bad' });
      else parentPort.postMessage({ type: 'done', q: m.q, result: m.item });
    });`);
    await assert.rejects(shareOut<number, number, number>(file, 2, 0, Array.from({ length: 20 }, (_, i) => i), () => undefined), /item 7 is bad/);
  });
});
