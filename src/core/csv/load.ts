// Reads a CSV file into a Frame: sniff, guess column kinds from a sample, read every row (fast path
// in parallel where the file allows, papaparse otherwise), confirm the kinds, merge.
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { CODE_MISSING, Column, Frame } from '../frame';
import { MissingTokens, PartialColumn, storageFor } from './accumulators';
import { fileProblem } from '../io/fileErrors';
import { CancelledError, CsvError } from './errors';
import type { RangeResult } from './fastPath';
import { parseGeneral } from './generalPath';
import { CsvOptions, DEFAULT_MISSING } from './options';
import { estimateLines, parseRanges, splitAtLines } from './parallel';
import { checkEncoding, parseHead, sniffDelimiter, uniqueHeader } from './sniff';
import { guessKind, trimField, ValueKind } from './values';

export const HEAD_BYTES = 1 << 20;
const SAMPLE_ROWS = 1000;
/** Below this size one thread is quicker than starting workers. */
const PARALLEL_MIN_BYTES = 8 << 20;

export interface LoadInfo {
  delimiter: string;
  path: 'fast' | 'general';
  threads: number;
  bytes: number;
  /** Columns whose guessed kind a later row disproved, and which were read again as strings. */
  widened: string[];
}

/** What sniffing the start of a file decides, before any row is read: shared by loadCsv and streamCsv. */
export interface CsvPlan {
  file: string;
  size: number;
  bom: number;
  headText: string;
  delimiter: string;
  names: string[];
  /** Guessed from the first rows; widened to strings when a later row disproves one. */
  kinds: ValueKind[];
  headerLines: number;
  headerEnd: number;
  missingValues: string[];
  raggedMode: 'error' | 'skip';
  /** Fast path allowed: no bare carriage return in the head (quotes it reads, or declines, as it goes). */
  canFast: boolean;
  /** Rows the whole file likely holds, from the head's bytes per row. */
  rowsEstimate: number;
  warnings: string[];
}

export function planCsv(file: string, options: CsvOptions = {}): CsvPlan {
  const missingValues = options.missingValues ?? DEFAULT_MISSING;
  const raggedMode = options.raggedRows ?? 'error';
  const size = csvFileSize(file);

  const head = readHeadLines(file, size);
  const wholeFile = head.length === size;
  const bom = checkEncoding(file, head, wholeFile);
  const headText = head.toString('utf8', bom);
  if (headText.trim() === '') throw new CsvError('empty-file', file, 'the file holds only blank lines');

  const delimiter = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : sniffDelimiter(headText);
  // Blank lines before the header are skipped, as pandas skips them; the header is the next line.
  const blankLead = /^(?:[ \t]*\r?\n)*/.exec(headText)![0];
  const headerEnd = headText.indexOf('\n', blankLead.length);
  const headerLines = blankLead.split('\n').length;
  // The header and the rows kinds are guessed from, with room for blank lines among them.
  const rows = parseHead(headText, delimiter, wholeFile, 2 * (SAMPLE_ROWS + 1));
  const warnings: string[] = [];
  const names = uniqueHeader(rows[0], warnings);
  if (names.length < 2) {
    // pandas reads a one-column file, and its profile is useful; the usual cause is a separator
    // we do not split on, so say so.
    // The name is not quoted: in a file that is not a table it is the whole first line (of /etc/shadow, say).
    warnings.push(`found a single column: if the file separates its fields with something other than comma, semicolon, tab or pipe, it is not read as a table (set mlWorkbench.csv.delimiter, or --delimiter, if it uses one of those)`);
  }
  if (rows.length === 1 && wholeFile) throw new CsvError('header-only', file, 'the file has a header but no data rows');

  const missing = new MissingTokens(missingValues);
  const kinds: ValueKind[] = names.map((_, c) => {
    const samples: string[] = [];
    for (let r = 1; r < rows.length && r <= SAMPLE_ROWS; r++) {
      if (rows[r].length !== names.length) continue;
      const t = trimField(rows[r][c]);
      if (!missing.isMissing(t)) samples.push(t);
    }
    return guessKind(samples);
  });

  // Lines, not parsed rows, measure the head: a quoted newline only makes the estimate roomier.
  let lines = 0;
  for (let i = headText.indexOf('\n'); i >= 0; i = headText.indexOf('\n', i + 1)) lines++;
  if (wholeFile && !headText.endsWith('\n')) lines++;
  const bytesPerRow = Math.max(1, headText.length / Math.max(1, lines));
  return {
    file, size, bom, headText, delimiter, names, kinds, headerLines, headerEnd, missingValues, raggedMode,
    canFast: !options.forceGeneralPath && !/\r(?!\n)/.test(headText),
    rowsEstimate: Math.ceil((size / bytesPerRow) * 1.05) + 16,
    warnings,
  };
}

