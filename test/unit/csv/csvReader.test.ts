// The reader on valid but awkward files, and the promise that both paths (and any number of
// threads) read a file the same.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Column } from '../../../src/core/frame';
import { loadCsv, mergeColumn } from '../../../src/core/csv/load';
import { estimateLines, parseRanges, splitAtLines } from '../../../src/core/csv/parallel';
import { storageFor } from '../../../src/core/csv/accumulators';
import type { ValueKind } from '../../../src/core/csv/values';
import { parseDatetime, parseNumber } from '../../../src/core/csv/values';
import { parseHead } from '../../../src/core/csv/sniff';
import { fastNumber, fastDatetime } from '../../../src/core/csv/accumulators';
import { dataset, FIXTURES, tempFile } from '../../support/paths';

const quirk = (f: string) => path.join(FIXTURES, 'quirks', f);
const col = (cols: Column[], name: string) => cols.find((c) => c.name === name)!;
const strings = (c: Column) => {
  assert.ok('codes' in c, `${c.name} is ${c.kind}`);
  return Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]));
};
const numbers = (c: Column) => {
  assert.ok(c.kind === 'numeric' || c.kind === 'datetime', `${c.name} is ${c.kind}`);
  return Array.from(c.values);
};

describe('CSV reader', () => {
  it('BOM, CRLF, quoted newline, doubled quotes and NA', async () => {
    const f = await loadCsv(quirk('bom-crlf-quoted-newline.csv'));
    assert.deepEqual(f.columns.map((c) => c.name), ['id', 'note', 'score']);
    assert.deepEqual(strings(col(f.columns, 'note')), ['two\r\nlines', 'plain', 'say "hi"']);
    assert.deepEqual(numbers(col(f.columns, 'score')), [3.5, 4, NaN]);
  });

  it('a one-column file is read as pandas reads it, with a warning that names the separators read', async () => {
    const one = await loadCsv(quirk('single-column.csv'));
    assert.deepEqual(one.columns.map((c) => c.name), ['name']);
    assert.deepEqual(strings(one.columns[0]), ['alice', 'bob', 'carol']);
    assert.match(one.warnings[0], /^found a single column: /);
    const odd = await loadCsv(quirk('single-column-odd-delimiter.csv'));
    assert.deepEqual(odd.columns.map((c) => c.name), ['a:b:c']);
    assert.equal(odd.rows, 2);
  });

  it('whitespace header names are kept as pandas keeps them, and blank lines before the header skipped', async () => {
    const ws = await loadCsv(tempFile('ws.csv', ' ,  ,\t\n1,2,3\n4,5,6\n'));
    assert.deepEqual(ws.columns.map((c) => c.name), [' ', '  ', '\t']);
    assert.equal(ws.rows, 2);
    for (const forceGeneralPath of [false, true]) {
      const lead = await loadCsv(tempFile('lead.csv', '\n  \na,b\n1,2\n3,4\n'), { forceGeneralPath });
      assert.deepEqual(lead.columns.map((c) => c.name), ['a', 'b']);
      assert.deepEqual(numbers(lead.columns[1]), [2, 4]);
      await assert.rejects(loadCsv(tempFile('lead.csv', '\n\na,b\n1,2\n3\n'), { forceGeneralPath }), /, line 5: 1 row has a different number of fields/);
    }
  });

  it('a header longer than the 1 MB head the sniffer reads is read whole, not called ragged', async () => {
    const names = Array.from({ length: 1100 }, (_, i) => `c${i}_${'n'.repeat(1000)}`);
    const f = tempFile('long_header.csv', [names.join(','), names.map((_, i) => i).join(','), names.map((_, i) => i * 2).join(',')].join('\n') + '\n');
    const frame = await loadCsv(f);
    assert.equal(frame.columns.length, 1100);
    assert.equal(frame.rows, 2);
    assert.deepEqual(numbers(frame.columns[1099]), [1099, 2198]);
  });

  it('the head parse stops after the lines asked for, and a quoted newline among them stays whole', () => {
    const lines = ['a,b'];
    for (let i = 0; i < 5000; i++) lines.push(i === 2 ? '2,"two\nlines"' : `${i},x${i}`);
    const text = lines.join('\n') + '\n';
    const all = parseHead(text, ',', true);
    assert.equal(all.length, 5001);
    const some = parseHead(text, ',', true, 10);
    assert.deepEqual(some, all.slice(0, some.length));
    assert.ok(some.length >= 8 && some.length <= 10, `${some.length} rows`);
    assert.deepEqual(some[3], ['2', 'two\nlines']);
  });

  it('sniffs semicolon, tab and pipe', async () => {
    const semi = await loadCsv(quirk('semicolon.csv'));
    assert.equal(semi.info.delimiter, ';');
    assert.deepEqual(strings(col(semi.columns, 'a')), ['1,5', '2,5']);
    assert.equal(col(semi.columns, 'c').kind, 'datetime');
    const tab = await loadCsv(quirk('tab.tsv'));
    assert.equal(tab.info.delimiter, '\t');
    assert.equal(col(tab.columns, 'c').kind, 'boolean');
    const pipe = await loadCsv(quirk('pipe.csv'));
    assert.equal(pipe.info.delimiter, '|');
    assert.deepEqual(numbers(col(pipe.columns, 'c')), [3, 4]);
  });

  it('an explicit delimiter wins over sniffing', async () => {
    const forced = await loadCsv(quirk('pipe.csv'), { delimiter: ',' });
    assert.deepEqual(forced.columns.map((c) => c.name), ['a|b|c']);
    assert.match(forced.warnings.join('\n'), /found a single column: if the file separates its fields with something other than comma/);
  });

  it('names empty and repeated headers as pandas does, with warnings', async () => {
    const f = await loadCsv(quirk('duplicate-headers.csv'));
    assert.deepEqual(f.columns.map((c) => c.name), ['x', 'x.1', 'Unnamed: 2', 'y', 'x.2']);
    assert.equal(f.warnings.length, 3);
  });

  it('reads the missing-value tokens, and only the configured ones', async () => {
    const f = await loadCsv(quirk('missing-tokens.csv'));
    assert.deepEqual(numbers(col(f.columns, 'a')), [1, NaN, NaN, 4]);
    assert.deepEqual(numbers(col(f.columns, 'b')), [NaN, 2, NaN, 5]);
    assert.deepEqual(strings(col(f.columns, 'c')), ['x', null, null, null]);
    const strict = await loadCsv(quirk('missing-tokens.csv'), { missingValues: [''] });
    assert.equal(col(strict.columns, 'a').kind, 'categorical');
  });

  it('confirms guessed types over all rows: a late word turns a number column into strings', async () => {
    const f = await loadCsv(quirk('late-text-in-number.csv'));
    assert.equal(col(f.columns, 'n').kind, 'categorical');
    assert.deepEqual(f.info.widened, ['n']);
    assert.equal(strings(col(f.columns, 'n'))[1500], 'twelve');
  });

  it('skips blank lines and reads infinities', async () => {
    assert.equal((await loadCsv(quirk('blank-lines-between.csv'))).rows, 2);
    const inf = await loadCsv(quirk('infinities.csv'));
    assert.deepEqual(numbers(col(inf.columns, 'w')), [Infinity, -Infinity, Infinity, 5]);
  });

  it('reads whole numbers written with a decimal point as floats, as pandas does', async () => {
    const f = await loadCsv(dataset('sklearn_diabetes.csv'));
    const age = col(f.columns, 'age');
    assert.ok(age.kind === 'numeric' && !age.integer);
    const l = await loadCsv(dataset('letter_recognition.csv'));
    const x = col(l.columns, 'x.box');
    assert.ok(x.kind === 'numeric' && x.integer);
  });

  it('the fast number and date readers agree with the string ones', () => {
    const samples = ['0', '-0', '12', '-3.25', '0.1', '.5', '5.', '123456789012345', '1234567890123456', '1e5', '00012', '3.14159265358979', '-0.000001'];
    for (const s of samples) {
      const b = Buffer.from(s);
      const fast = fastNumber(b, 0, b.length);
      if (!Number.isNaN(fast)) assert.ok(Object.is(fast, parseNumber(s)), `${s}: ${fast} vs ${parseNumber(s)}`);
    }
    for (const s of ['2001-01-01', '2001-02-29', '2000-02-29', '2001-01-01 00:01', '2017-12-31 23:59:59', '2017-12-31T23:59:59', '2001-13-01']) {
      const b = Buffer.from(s);
      const fast = fastDatetime(b, 0, b.length);
      const slow = parseDatetime(s);
      assert.ok(Number.isNaN(fast) ? slow === undefined : fast === slow, `${s}: ${fast} vs ${slow}`);
    }
    assert.equal(parseDatetime('2001-01-01 01:00:00+01:00'), Date.UTC(2001, 0, 1));
  });

  describe('the fast path, the general path and any thread count give identical frames', () => {
    // The last four quote their strings (mpls_stops every one, titanic names with commas).
    const files = ['sklearn_iris.csv', 'sklearn_wine.csv', 'sklearn_breast_cancer.csv', 'sklearn_diabetes.csv', 'vega_seattle_weather.csv', 'mpls_stops.csv', 'titanic_survival.csv', 'penguins.csv', 'diamonds.csv'];
    for (const name of files) {
      it(name, async () => {
        const fast = await loadCsv(dataset(name));
        assert.equal(fast.info.path, 'fast');
        const general = await loadCsv(dataset(name), { forceGeneralPath: true });
        assert.equal(general.info.path, 'general');
        assert.deepEqual(general.columns, fast.columns);
      });
    }

    it('a generated 12 MB unquoted file, split across 1, 2 and 3 workers', async () => {
      const lines = ['when,amount,code,flag,note'];
      for (let i = 0; i < 200_000; i++) {
        const d = new Date(Date.UTC(2020, 0, 1) + i * 61_000).toISOString().slice(0, 16).replace('T', ' ');
        lines.push(`${d},${(i % 977) * 1.25 - 300},${['AA', 'BB', 'CC', 'DD'][i % 4]}${i % 13},${i % 2 ? 'true' : 'false'},${i % 17 === 0 ? 'NA' : `n${i % 101}`}`);
      }
      const file = tempFile('gen.csv', lines.join('\r\n') + '\r\n');
      try {
        const one = await loadCsv(file, { workers: 1 });
        assert.equal(one.rows, 200_000);
        for (const workers of [2, 3]) {
          const many = await loadCsv(file, { workers });
          assert.equal(many.info.threads, workers);
          assert.deepEqual(many.columns.map((c) => ({ ...c })), one.columns.map((c) => ({ ...c })));
        }
        const general = await loadCsv(file, { forceGeneralPath: true });
        assert.deepEqual(general.columns, one.columns);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true });
      }
    });

    it('ranges are sized from sampled newlines, and one that outgrows its window still comes out whole', async () => {
      // Long rows first, short ones after: the head alone would misjudge the second half.
      const rows = ['a,b'];
      for (let i = 0; i < 120_000; i++) rows.push(i < 20_000 ? `${i},${'long'.repeat(20)}${i % 9}` : `${i},s${i % 5}`);
      const file = tempFile('shapes.csv', rows.join('\n') + '\n');
      try {
        const size = fs.statSync(file).size;
        const ranges = splitAtLines(file, 4, size, 3);
        const estimated = estimateLines(file, ranges);
        const small = tempFile('small.csv', 'a\n1\n2\n3\n');
        assert.deepEqual(estimateLines(small, [[2, 8]]), [3]);
        estimated.forEach((n, r) => {
          const actual = fs.readFileSync(file).subarray(ranges[r][0], ranges[r][1]).toString().split('\n').length - 1;
          assert.ok(Math.abs(n - actual) <= 0.03 * actual, `range ${r}: estimated ${n}, ${actual} lines`);
        });
        // Windows of 1,000 rows: every range moves to its own arrays.
        const kinds: ValueKind[] = ['numeric', 'string'];
        const shared = kinds.map((k) => new SharedArrayBuffer(1000 * ranges.length * storageFor(k).BYTES_PER_ELEMENT));
        const parts = await parseRanges({ file, delimiter: ',', kinds, missingValues: [''], capacityHint: 1000, shared }, ranges, 2);
        assert.ok(parts.every((p) => p.columns.every((c) => !c.inShared)));
        const whole = await loadCsv(file, { workers: 1 });
        const n = parts.reduce((k, p) => k + p.rows, 0);
        assert.deepEqual(mergeColumn('a', 'numeric', parts.map((p) => p.columns[0]), n, shared[0]), whole.columns[0]);
        assert.deepEqual(mergeColumn('b', 'string', parts.map((p) => p.columns[1]), n, shared[1]), whole.columns[1]);
        assert.deepEqual((await loadCsv(file, { workers: 3 })).columns, whole.columns);
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true });
      }
    });

    it('a first share sizes the first range, the rest split equally, every range starting at a line', () => {
      const rows = ['a,b'];
      for (let i = 0; i < 50_000; i++) rows.push(`${i},${'x'.repeat(i % 13)}`);
      const text = rows.join('\n') + '\n';
      const file = tempFile('shares.csv', text);
      try {
        const size = fs.statSync(file).size;
        for (const [n, share] of [[2, 0.525], [3, 0.35], [2, 0.5]] as const) {
          const ranges = splitAtLines(file, 4, size, n, share);
          assert.equal(ranges.length, n);
          assert.equal(ranges[0][0], 4);
          assert.equal(ranges[n - 1][1], size);
          ranges.forEach(([start], r) => {
            if (r > 0) assert.equal(ranges[r - 1][1], start);
            assert.equal(text[start - 1], '\n', `range ${r} starts mid-line`);
          });
          const bytes = size - 4;
          assert.ok(Math.abs(ranges[0][1] - 4 - share * bytes) < 64, `first range ${ranges[0][1] - 4} bytes of ${bytes}, share ${share}`);
          for (let r = 1; r < n; r++) assert.ok(Math.abs(ranges[r][1] - ranges[r][0] - ((1 - share) * bytes) / (n - 1)) < 64);
        }
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true });
      }
    });

    it('quoted fields the fast path reads (whole fields, CRLF, delimiters and spaces inside, empty, numbers and dates quoted) give the general path\'s frame on 1, 2 and 3 workers', async () => {
      const lines = ['"when","amount",code,"note"'];
      for (let i = 0; i < 120_000; i++) {
        const d = new Date(Date.UTC(2020, 0, 1) + i * 61_000).toISOString().slice(0, 19).replace('T', ' ');
        const when = i % 3 ? `"${d}"` : d, amount = i % 5 === 0 ? '""' : i % 2 ? `"${(i % 977) * 0.25}"` : `${i % 977}`;
        const note = i % 7 === 0 ? '"a, b"' : i % 11 === 0 ? '" padded "' : i % 13 === 0 ? '' : `"n${i % 101}"`;
        lines.push(`${when},${amount},"c${i % 4}",${note}`);
      }
      const file = tempFile('quoted.csv', lines.join('\r\n') + '\r\n');
      try {
        const general = await loadCsv(file, { forceGeneralPath: true });
        assert.deepEqual(general.columns.map((c) => c.kind), ['datetime', 'numeric', 'categorical', 'categorical']);
        for (const workers of [1, 2, 3]) {
          const fast = await loadCsv(file, { workers });
          assert.equal(fast.info.path, 'fast');
          assert.equal(fast.info.threads, workers);
          assert.deepEqual(fast.columns, general.columns);
        }
        assert.equal(strings(col(general.columns, 'note'))[7], 'a, b');
        assert.equal(strings(col(general.columns, 'note'))[11], ' padded ');
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true });
      }
    });

    for (const [what, late] of [
      ['a doubled quote', '150000,"say ""hi"""'],
      ['a quoted newline', '150000,"two\nlines"'],
      ['a quote inside an unquoted field', '150000,5\'2"'],
      ['text after a closing quote', '150000,"a"b'],
    ]) {
      it(`a large file with ${what} after the first megabyte falls back to the general path, which reads it or names the line`, async () => {
        const rows = ['a,b'];
        for (let i = 0; i < 150_000; i++) rows.push(i === 1000 ? `${i},"quoted, with comma"` : `${i},x${i % 7}`);
        rows.push(late, '150001,x');
        const file = tempFile('late-quote.csv', rows.join('\n') + '\n');
        try {
          if (what === 'text after a closing quote') {
            const message = /line 150002: a quoted field opens here and is never closed/; // papaparse's reading of it
            await assert.rejects(loadCsv(file, { forceGeneralPath: true }), message);
            await assert.rejects(loadCsv(file, { workers: 2 }), message);
            return;
          }
          const f = await loadCsv(file, { workers: 2 });
          assert.equal(f.info.path, 'general');
          const general = await loadCsv(file, { forceGeneralPath: true });
          assert.deepEqual(f.columns, general.columns);
          assert.equal(strings(col(f.columns, 'b'))[1000], 'quoted, with comma');
          assert.equal(f.rows, 150_002);
        } finally {
          fs.rmSync(path.dirname(file), { recursive: true });
        }
      });
    }

    it('a ragged row deep in a large file is reported with its line number on the fast path', async () => {
      const rows = ['a,b,c'];
      for (let i = 0; i < 400_000; i++) rows.push(i === 333_333 ? `${i},1` : `${i},1,2`);
      const file = tempFile('late-ragged.csv', rows.join('\n') + '\n');
      try {
        await assert.rejects(loadCsv(file, { workers: 2 }), (e: Error) => /line 333335 with 2/.test(e.message));
      } finally {
        fs.rmSync(path.dirname(file), { recursive: true });
      }
    });
  });

  it('stops when cancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(loadCsv(dataset('diamonds.csv'), { signal: ac.signal }), /cancelled/);
  });
});
