// The general path: papaparse, streaming, for any file the fast path cannot take (quotes, quoted
// newlines, a lone CR as line end). Bytes are checked as UTF-8 before they are decoded, so a
// Latin-1 or binary file is named as such instead of turning into replacement characters.
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { makeAccumulator, MissingTokens } from './accumulators';
import { CancelledError } from './errors';
import type { RangeResult } from './fastPath';
import type { ValueKind } from './values';

export interface GeneralJob {
  file: string;
  /** Bytes to skip at the start (a UTF-8 BOM). */
  skipBytes: number;
  delimiter: string;
  kinds: ValueKind[];
  missingValues: string[];
  capacityHint: number;
  signal?: AbortSignal;
  onBytes?: (bytes: number) => void;
  /**
   * Hand the rows over every `flushRows` rows instead of keeping them all (csv/chunks.ts reads a
   * file in bounded memory this way): each part's columns, rows and violations; the result then
   * holds only the rows after the last flush.
   */
  flushRows?: number;
  onFlush?: (part: RangeResult) => void;
}

export interface GeneralResult extends RangeResult {
  /** Line where a quoted field opens and never closes. */
  unterminatedQuoteLine?: number;
  /** Line of a row with a quoted field whose closing quote is followed by more text (an undoubled quote). */
  badQuoteLine?: number;
}

/** Decoded text of the file, checked as UTF-8 in blocks that end at a newline. */
async function* utf8Text(job: GeneralJob, invalid: { line?: number }): AsyncGenerator<string> {
  const stream = fs.createReadStream(job.file, { start: job.skipBytes, highWaterMark: 1 << 20 });
  let carry: Buffer = Buffer.alloc(0);
  let linesBefore = 0;
  const emit = (buf: Buffer): string | undefined => {
    if (!isUtf8(buf)) {
      invalid.line = linesBefore + firstBadLine(buf);
      return undefined;
    }
    for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) linesBefore++;
    return buf.toString('utf8');
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    job.onBytes?.(chunk.length);
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const cut = buf.lastIndexOf(10) + 1; // a newline byte never sits inside a UTF-8 sequence
    if (cut === 0) {
      carry = buf;
      continue;
    }
    carry = buf.subarray(cut);
    const text = emit(buf.subarray(0, cut));
    if (text === undefined) {
      stream.destroy();
      return;
    }
    yield text;
  }
  if (carry.length) {
    const text = emit(carry);
    if (text !== undefined) yield text;
  }
}

function firstBadLine(buf: Buffer): number {
  let p = 0;
  for (let line = 1; p < buf.length; line++) {
    let nl = buf.indexOf(10, p);
    if (nl < 0) nl = buf.length;
    if (!isUtf8(buf.subarray(p, nl))) return line;
    p = nl + 1;
  }
  return 1;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

export function parseGeneral(job: GeneralJob): Promise<GeneralResult> {
  const ncol = job.kinds.length;
  const missing = new MissingTokens(job.missingValues);
  let acc = job.kinds.map((k) => makeAccumulator(k, missing, job.flushRows ?? job.capacityHint));
  const violations: (number | undefined)[] = new Array(ncol).fill(undefined);
  const result: GeneralResult = { quoteSeen: true, columns: [], rows: 0, lines: 0, ragged: 0, violations };
  const invalid: { line?: number } = {};
  let line = 1; // line where the next row starts
  let headerSeen = false;

  return new Promise((resolve, reject) => {
    const input = Readable.from(utf8Text(job, invalid));
    input.on('error', reject);
    Papa.parse<string[], Readable>(input, {
      delimiter: job.delimiter,
      quoteChar: '"',
      escapeChar: '"',
      skipEmptyLines: false,
      chunk(results: Papa.ParseResult<string[]>, parser: Papa.Parser) {
        if (job.signal?.aborted) {
          parser.abort();
          return;
        }
        const rowLines: number[] = [];
        for (const row of results.data) {
          const start = line;
          rowLines.push(start);
          let extra = 0;
          for (const f of row) if (f.length > 0 && f.indexOf('\n') >= 0) extra += countNewlines(f);
          line += 1 + extra;
          if (row.length === 1 && row[0].trim() === '') continue; // blank line, as pandas skips them
          if (!headerSeen) {
            headerSeen = true;
            continue;
          }
          if (row.length !== ncol) {
            result.ragged++;
            if (result.firstRaggedLine === undefined) {
              result.firstRaggedLine = start;
              result.firstRaggedFields = row.length;
            }
            continue;
          }
          for (let c = 0; c < ncol; c++) {
            if (!acc[c].pushString(row[c])) {
              if (violations[c] === undefined) violations[c] = start;
              acc[c].pushMissing();
            }
          }
          result.rows++;
        }
        for (const err of results.errors) {
          const at = rowLines[err.row ?? 0] ?? line;
          if (err.code === 'MissingQuotes' && result.unterminatedQuoteLine === undefined) result.unterminatedQuoteLine = at;
          if (err.code === 'InvalidQuotes' && result.badQuoteLine === undefined) result.badQuoteLine = at;
        }
        if (job.onFlush && result.rows >= job.flushRows!) {
          job.onFlush({ quoteSeen: true, columns: acc.map((a) => a.result()), rows: result.rows, lines: 0, ragged: 0, violations: [...violations] });
          acc = job.kinds.map((k) => makeAccumulator(k, missing, job.flushRows!));
          result.rows = 0;
        }
      },
      complete() {
        if (job.signal?.aborted) return reject(new CancelledError());
        result.lines = line - 1;
        result.invalidUtf8Line = invalid.line;
        result.columns = acc.map((a) => a.result());
        resolve(result);
      },
      error(err: Error) {
        reject(err);
      },
    });
  });
}