/** Threads the fast path reads a file of `size` bytes on: one per core (at most 2 for now), none extra for small files; an explicit count is kept. */
export const readThreads = (size: number, options: CsvOptions = {}): number =>
  Math.max(1, options.workers ?? Math.min(2, os.cpus().length, Math.ceil(size / PARALLEL_MIN_BYTES)));

/**
 * `plan`: the file's plan when the caller made it already (sniffing 1 MB takes 0.1 s or more).
 * `started`: threads serving range jobs (csvWorker, profileWorker) started before the plan was
 * made (startThread), so that their start-up overlapped the sniffing; they read the first
 * attempt's ranges after the first (which this thread reads), or end unused. `keep`: gets the
 * thread that read a range, not ended (see runInThread's keep), for the caller's next job; the
 * caller ends it.
 */
export async function loadCsv(file: string, options: CsvOptions = {}, plan?: CsvPlan, started: Worker[] = [], keep?: (worker: Worker) => void): Promise<Frame & { info: LoadInfo }> {
  try {
    return await readFrame(file, options, plan ?? planCsv(file, options), started, keep);
  } finally {
    for (const w of started.splice(0)) void w.terminate();
  }
}

async function readFrame(file: string, options: CsvOptions, plan: CsvPlan, started: Worker[], keep?: (worker: Worker) => void): Promise<Frame & { info: LoadInfo }> {
  const { size, bom, headText, delimiter, names, kinds, headerLines, headerEnd, missingValues, raggedMode, canFast, warnings, rowsEstimate: capacityHint } = plan;
  const threads = readThreads(size, options);
  const widened: string[] = [];
  let done = 0;
  const onBytes = (b: number) => {
    done += b;
    options.onProgress?.(Math.min(1, done / size));
  };

  // Guessed kinds are confirmed over all rows; a column that does not hold up is widened to
  // strings and the file read again (at most once more: strings always fit).
  for (let attempt = 0; attempt < 2; attempt++) {
    done = 0;
    let results: RangeResult[] | undefined;
    let usedPath: 'fast' | 'general' = 'general';
    let usedThreads = 1;
    let shared: SharedArrayBuffer[] | undefined;
    if (canFast) {
      const dataStart = bom + Buffer.byteLength(headText.slice(0, headerEnd + 1));
      // This thread reads the first range (parseRanges' firstHere), 5% larger than the others: it
      // starts as soon as the ranges are cut, while a worker first receives its job. flights_3m,
      // load phase, medians of 8 rounds alternating shares of 50%, 52.5% and 55%: 0.687, 0.678
      // and 0.718 s (0.831, 0.734 and 0.755 s when a second worker was starting meanwhile).
      const ranges = splitAtLines(file, dataStart, size, threads, threads > 1 ? 1.05 / threads : 1);
      // Each range writes into its window of one shared array per column, so the final columns
      // need no copy (fresh memory is slow to touch: a page fault per 4 KB, about 20 µs each here).
      // Ranges after the first then move down to close the gaps, touching those pages: the windows
      // are sized from newlines sampled over each range, with a margin for the sample's error (the
      // head's estimate with 25% to spare left 3.7k pages of gap on flights_3m). A range that
      // outgrows its window moves to its own array, and the columns are then copied once.
      const lines = estimateLines(file, ranges);
      const perRange = Math.ceil(Math.max(...lines) * 1.03) + 1024;
      shared = kinds.map((k) => new SharedArrayBuffer(perRange * ranges.length * storageFor(k).BYTES_PER_ELEMENT));
      const fast = await parseRanges({ file, delimiter, kinds, missingValues, capacityHint: perRange, shared },
        ranges, threads, options.signal, onBytes, { started: started.splice(0), firstHere: true, keep, prepareScratch: keep ? 2 * lines.reduce((a, b) => a + b, 0) : undefined });
      if (!fast.some((r) => r.quoteSeen)) {
        results = fast;
        usedPath = 'fast';
        usedThreads = Math.min(threads, ranges.length);
      } else {
        done = 0;
        shared = undefined;
      }
    }
    if (!results) {
      const general = await parseGeneral({ file, skipBytes: bom, delimiter, kinds, missingValues, capacityHint, signal: options.signal, onBytes });
      if (general.unterminatedQuoteLine !== undefined) {
        throw new CsvError('unterminated-quote', file, 'a quoted field opens here and is never closed', general.unterminatedQuoteLine);
      }
      if (general.badQuoteLine !== undefined) {
        throw new CsvError('bad-quote', file, 'a quoted field is followed by more text: a quote inside a quoted field must be doubled ("")', general.badQuoteLine);
      }
      results = [general];
    }
    if (options.signal?.aborted) throw new CancelledError();

    const lineOffset = usedPath === 'fast' ? headerLines : 0; // the fast path counts lines after the header
    const raggedWarning = checkRanges(file, results, lineOffset, raggedMode, names.length);
    const bad = kinds.map((_, c) => results!.some((r) => r.violations[c] !== undefined));
    if (bad.some(Boolean) && attempt === 0) {
      bad.forEach((b, c) => {
        if (b) {
          kinds[c] = 'string';
          widened.push(names[c]);
        }
      });
      continue;
    }
    if (raggedWarning) warnings.push(raggedWarning);
    const rowsRead = results.reduce((n, r) => n + r.rows, 0);
    if (rowsRead === 0) throw new CsvError('header-only', file, 'the file has a header but no data rows');
    const columns = names.map((name, c) => mergeColumn(name, kinds[c], results!.map((r) => r.columns[c]), rowsRead, shared?.[c]));
    return { source: file, rows: rowsRead, columns, warnings, info: { delimiter, path: usedPath, threads: usedThreads, bytes: size, widened } };
  }
  throw new Error('internal: kinds did not settle');
}

