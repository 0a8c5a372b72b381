// A quick look at a CSV's columns from its first megabyte, for choices made before the real read
// (the target quick pick, the detected task). Cheap enough for the extension host's thread; the
// training job reads the whole file again and decides for real.
import { DEFAULT_MISSING } from './options';
import type { CsvOptions } from './options';
import { csvFileSize, readHeadLines } from './load';
import { CsvError } from './errors';
import { checkEncoding, parseHead, sniffDelimiter, uniqueHeader } from './sniff';
import type { Task } from '../ml/task';

export interface PeekedColumn {
  name: string;
  kind: 'numeric' | 'text';
  /** Distinct non-missing values in the sample. */
  distinct: number;
  /** Numbers that are all whole. */
  integer: boolean;
  missing: number;
}

export function peekColumns(file: string, options: CsvOptions = {}): { columns: PeekedColumn[]; sampleRows: number } {
  const size = csvFileSize(file);
  const head = readHeadLines(file, size);
  const whole = head.length === size;
  const bom = checkEncoding(file, head, whole);
  const text = head.toString('utf8', bom);
  const delimiter = options.delimiter && options.delimiter !== 'auto' ? options.delimiter : sniffDelimiter(text);
  const rows = parseHead(text, delimiter, whole, 4002).slice(0, 2001);
  if (rows.length === 0) throw new CsvError('empty-file', file, 'the file holds only blank lines');
  const names = uniqueHeader(rows[0], []);
  const missing = new Set((options.missingValues ?? DEFAULT_MISSING).map((t) => t.trim()));
  const columns = names.map((name, c) => {
    const seen = new Set<string>();
    let numeric = true, integer = true, nMissing = 0;
    for (let r = 1; r < rows.length; r++) {
      const v = (rows[r][c] ?? '').trim();
      if (missing.has(v)) {
        nMissing++;
        continue;
      }
      seen.add(v);
      const x = Number(v);
      if (!Number.isFinite(x)) numeric = false;
      else if (!Number.isInteger(x)) integer = false;
    }
    return { name, kind: numeric && seen.size > 0 ? 'numeric' : 'text', distinct: seen.size, integer: numeric && integer, missing: nMissing } as PeekedColumn;
  });
  return { columns, sampleRows: rows.length - 1 };
}

/** A column named like a target (target, label, class, y), else the last one. */
export function suggestTarget(columns: PeekedColumn[]): string {
  const named = columns.find((c) => /^(target|label|class|y)$/i.test(c.name));
  return (named ?? columns[columns.length - 1]).name;
}

/** The task as training will detect it: whole numbers with at most 20 values and text are classes. */
export function detectTask(c: PeekedColumn): Task {
  return c.kind === 'numeric' && !(c.integer && c.distinct <= 20) ? 'regression' : 'classification';
}
