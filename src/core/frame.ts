// The in-memory table every part of the engine works on: one typed array per column.
// Numbers are Float64Array with NaN for missing; strings are dictionary-encoded
// (Int32Array codes into a dictionary, -1 for missing); booleans are Uint8Array
// (0 false, 1 true, 255 missing); datetimes are epoch milliseconds (UTC) in a Float64Array.
import { abbreviate } from './format';

export type ColumnKind = 'numeric' | 'categorical' | 'boolean' | 'datetime' | 'text';

export const BOOL_MISSING = 255;
export const CODE_MISSING = -1;

interface ColumnBase {
  name: string;
  /** Number of rows; equal for every column of a frame. */
  length: number;
}

export interface NumericColumn extends ColumnBase {
  kind: 'numeric';
  values: Float64Array;
  /** Every non-missing value is a whole number (pandas would read it as int64 if nothing is missing). */
  integer: boolean;
}

export interface StringColumn extends ColumnBase {
  kind: 'categorical' | 'text';
  codes: Int32Array;
  dictionary: string[];
}

export interface BooleanColumn extends ColumnBase {
  kind: 'boolean';
  values: Uint8Array;
}

export interface DatetimeColumn extends ColumnBase {
  kind: 'datetime';
  /** Epoch milliseconds; values without a zone are read as UTC. */
  values: Float64Array;
}

export type Column = NumericColumn | StringColumn | BooleanColumn | DatetimeColumn;

export interface Frame {
  /** The file the frame was read from, for messages. */
  source: string;
  rows: number;
  columns: Column[];
  /** Things the reader changed or skipped, said to the user (renamed headers, skipped rows). */
  warnings: string[];
}

export function isMissingAt(col: Column, i: number): boolean {
  switch (col.kind) {
    case 'numeric':
    case 'datetime':
      return Number.isNaN(col.values[i]);
    case 'boolean':
      return col.values[i] === BOOL_MISSING;
    default:
      return col.codes[i] === CODE_MISSING;
  }
}

export function columnByName(frame: Frame, name: string): Column {
  const col = frame.columns.find((c) => c.name === name);
  if (!col) throw new Error(`${frame.source}: no column named "${name}" (columns: ${columnList(frame)})`);
  return col;
}

/**
 * The frame's column names for a message: the first 20, each cut to 40 characters, and none for a
 * one-column file: in a file that is not a table (/etc/shadow named as the data) that "name" is its
 * whole first line, and an error must never quote a file's data.
 */
export function columnList(frame: { columns: { name: string }[] }): string {
  if (frame.columns.length === 1) return 'it has a single column, so it may not be a table';
  const names = frame.columns.slice(0, 20).map((c) => abbreviate(c.name, 40));
  return `${names.join(', ')}${frame.columns.length > 20 ? `, … (${frame.columns.length} in all)` : ''}`;
}

/** Bytes held by the column arrays (and an estimate for dictionary strings). */
export function frameMemoryBytes(frame: Frame): number {
  let bytes = 0;
  for (const c of frame.columns) {
    if ('codes' in c) {
      bytes += c.codes.byteLength;
      for (const s of c.dictionary) bytes += 2 * s.length + 16;
    } else {
      bytes += c.values.byteLength;
    }
  }
  return bytes;
}