/**
 * The start of the file that sniffing and kind guessing read: HEAD_BYTES, or more when that does
 * not hold the header line and a data row (a header of 1,000 long names passes 1 MB, and cutting
 * it made the file look ragged). Grows by doubling up to MAX_HEAD_BYTES.
 */
export function readHeadLines(file: string, size: number): Buffer {
  for (let n = Math.min(size, HEAD_BYTES); ; n = Math.min(size, n * 2)) {
    const head = readHead(file, n);
    const first = head.indexOf(10);
    if (head.length >= size || (first >= 0 && head.indexOf(10, first + 1) >= 0) || n >= MAX_HEAD_BYTES) return head;
  }
}
const MAX_HEAD_BYTES = 256 << 20;

/**
 * The size of a file to read as CSV, or a CsvError that says what is wrong with the path: missing,
 * a folder, a link that loops, unreadable, empty, or not a file at all (a FIFO was called "empty").
 */
export function csvFileSize(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new CsvError('not-found', file, 'file not found');
    throw new CsvError('unreadable', file, fileProblem(e, 'read'));
  }
  if (stat.isDirectory()) throw new CsvError('not-found', file, 'is a folder, not a CSV file');
  if (!stat.isFile()) throw new CsvError('unreadable', file, 'is not a regular file (a pipe, socket or device): save the data to a file and open that');
  if (stat.size === 0) throw new CsvError('empty-file', file, 'the file is empty');
  return stat.size;
}

