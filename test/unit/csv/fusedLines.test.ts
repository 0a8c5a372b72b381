// The fast path's fused line reader must read every line as the two-pass reader does: the same
// values (NaN and -0 included), integer flags, dictionaries and codes, violations and ragged lines.
// Lines are drawn from awkward tokens, so that many are declined and read the other way.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseRange, RangeResult } from '../../../src/core/csv/fastPath';
import type { ValueKind } from '../../../src/core/csv/values';
import { tempFile } from '../../support/paths';

const NUMBERS = ['0', '-0', '7', '-12', '007', '1.5', '-0.25', '.5', '5.', '-', '.', '-.', '', ' 3', '3 ', '1e3', 'NA', 'nan', '123456789012345', '1234567890123456', '0.0000000000000000000001', '0.00000000000000000000001', '99999999999999.9', 'x', '1.2.3', '--1', '+4'];
const DATES = ['2001-01-01', '2001-01-01 00:01', '2024-02-29T23:59:59', '2023-02-29', '2001-13-01', '2001-01-01 24:00', '', 'NA', ' 2001-01-02', '2001-1-1', '01/02/2003',
  '2001-01-01 00:0', '2001-01-01 00:01:5', '2001-01-01x', '2001-01-01 00:01:59.5', '2001-01-01 00:01:599', '2001-01-0', '2001-01-01\r5'];
const STRINGS = ['LAS', 'PHL', '', 'NA', ' ATL ', 'a b', 'é', 'x\ry', 'null'];
const ENDINGS = ['\n', '\r\n', '\n', '\n', '\r\n\n', '\n\r\n'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function same(a: RangeResult, b: RangeResult): void {
  const { columns: ca, ...ra } = a;
  const { columns: cb, ...rb } = b;
  assert.deepEqual(ra, rb);
  assert.equal(ca.length, cb.length);
  ca.forEach((x, c) => {
    assert.equal(x.kind, cb[c].kind, `column ${c}`);
    assert.equal(x.length, cb[c].length, `column ${c}`);
    assert.equal(x.integer, cb[c].integer, `column ${c} integer`);
    assert.deepEqual(x.dictionary, cb[c].dictionary, `column ${c} dictionary`);
    if (x.codes) assert.deepEqual(Array.from(x.codes), Array.from(cb[c].codes ?? []), `column ${c} codes`);
    if (x.values) {
      const y = cb[c].values ?? new Float64Array(0);
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(x.values[i], y[i]), `column ${c} row ${i}: ${x.values[i]} and ${y[i]}`);
    }
  });
}

function both(text: string, kinds: ValueKind[], delimiter = ','): [RangeResult, RangeResult] {
  const file = tempFile('fused.csv', text);
  const size = fs.statSync(file).size;
  const job = { file, start: 0, end: size, delimiter, kinds, missingValues: ['', 'NA'], capacityHint: 16 };
  return [parseRange(job), parseRange({ ...job, twoPass: true })];
}

