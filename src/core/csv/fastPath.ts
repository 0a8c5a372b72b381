// The fast path: a byte-level reader for files where every newline ends a row. A byte range can
// then be parsed on its own, so a large file is split at line starts and read by several worker
// threads. Quoted fields are read here too when each is quoted whole and holds no quote or newline
// (as most exported CSVs quote every string); anything else quoted sends the whole file to the
// general path.
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { makeAccumulator, MissingTokens, PartialColumn, storageFor } from './accumulators';
import { CsvError } from './errors';
import { FusedLines } from './fusedLines';
import type { ValueKind } from './values';

export interface RangeJob {
  file: string;
  /** Byte offsets; start is a line start, end is a line start or the file size. */
  start: number;
  end: number;
  delimiter: string;
  kinds: ValueKind[];
  missingValues: string[];
  /** Rows expected in the range, to size the arrays once. */
  capacityHint: number;
  /**
   * Optional per-column SharedArrayBuffers of the whole file's columns; this range writes its rows
   * from element `sharedOffset` on, for at most capacityHint rows (then it moves to its own arrays).
   */
  shared?: SharedArrayBuffer[];
  sharedOffset?: number;
  /** Read every line the two-pass way, without the fused reader (the tests compare the two). */
  twoPass?: boolean;
  /**
   * Int32 elements of zeroed memory for the thread's next job to have ready (touched), made after
   * this job's result is sent, while the ranges are merged: see profileWorker.ts.
   */
  prepareScratch?: number;
}

export interface RangeResult {
  /** A quote the fast path does not read was seen (see parseQuotedLines): the file needs the general path. */
  quoteSeen: boolean;
  /** 1-based line within the range of the first line that is not valid UTF-8. */
  invalidUtf8Line?: number;
  columns: PartialColumn[];
  rows: number;
  /** Lines read, blank ones included, for turning local line numbers into file line numbers. */
  lines: number;
  ragged: number;
  firstRaggedLine?: number;
  firstRaggedFields?: number;
  /** Per column: the first local line whose value did not fit the guessed kind. */
  violations: (number | undefined)[];
}

// 512 KB, not 4 MB: fewer fresh pages, and a block stays in cache between the checks and the
// parse (flights_3m, load phase, medians of 5 alternating: 4 MB 982 ms, 512 KB 929 ms).
const BLOCK = 512 << 10;
const NL = 10, CR = 13, QUOTE = 34;

