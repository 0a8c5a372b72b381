// Reads a CSV as a sequence of small Frames (chunks of rows) instead of one: what a profile in
// bounded memory needs, since a whole 1 GB file's columns do not fit its budget. The same sniffing,
// kind guessing, parsers and checks as loadCsv (planCsv, parseRanges, parseGeneral, checkRanges):
// on the fast path a chunk is `threads` byte ranges parsed at once; a file with quotes goes through
// papaparse on one thread, handing over its rows every CHUNK_ROWS. A column that a later row shows
// to be text is widened and the file read again from the start (the sink is rebuilt), as loadCsv does.
import * as os from 'node:os';
import type { Frame } from '../frame';
import { CancelledError, CsvError } from './errors';
import { parseGeneral } from './generalPath';
import type { RangeResult } from './fastPath';
import { checkRanges, CsvPlan, mergeColumn, planCsv } from './load';
import type { CsvOptions } from './options';
import { parseRanges, splitAtLines } from './parallel';
import type { ValueKind } from './values';

/** Bytes of file per chunk: about 2M rows of a narrow file, 100 MB of columns at most. */
export const CHUNK_BYTES = 64 << 20;

export interface ChunkSink {
  chunk(frame: Frame): void;
}

export interface StreamOptions extends CsvOptions {
  chunkBytes?: number;
  /** Rows per chunk on the general path. */
  chunkRows?: number;
  /** Kinds settled by an earlier pass over the same file: no guessing, nothing to widen. */
  kinds?: ValueKind[];
}

export interface StreamResult<S> {
  sink: S;
  plan: CsvPlan;
  rows: number;
  warnings: string[];
  widened: string[];
}

/** Rows per chunk on the general path (quoted files). */
export const CHUNK_ROWS = 1 << 20;

export async function streamCsv<S extends ChunkSink>(file: string, options: StreamOptions, begin: (plan: CsvPlan) => S): Promise<StreamResult<S>> {
  const plan = planCsv(file, options);
  if (options.kinds) plan.kinds = [...options.kinds];
  const widened: string[] = [];
  const threads = Math.max(1, options.workers ?? Math.min(2, os.cpus().length));
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const chunkRows = options.chunkRows ?? CHUNK_ROWS;
  const dataStart = plan.bom + Buffer.byteLength(plan.headText.slice(0, plan.headerEnd + 1));
  const pieces = Math.max(1, Math.ceil((plan.size - dataStart) / chunkBytes) * threads);
  const ranges = splitAtLines(file, dataStart, plan.size, pieces);
  let general = !plan.canFast;
  // Each attempt after the first widens a column or two to strings (chunks stop at the first that
  // disproves a kind, so a later one may disprove another) or moves to the general path.
  for (let attempt = 0; attempt < plan.names.length + 2; attempt++) {
    const sink = begin(plan);
    const metas: RangeResult[] = [];
    let rows = 0, done = 0, bad: number[] = [], switched = false;
    const toFrame = (results: RangeResult[], n: number): Frame => ({ source: file, rows: n, warnings: [], columns: plan.names.map((name, c) => mergeColumn(name, plan.kinds[c], results.map((r) => r.columns[c]), n)) });
    if (general) {
      const onFlush = (part: RangeResult) => {
        if (bad.length) return;
        bad = plan.kinds.map((_, c) => c).filter((c) => part.violations[c] !== undefined);
        if (bad.length || part.rows === 0) return;
        sink.chunk(toFrame([part], part.rows));
        rows += part.rows;
      };
      const last = await parseGeneral({ file, skipBytes: plan.bom, delimiter: plan.delimiter, kinds: plan.kinds, missingValues: plan.missingValues, capacityHint: chunkRows, signal: options.signal,
        onBytes: (b) => { done += b; options.onProgress?.(Math.min(1, done / plan.size)); }, flushRows: chunkRows, onFlush });
      if (last.unterminatedQuoteLine !== undefined) throw new CsvError('unterminated-quote', file, 'a quoted field opens here and is never closed', last.unterminatedQuoteLine);
      if (last.badQuoteLine !== undefined) throw new CsvError('bad-quote', file, 'a quoted field is followed by more text: a quote inside a quoted field must be doubled ("")', last.badQuoteLine);
      onFlush(last);
      metas.push(last);
      checkRanges(file, metas, 0, plan.raggedMode, plan.names.length);
    }
    // The next chunk parses on the worker threads while this thread folds the last one into the
    // sink, instead of each waiting for the other: flights_3m ten times over, 17.8 s → 14.8 s.
    const parse = (at: number) => {
      const group = ranges.slice(at, at + threads);
      const capacityHint = Math.ceil(((group[0][1] - group[0][0]) / Math.max(1, plan.size - dataStart)) * plan.rowsEstimate * 1.25) + 1024;
      const p = parseRanges({ file, delimiter: plan.delimiter, kinds: plan.kinds, missingValues: plan.missingValues, capacityHint },
        group, threads, options.signal, (b) => { done += b; options.onProgress?.(Math.min(1, done / plan.size)); });
      p.catch(() => undefined); // awaited below, unless the read stops first
      return p;
    };
    let pending = !general && ranges.length ? parse(0) : undefined;
    for (let at = 0; !general && at < ranges.length && bad.length === 0; at += threads) {
      if (options.signal?.aborted) throw new CancelledError();
      const results = await pending!;
      pending = at + threads < ranges.length ? parse(at + threads) : undefined;
      if (results.some((r) => r.quoteSeen)) {
        general = switched = true; // a quote past the head: start again on the general path
        break;
      }
      // Errors (invalid UTF-8, ragged rows in 'error' mode) name the line in the whole file.
      checkRanges(file, [...metas, ...results], plan.headerLines, plan.raggedMode, plan.names.length);
      metas.push(...results.map((r) => ({ ...r, columns: [] })));
      bad = plan.kinds.map((_, c) => c).filter((c) => results.some((r) => r.violations[c] !== undefined));
      if (bad.length) break;
      const n = results.reduce((k, r) => k + r.rows, 0);
      if (n === 0) continue;
      sink.chunk(toFrame(results, n));
      rows += n;
    }
    if (switched) continue;
    if (bad.length && !options.kinds) {
      for (const c of bad) {
        plan.kinds[c] = 'string';
        widened.push(plan.names[c]);
      }
      continue;
    }
    if (bad.length) throw new Error(`internal: ${plan.names[bad[0]]} changed kind between passes`);
    const ragged = checkRanges(file, metas, general ? 0 : plan.headerLines, plan.raggedMode, plan.names.length);
    return { sink, plan, rows, warnings: [...plan.warnings, ...(ragged ? [ragged] : [])], widened };
  }
  throw new Error('internal: kinds did not settle');
}
