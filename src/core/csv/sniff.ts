// What can be learnt from the first bytes: encoding trouble, the delimiter, the header.
import { isUtf8 } from 'node:buffer';
import Papa from 'papaparse';
import { CsvError } from './errors';
import type { Delimiter } from './options';

export const CANDIDATE_DELIMITERS: Delimiter[] = [',', ';', '\t', '|'];

/** Throws when the head bytes are not text we can read; returns the BOM length to skip. */
export function checkEncoding(file: string, head: Buffer, isWholeFile: boolean): number {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw new CsvError('not-utf8', file, 'the file is UTF-16 encoded; save it as UTF-8 (with or without BOM) and try again');
  }
  const nul = head.indexOf(0);
  if (nul >= 0) {
    throw new CsvError('binary', file, `this is not a text file (a NUL byte at offset ${nul}); is it a spreadsheet, archive or image rather than a CSV?`);
  }
  const bom = head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const end = isWholeFile ? head.length : head.lastIndexOf(10) + 1;
  const body = head.subarray(bom, end > bom ? end : head.length);
  if (!isUtf8(body)) {
    let p = 0;
    let line = 1;
    while (p < body.length) {
      let nl = body.indexOf(10, p);
      if (nl < 0) nl = body.length;
      if (!isUtf8(body.subarray(p, nl))) break;
      p = nl + 1;
      line++;
    }
    throw new CsvError('not-utf8', file, 'the text is not valid UTF-8 (perhaps Latin-1 or Windows-1252); re-save it as UTF-8', line);
  }
  return bom;
}

/**
 * The delimiter that splits the first lines into the same number (>1) of fields most often,
 * counting outside quotes; ties go to the earlier candidate (comma first).
 */
export function sniffDelimiter(text: string): Delimiter {
  const lines = splitLinesOutsideQuotes(text, 30).filter((l) => l.trim() !== '');
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of CANDIDATE_DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    if (counts.length === 0 || counts[0] === 0) continue;
    const consistent = counts.filter((c) => c === counts[0]).length / counts.length;
    const score = consistent * 1000 + Math.min(counts[0], 999);
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function splitLinesOutsideQuotes(text: string, max: number): string[] {
  const lines: string[] = [];
  let inQuote = false;
  let start = 0;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const c = text[i];
    if (c === '"') inQuote = !inQuote;
    else if ((c === '\n' || c === '\r') && !inQuote) {
      lines.push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (lines.length < max && start < text.length) lines.push(text.slice(start));
  return lines;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQuote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuote = !inQuote;
    else if (c === d && !inQuote) n++;
  }
  return n;
}

/** Rows of the head text (the last one dropped when the head is not the whole file: it may be cut). */
export function parseHead(text: string, delimiter: string, isWholeFile: boolean, maxLines = 0): string[][] {
  // As the reading paths do (and pandas): blank lines are skipped, and the first other line is the
  // header whatever it holds (a header of whitespace names, ' ,  ,\t', was skipped as "empty" and
  // the first data row taken for it).
  // maxLines (blank ones included) stops early: callers that look at the first rows only do not pay
  // for a string per field of the whole head (30k rows of flights: 5k page faults, 0.1 s). The text
  // is cut after that many newlines too: without quotes, papaparse splits its whole input into lines
  // first (27 of the plan's 63 ms were collecting that garbage). A cut inside a quoted field only
  // spoils the last row, which is dropped as a head's last row is.
  if (maxLines > 0) {
    let seen = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      if (++seen === maxLines + 1) {
        if (i + 1 < text.length) {
          text = text.slice(0, i + 1);
          isWholeFile = false;
        }
        break;
      }
    }
  }
  const parsed = Papa.parse<string[]>(text, { delimiter, quoteChar: '"', escapeChar: '"', skipEmptyLines: false, preview: maxLines });
  const blank = (r: string[]) => r.length === 1 && r[0].trim() === '';
  const header = parsed.data.findIndex((r) => !blank(r));
  const rows = header < 0 ? [] : parsed.data.filter((r, i) => i === header || (i > header && !blank(r)));
  // The head's last line may be cut short, unless the parse stopped before it.
  if (!isWholeFile && rows.length > 1 && !parsed.meta.truncated) rows.pop();
  return rows;
}

/** pandas' names for empty headers ("Unnamed: i") and repeated ones ("x.1", "x.2"), with warnings. */
export function uniqueHeader(raw: string[], warnings: string[]): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  raw.forEach((h, i) => {
    // Names are trimmed, but a name of whitespace alone is kept as pandas keeps it (' ', '\t').
    let name = h.trim() === '' && h !== '' ? h : h.trim();
    if (name === '') {
      name = `Unnamed: ${i}`;
      warnings.push(`column ${i + 1} has no header; named it "${name}"`);
    }
    if (seen.has(name)) {
      let k = 1;
      while (seen.has(`${name}.${k}`)) k++;
      warnings.push(`header "${name}" appears more than once; column ${i + 1} renamed "${name}.${k}"`);
      name = `${name}.${k}`;
    }
    seen.add(name);
    names.push(name);
  });
  return names;
}
