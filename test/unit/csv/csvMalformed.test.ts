// Every malformed file in test/fixtures/malformed gets a clear error that names the file, and the
// line where there is one. Both reading paths are checked where a file can reach both.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CsvError } from '../../../src/core/csv/errors';
import { parseRange } from '../../../src/core/csv/fastPath';
import { loadCsv } from '../../../src/core/csv/load';
import { peekColumns } from '../../../src/core/csv/peek';
import { FIXTURES } from '../../support/paths';

const dir = path.join(FIXTURES, 'malformed');

const cases: { file: string; code: CsvError['code']; line?: number; says: RegExp }[] = [
  { file: 'empty.csv', code: 'empty-file', says: /is empty/ },
  { file: 'blank-lines-only.csv', code: 'empty-file', says: /only blank lines/ },
  { file: 'header-only.csv', code: 'header-only', says: /header but no data rows/ },
  { file: 'header-only-no-newline.csv', code: 'header-only', says: /header but no data rows/ },
  { file: 'header-then-blank-lines.csv', code: 'header-only', says: /header but no data rows/ },
  { file: 'ragged-short-row.csv', code: 'ragged-rows', line: 4, says: /1 row has a different number of fields than the header's 3; the first is line 4 with 2/ },
  { file: 'ragged-long-rows.csv', code: 'ragged-rows', line: 3, says: /2 rows have .* the first is line 3 with 4/ },
  { file: 'ragged-quoted.csv', code: 'ragged-rows', line: 3, says: /1 row has .* line 3 with 2/ },
  { file: 'latin1.csv', code: 'not-utf8', line: 2, says: /not valid UTF-8/ },
  { file: 'latin1-later-line.csv', code: 'not-utf8', line: 41, says: /not valid UTF-8/ },
  { file: 'utf16.csv', code: 'not-utf8', says: /UTF-16/ },
  { file: 'binary-png.csv', code: 'binary', says: /not a text file/ },
  { file: 'spreadsheet-xlsx.csv', code: 'binary', says: /spreadsheet, archive or image/ },
  { file: 'undoubled-quote.csv', code: 'bad-quote', line: 3, says: /must be doubled/ },
  { file: 'unterminated-quote-at-eof.csv', code: 'unterminated-quote', line: 3, says: /never closed/ },
  { file: 'folder.csv', code: 'not-found', says: /is a folder/ },
  { file: 'does-not-exist.csv', code: 'not-found', says: /file not found/ },
];

describe('malformed CSV files', () => {
  it('the corpus holds at least 15 malformed files, each with a case here', () => {
    const files = fs.readdirSync(dir);
    assert.ok(files.length >= 15, `only ${files.length} files`);
    for (const f of files) assert.ok(cases.some((c) => c.file === f), `no test case for ${f}`);
  });

  for (const c of cases) {
    for (const forceGeneralPath of [false, true]) {
      it(`${c.file}${forceGeneralPath ? ' (general path)' : ''}: ${c.code}`, async () => {
        const file = path.join(dir, c.file);
        await assert.rejects(loadCsv(file, { forceGeneralPath }), (e: unknown) => {
          assert.ok(e instanceof CsvError, `expected a CsvError, got ${e}`);
          assert.equal(e.code, c.code);
          assert.equal(e.file, file);
          assert.ok(e.message.startsWith(file), e.message);
          assert.match(e.message, c.says);
          if (c.line !== undefined) {
            assert.equal(e.line, c.line);
            assert.ok(e.message.includes(`line ${c.line}`), e.message);
          }
          return true;
        });
      });
    }
  }

  it('ragged rows are skipped with a warning when asked to', async () => {
    const f = await loadCsv(path.join(dir, 'ragged-long-rows.csv'), { raggedRows: 'skip' });
    assert.equal(f.rows, 2);
    assert.deepEqual(f.warnings, ["skipped 2 rows have a different number of fields than the header's 3; the first is line 3 with 4"]);
  });
});

describe('paths that are not readable CSV files', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-paths-'));

  it('a FIFO is not a regular file (it was called "empty"); a link that loops says so (it was "not found")', async () => {
    const d = tmp();
    const fifo = path.join(d, 'pipe.csv');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(loadCsv(fifo), (e: CsvError) => e.code === 'unreadable' && /pipe\.csv: is not a regular file \(a pipe, socket or device\): save the data to a file and open that$/.test(e.message));
    const loop = path.join(d, 'loop.csv');
    fs.symlinkSync(loop, loop);
    await assert.rejects(loadCsv(loop), (e: CsvError) => e.code === 'unreadable' && /loop\.csv: a symbolic link that loops; fix or remove the link$/.test(e.message));
    assert.throws(() => peekColumns(loop), /a symbolic link that loops/);
  });

  it('a file that shrinks while it is read says it changed (it was "internal: no progress")', () => {
    const f = path.join(tmp(), 'shrunk.csv');
    fs.writeFileSync(f, 'a,b\n1,2\n3,4\n');
    // The reader was told the file ends at byte 40 (its size when it was looked at); it now ends at 12.
    assert.throws(() => parseRange({ file: f, start: 4, end: 40, delimiter: ',', kinds: ['numeric', 'numeric'], missingValues: [], capacityHint: 4 }),
      (e: CsvError) => e.code === 'changed' && /shrunk\.csv: the file changed while it was read \(it ended at byte 12, not 40\); read it again once nothing is writing it$/.test(e.message));
  });
});
