// profileCsv starts the CSV reader's threads before it sniffs the file: whatever happens next (a
// wrong target, a file read in chunks, a profile in memory) those threads end, none left idle in
// the extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { profileCsv } from '../../../src/core/jobs/profileCsv';
import { loadCsv } from '../../../src/core/csv/load';
import { profileFrame } from '../../../src/core/profile/profile';
import { profileFrameParallel } from '../../../src/core/profile/parallelProfile';
import type { Profile } from '../../../src/core/profile/types';
import { tempFile } from '../../support/paths';

const threads = () => fs.readdirSync('/proc/self/task').length;

/** Waits (up to 5 s) for the process to be back to `before` threads or fewer; returns the count. */
async function settled(before: number): Promise<number> {
  for (let t = 0; t < 100 && threads() > before; t++) await new Promise((r) => setTimeout(r, 50));
  return threads();
}

const withoutTimings = (p: Profile) => ({ ...p, timings: undefined });

describe('profileCsv', () => {
  let file = '';
  before(() => {
    // 9 MB: large enough for two reader threads.
    const rows = ['when,amount,code'];
    for (let i = 0; i < 400_000; i++) rows.push(`2021-03-${String(1 + (i % 28)).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')},${i % 1000},k${i % 37}`);
    file = tempFile('readers.csv', rows.join('\n') + '\n');
  });
  after(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }));

  it('ends the reader threads it started when the target is wrong, when it reads in chunks, and after a profile', async () => {
    const before = threads();
    await assert.rejects(profileCsv(file, { target: 'nope' }), /nope/);
    assert.equal(await settled(before), before, 'after a wrong target');
    const chunked = await profileCsv(file, { memoryBudgetMB: 64 });
    assert.ok(chunked.bounded, 'read in chunks');
    assert.equal(await settled(before), before, 'after the chunked profile');
    const whole = await profileCsv(file);
    assert.equal(whole.bounded, undefined);
    assert.equal(whole.rows, 400_000);
    assert.equal(await settled(before), before, 'after the profile in memory');
  });

  it('profiles on two threads with the figures of one, the worker that read a range taking its share', async () => {
    // Which thread takes the correlations and which columns depends on timing: either way, the same figures.
    const four = ['when,amount,code,ratio'];
    const two = ['a,b'];
    for (let i = 0; i < 250_000; i++) {
      four.push(`2021-03-${String(1 + (i % 28)).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')},${(i * 7919) % 1000},k${i % 37},${((i * 31) % 977) / 8}`);
      two.push(`${(i * 7919) % 1000},${i % 2 ? '' : ((i * 31) % 977) / 8}`);
    }
    // A column numeric until its last row: widened to strings, the file is read again, on a new thread.
    const widened = [...two, 'x,not a number'];
    for (const rows of [four, two, widened]) {
      const csv = tempFile('parallel.csv', rows.join('\n') + '\n');
      try {
        const frame = await loadCsv(csv, { workers: 2 });
        assert.ok(frame.columns.every((c) => ('codes' in c ? c.codes : c.values).buffer instanceof SharedArrayBuffer), 'columns in shared memory');
        const single = profileFrame(frame);
        assert.deepEqual(withoutTimings(await profileFrameParallel(frame)), withoutTimings(single));
        const before = threads();
        const whole = await profileCsv(csv, { workers: 2 });
        assert.deepEqual({ ...withoutTimings(whole), file: '' }, { ...withoutTimings(single), file: '' });
        assert.equal(await settled(before), before, 'threads left running');
      } finally {
        fs.rmSync(path.dirname(csv), { recursive: true, force: true });
      }
    }
  });
});