export function readHead(file: string, n: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new CsvError('unreadable', file, fileProblem(e, 'read'));
  }
  try {
    const buf = Buffer.allocUnsafe(n);
    const got = fs.readSync(fd, buf, 0, n, 0);
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** Throws for invalid UTF-8, and for ragged rows unless they are to be skipped (then: the warning). */
export function checkRanges(file: string, results: RangeResult[], lineOffset: number, mode: 'error' | 'skip', ncol: number): string | undefined {
  let linesBefore = lineOffset;
  let ragged = 0;
  let firstRagged: { line: number; fields: number } | undefined;
  for (const r of results) {
    if (r.invalidUtf8Line !== undefined) {
      throw new CsvError('not-utf8', file, 'the text is not valid UTF-8 (perhaps Latin-1 or Windows-1252); re-save it as UTF-8', linesBefore + r.invalidUtf8Line);
    }
    if (r.ragged > 0 && !firstRagged) firstRagged = { line: linesBefore + r.firstRaggedLine!, fields: r.firstRaggedFields! };
    ragged += r.ragged;
    linesBefore += r.lines;
  }
  if (ragged === 0 || !firstRagged) return undefined;
  const what = `${ragged} row${ragged === 1 ? '' : 's'} ${ragged === 1 ? 'has' : 'have'} a different number of fields than the header's ${ncol}; the first is line ${firstRagged.line} with ${firstRagged.fields}`;
  if (mode === 'error') {
    throw new CsvError('ragged-rows', file, `${what}. Fix the rows, or set mlWorkbench.csv.raggedRows to "skip"`, firstRagged.line);
  }
  return `skipped ${what}`;
}

/**
 * Joins the per-range pieces of one column; string columns get one dictionary. Pieces that sit in
 * their windows of the shared array are moved down in place; otherwise they are copied.
 */
export function mergeColumn(name: string, kind: ValueKind, parts: PartialColumn[], rows: number, shared?: SharedArrayBuffer): Column {
  const Storage = storageFor(kind);
  const inPlace = shared !== undefined && parts.every((p) => p.inShared) && rows <= shared.byteLength / Storage.BYTES_PER_ELEMENT;
  const out = inPlace ? new Storage(shared!) : new Storage(rows);
  const starts: number[] = [];
  let o = 0;
  for (const p of parts) {
    const src = (p.values ?? p.codes)!;
    const from = src.byteOffset / Storage.BYTES_PER_ELEMENT;
    // Source and target share an element type: their bytes are copied (no cast to a union's set).
    if (!inPlace) new Uint8Array(out.buffer, out.byteOffset + o * Storage.BYTES_PER_ELEMENT, src.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    else if (from !== o) out.copyWithin(o, from, from + src.length);
    starts.push(o);
    o += src.length;
  }
  const data = out.subarray(0, rows);
  if (kind === 'numeric') return { kind, name, length: rows, values: data as Float64Array, integer: parts.every((p) => p.integer) };
  if (kind === 'datetime') return { kind, name, length: rows, values: data as Float64Array };
  if (kind === 'boolean') return { kind, name, length: rows, values: data as Uint8Array };
  const codes = data as Int32Array;
  // One piece is its own dictionary (its keys are distinct strings: distinct bytes, and the reader
  // refuses malformed UTF-8). Mapping mpls_stops' 52k ids through a Map to themselves took ~40 ms
  // of a ~330 ms read.
  if (parts.length === 1) {
    const dictionary = parts[0].dictionary!;
    return { kind: isFreeText(codes, dictionary) ? 'text' : 'categorical', name, length: rows, codes, dictionary };
  }
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  parts.forEach((p, k) => {
    const remap = Int32Array.from(p.dictionary!, (s) => {
      let code = index.get(s);
      if (code === undefined) {
        code = dictionary.length;
        dictionary.push(s);
        index.set(s, code);
      }
      return code;
    });
    const identity = remap.every((v, i) => v === i);
    if (identity) return;
    for (let i = starts[k], end = starts[k] + p.length; i < end; i++) if (codes[i] !== CODE_MISSING) codes[i] = remap[codes[i]];
  });
  return { kind: isFreeText(codes, dictionary) ? 'text' : 'categorical', name, length: rows, codes, dictionary };
}

/** Mostly distinct values that are long or hold several words: free text rather than categories. */
function isFreeText(codes: Int32Array, dictionary: string[]): boolean {
  if (dictionary.length < 20) return false;
  // Counted only until the answer is known: more than twice the distinct values means categories.
  // flights_3m's airports (about 300 a column) stop after some 600 rows instead of 3M: 5 ms less a
  // column, on the thread that merges the ranges.
  const enough = 2 * dictionary.length;
  let nonMissing = 0;
  for (let i = 0; i < codes.length && nonMissing <= enough; i++) if (codes[i] !== CODE_MISSING) nonMissing++;
  if (dictionary.length < 0.5 * nonMissing) return false;
  let chars = 0, spaces = 0;
  for (const s of dictionary) {
    chars += s.length;
    for (let i = s.indexOf(' '); i >= 0; i = s.indexOf(' ', i + 1)) spaces++;
  }
  return freeTextBy(dictionary.length, nonMissing, chars / dictionary.length, spaces / dictionary.length);
}

/** isFreeText's rule from its figures, for a profile read in chunks (which never holds a whole dictionary). */
export function freeTextBy(distinct: number, nonMissing: number, meanChars: number, meanSpaces: number): boolean {
  if (distinct < 20 || distinct < 0.5 * nonMissing) return false;
  return meanChars >= 15 || meanSpaces >= 2;
}