export function parseRange(job: RangeJob, onBytes?: (bytes: number) => void): RangeResult {
  const ncol = job.kinds.length;
  const delim = job.delimiter.charCodeAt(0);
  const missing = new MissingTokens(job.missingValues);
  const acc = job.kinds.map((k, c) => {
    const Storage = storageFor(k);
    const into = job.shared ? new Storage(job.shared[c], job.sharedOffset! * Storage.BYTES_PER_ELEMENT, job.capacityHint) : undefined;
    return makeAccumulator(k, missing, job.capacityHint, into);
  });
  const fused = new FusedLines(job.kinds, acc, delim, missing.emptyIsMissing);
  const fusing = fused.usable && !job.twoPass;
  // Lines the fused reader declined; past a few, a file of such lines skips it altogether.
  let declined = 0;
  const violations: (number | undefined)[] = new Array(ncol).fill(undefined);
  const bounds = new Int32Array(ncol + 1);
  const starts = new Int32Array(ncol), ends = new Int32Array(ncol);
  const result: RangeResult = { quoteSeen: false, columns: [], rows: 0, lines: 0, ragged: 0, violations };

  const fd = fs.openSync(job.file, 'r');
  try {
    // Fused, the block is read into the line reader's WebAssembly memory, where its kernel reads it.
    const block = (size: number) => (fusing ? fused.buffer(size) : Buffer.allocUnsafe(size));
    let buf = block(Math.min(BLOCK, Math.max(job.end - job.start, 1)) + 1);
    let carry = 0;
    let pos = job.start;
    while (pos < job.end || carry > 0) {
      const want = Math.min(buf.length - carry, job.end - pos);
      const got = want > 0 ? fs.readSync(fd, buf, carry, want, pos) : 0;
      if (want > 0 && got === 0) throw new CsvError('changed', job.file, `the file changed while it was read (it ended at byte ${pos}, not ${job.end}); read it again once nothing is writing it`);
      pos += got;
      const filled = carry + got;
      const atEnd = pos >= job.end;
      // Complete lines only; the rest carries into the next block.
      let usable = atEnd ? filled : buf.lastIndexOf(NL, filled - 1) + 1;
      if (usable === 0) {
        if (filled < buf.length) throw new Error(`internal: no progress in ${job.file} at byte ${pos}`);
        // A line longer than the block. (The fused reader's buffer grows in place, keeping its bytes.)
        const bigger = block(buf.length * 2);
        if (!fusing) buf.copy(bigger, 0, 0, filled);
        buf = bigger;
        carry = filled;
        continue;
      }
      if (!isUtf8(buf.subarray(0, usable))) {
        result.invalidUtf8Line = result.lines + firstInvalidLine(buf, usable);
        return result;
      }
      if (buf.subarray(0, usable).indexOf(QUOTE) < 0) parseLines(buf, usable);
      else if (!parseQuotedLines(buf, usable)) {
        result.quoteSeen = true;
        return result;
      }
      onBytes?.(got);
      carry = filled - usable;
      if (carry > 0) buf.copy(buf, 0, usable, filled);
      if (atEnd && carry === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
  result.columns = acc.map((a) => a.result());
  return result;

  /**
   * One pass over the bytes: newlines end lines, delimiters end fields (no native call per line,
   * which costs more than the scan itself on short lines).
   */
  function parseLines(buf: Buffer, usable: number): void {
    let p = 0;
    while (p < usable) {
      if (fusing && declined < 1000 + (result.rows >> 3)) {
        // A batch of lines at a time (a declined line ends a batch, so the test above holds for each line).
        const read = fused.read(buf, p, usable);
        if (read > 0) {
          result.lines += read;
          result.rows += read;
          p = fused.next;
          continue;
        }
        const b = buf[p];
        if (b !== NL && b !== CR) declined++;
      }
      let n = 0;
      bounds[0] = p;
      let i = p;
      for (; i < usable; i++) {
        const b = buf[i];
        if (b === NL) break;
        if (b === delim && ++n < ncol) bounds[n] = i + 1;
      }
      let le = i;
      if (le > p && buf[le - 1] === CR) le--;
      result.lines++;
      if (le > p) addRow(buf, p, le, n);
      p = i + 1;
    }
  }

  /**
   * A block holding quotes, line by line. A field may be quoted whole: its opening quote starts the
   * field, its closing quote ends it (the delimiter, the line's end or CRLF follow), and it holds
   * no quote or newline; its value is what is inside, as papaparse reads it. Anything else quoted
   * (a doubled quote, a quoted newline, a quote inside an unquoted field, text after a closing
   * quote), a ragged line, or a one-column file returns false, and the file goes to the general
   * path, whose reading these do not change. Measured on mpls_stops.csv (6.5 MB, every string
   * quoted, one thread, loadCsv in a fresh process, medians of 5 alternating): the general path
   * 1,172 ms, this 594 ms.
   */
  function parseQuotedLines(buf: Buffer, usable: number): boolean {
    if (ncol < 2) return false;
    let p = 0;
    while (p < usable) {
      let i = p, c = 0, quotedAny = false;
      for (;;) {
        if (c === ncol) return false; // more fields than columns
        let s = i, e: number;
        if (i < usable && buf[i] === QUOTE) {
          let j = i + 1;
          while (j < usable && buf[j] !== QUOTE && buf[j] !== NL) j++;
          if (j >= usable || buf[j] !== QUOTE) return false; // unterminated on this line, or a quoted newline
          s = i + 1;
          e = j;
          i = j + 1;
          if (i < usable && buf[i] !== delim && buf[i] !== NL && !(buf[i] === CR && (i + 1 >= usable || buf[i + 1] === NL))) return false;
          quotedAny = true;
        } else {
          while (i < usable && buf[i] !== delim && buf[i] !== NL) {
            if (buf[i] === QUOTE) return false;
            i++;
          }
          e = i;
          if (e > s && buf[e - 1] === CR && (i >= usable || buf[i] === NL)) e--; // CRLF ends the line, not the field
        }
        starts[c] = s;
        ends[c++] = e;
        if (i < usable && buf[i] === delim) {
          i++;
          continue;
        }
        if (i < usable && buf[i] === CR) i++; // after a closing quote, CRLF
        break;
      }
      result.lines++;
      p = i + 1;
      if (c === 1 && !quotedAny && ends[0] === starts[0]) continue; // a blank line
      if (c !== ncol) return false;
      for (let f = 0; f < ncol; f++) pushField(buf, f, starts[f], ends[f]);
      result.rows++;
    }
    return true;
  }

  /** A non-blank line [s, e) with n delimiters, whose field starts are in bounds. */
  function addRow(buf: Buffer, s: number, e: number, n: number): void {
    if (n !== ncol - 1) {
      result.ragged++;
      if (result.firstRaggedLine === undefined) {
        result.firstRaggedLine = result.lines;
        result.firstRaggedFields = n + 1;
      }
      return;
    }
    bounds[ncol] = e + 1;
    for (let c = 0; c < ncol; c++) pushField(buf, c, bounds[c], bounds[c + 1] - 1);
    result.rows++;
  }

  /** Field c of the line, bytes [s, e); a value its column's kind does not take is noted by line. */
  function pushField(buf: Buffer, c: number, s: number, e: number): void {
    if (acc[c].pushBytes(buf, s, e)) return;
    if (violations[c] === undefined) violations[c] = result.lines;
    acc[c].pushMissing(); // keep the column aligned; the file is read again with this column widened
  }
}

/** 1-based line (within buf[0, usable)) of the first line that is not valid UTF-8. */
function firstInvalidLine(buf: Buffer, usable: number): number {
  let p = 0;
  for (let line = 1; p < usable; line++) {
    let nl = buf.indexOf(NL, p);
    if (nl < 0 || nl >= usable) nl = usable;
    if (!isUtf8(buf.subarray(p, nl))) return line;
    p = nl + 1;
  }
  return 1;
}

/**
 * A worker thread's side of one range (rangeWorker.ts, and profileWorker.ts, which reads a range
 * before its profile job): the range, with the bytes read reported every 8 MB.
 */
export function readRange(job: RangeJob, emit: (bytes: number) => void): RangeResult {
  let pending = 0;
  const result = parseRange(job, (bytes) => {
    pending += bytes;
    if (pending >= 8 << 20) {
      emit(pending);
      pending = 0;
    }
  });
  emit(pending);
  return result;
}

/** The buffers of a range's columns to move to the calling thread: those not in shared memory. */
export function rangeTransfer(result: RangeResult): ArrayBuffer[] {
  const transfer: ArrayBuffer[] = [];
  for (const c of result.columns) {
    const arr = c.values ?? c.codes;
    if (arr && !(arr.buffer instanceof SharedArrayBuffer)) transfer.push(arr.buffer as ArrayBuffer);
  }
  return transfer;
}