describe('the fast path\'s fused line reader', () => {
  it('reads random lines of awkward numbers, dates and strings exactly as the two-pass reader does, across its batches of lines', () => {
    const kinds: ValueKind[] = ['numeric', 'datetime', 'string', 'numeric', 'string'];
    const pools = [NUMBERS, DATES, STRINGS, NUMBERS, STRINGS];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = rng(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
      // Most lines are plain, as in real files; some are awkward, ragged or blank.
      // Two seeds run past the reader's batch of 4096 lines, which a blank or declined line also ends.
      const lines = seed <= 2 ? 9000 : 1500;
      let text = '';
      for (let line = 0; line < lines; line++) {
        const plain = r() < 0.6;
        const fields = pools.map((p, c) => (plain ? p[c === 1 ? 1 : c === 0 || c === 3 ? Math.floor(r() * 7) : Math.floor(r() * 2)] : pick(p)));
        const shape = r();
        if (shape < 0.02) fields.pop();
        else if (shape < 0.04) fields.push('extra');
        text += shape < 0.05 && shape >= 0.045 ? '' : fields.join(',');
        text += line === lines - 1 && seed % 2 ? '' : pick(ENDINGS);
      }
      const [fused, twoPass] = both(text, kinds);
      assert.ok(fused.rows > 1000, `seed ${seed}: ${fused.rows} rows`);
      same(fused, twoPass);
    }
  });

  it('keeps the integer flag, -0, a missing empty field and a final line without a newline', () => {
    const [fused, twoPass] = both('1,-0,\n2,3.0,x\n-4,,y', ['numeric', 'numeric', 'string']);
    same(fused, twoPass);
    assert.equal(fused.rows, 3);
    assert.equal(fused.columns[0].integer, true);
    assert.equal(fused.columns[1].integer, false);
    assert.ok(Object.is(fused.columns[1].values?.[0], -0));
    assert.ok(Number.isNaN(fused.columns[1].values?.[2]));
    assert.deepEqual(fused.columns[2].dictionary, ['x', 'y']);
  });

  it('names the same first violation and ragged line, and splits on a tab', () => {
    const [fused, twoPass] = both('1\t2001-01-01\n2\tsoon\n3\t2001-01-02\textra\n4\t2001-01-03\n', ['numeric', 'datetime'], '\t');
    same(fused, twoPass);
    assert.deepEqual(fused.violations, [undefined, 2]);
    assert.equal(fused.firstRaggedLine, 3);
  });

  it('reads runs of plain lines longer than its batch, a line longer than a block, and lines it declines between them', () => {
    let text = '';
    for (let i = 0; i < 12000; i++) {
      if (i === 5000) text += ' 5000,2001-01-01,NA\n'; // padded: declined, read the other way
      else if (i === 9000) text += '\n';
      else if (i === 10000) text += `10000,2001-01-02,${'long'.repeat(200_000)}\n`; // 800 KB: the block grows
      else text += `${i},2001-01-01 00:${String(i % 60).padStart(2, '0')},${['LAS', 'PHL', 'ATL'][i % 3]}\n`;
    }
    const [fused, twoPass] = both(text, ['numeric', 'datetime', 'string']);
    same(fused, twoPass);
    assert.equal(fused.rows, 11999);
    assert.equal(fused.columns[0].values?.[11998], 11999);
  });

  it('reads a wide file (600 columns, more string columns than it caches codes for) in batches of fewer lines', () => {
    const kinds: ValueKind[] = Array.from({ length: 600 }, (_, c) => (c % 2 ? 'string' : 'numeric'));
    let text = '';
    for (let i = 0; i < 700; i++) text += kinds.map((k, c) => (k === 'numeric' ? String(i * c) : ['a', 'bb', 'NA', 'ccc'][(i + c) % 4])).join(',') + '\n';
    const [fused, twoPass] = both(text, kinds);
    same(fused, twoPass);
    assert.equal(fused.rows, 700);
    assert.deepEqual(fused.columns[599].dictionary, ['ccc', 'a', 'bb']);
  });

  it('reads dates the same when the delimiter is one of a date\'s own bytes (a space, a colon, a dash, a T)', () => {
    for (const d of [' ', ':', '-', 'T']) {
      const lines = ['2001-01-01', '2001-01-01 00:01', '2001-01-01T00:01:02', '2001-01-02 00:01:02', '2001-01-01 00:01:02'];
      const text = lines.map((x, i) => `${x}${d}${i}\n${i}${d}${x}\n`).join('');
      for (const kinds of [['datetime', 'numeric'], ['numeric', 'datetime']] as ValueKind[][]) {
        const [fused, twoPass] = both(text, kinds, d);
        same(fused, twoPass);
      }
    }
  });

  it('reads a file of lines it declines (padded numbers) the same, after it stops trying', () => {
    let text = '';
    for (let i = 0; i < 5000; i++) text += ` ${i}, ${i / 4}\n`;
    const [fused, twoPass] = both(text, ['numeric', 'numeric']);
    same(fused, twoPass);
    assert.equal(fused.rows, 5000);
    assert.equal(fused.columns[1].values?.[4999], 4999 / 4);
  });
});
