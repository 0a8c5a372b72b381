// Rows from a request (JSON objects, column → value) as the frame a bundle predicts on, checked
// against the bundle's input schema first: every problem of every row is collected, so one 422
// names them all (an absent field, a field the model does not read, a value of the wrong type).
// A null is a missing value, imputed as in training; a category the model never saw is predicted
// as mlw predict does (all zeros in its one-hot columns) and named in the answer's warnings.
import { BOOL_MISSING, CODE_MISSING, Column, Frame } from '../frame';
import { parseDatetime } from '../csv/values';
import type { InputColumn } from '../workflow/bundle';

/** A field the server reads: the bundle's input columns, and for history steps the columns a row must carry. */
export interface ServingField {
  name: string;
  kind: InputColumn['kind'];
  categories?: string[];
  /** Made from other rows at training (a lag, a rolling window): a single row must carry it. */
  history?: boolean;
}

/** Bad input: what the server answers with 422, every problem named by row and field. */
export class InputProblems extends Error {
  constructor(readonly problems: { row: number; field: string; problem: string }[]) {
    super(problems.slice(0, 20).map((p) => `row ${p.row}, "${p.field}": ${p.problem}`).join('; ') + (problems.length > 20 ? `; … (${problems.length} problems in all)` : ''));
  }
}

const MAX_PROBLEMS = 1000;

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * The frame of the rows, or InputProblems. Numbers take JSON numbers; booleans true/false; categories
 * strings (or numbers, by their text, as a code column's categories are); times ISO 8601 strings
 * (UTC unless they carry an offset) or epoch milliseconds. Warnings name unseen categories.
 */
export function framesFromRows(rows: unknown[], fields: ServingField[], source: string): { frame: Frame; warnings: string[] } {
  const problems: InputProblems['problems'] = [];
  const add = (row: number, field: string, problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ row, field, problem });
  };
  const known = new Set(fields.map((f) => f.name));
  rows.forEach((r, i) => {
    if (typeOf(r) !== 'object') return add(i, '(row)', `must be an object of column → value, not ${typeOf(r)}`);
    const row = r as Record<string, unknown>;
    for (const f of fields) {
      if (!Object.hasOwn(row, f.name)) add(i, f.name, f.history ? `missing: the model reads earlier rows for it (a ${f.name.includes('_lag_') ? 'lag' : 'rolling window'}), so a single row must carry it` : 'missing (send null for a missing value)');
    }
    for (const k of Object.keys(row)) if (!known.has(k)) add(i, k, 'not a column the model reads');
  });
  const n = rows.length;
  const unseen = new Map<string, Set<string>>();
  const columns: Column[] = fields.map((f) => {
    const value = (i: number) => (rows[i] as Record<string, unknown> | null)?.[f.name];
    const bad = (i: number, v: unknown, want: string) => add(i, f.name, `must be ${want} or null, not ${typeOf(v)}${typeof v === 'string' || typeof v === 'number' ? ` ${JSON.stringify(v).slice(0, 40)}` : ''}`);
    if (f.kind === 'numeric') {
      const values = new Float64Array(n);
      let integer = true;
      for (let i = 0; i < n; i++) {
        const v = value(i);
        if (v === null || v === undefined) values[i] = NaN;
        else if (typeof v === 'number' && Number.isFinite(v)) {
          values[i] = v;
          if (!Number.isInteger(v)) integer = false;
        } else bad(i, v, 'a number');
      }
      return { kind: 'numeric', name: f.name, length: n, values, integer };
    }
    if (f.kind === 'boolean') {
      const values = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = value(i);
        if (v === null || v === undefined) values[i] = BOOL_MISSING;
        else if (typeof v === 'boolean') values[i] = v ? 1 : 0;
        else bad(i, v, 'true or false');
      }
      return { kind: 'boolean', name: f.name, length: n, values };
    }
    if (f.kind === 'datetime') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = value(i);
        if (v === null || v === undefined) values[i] = NaN;
        else if (typeof v === 'number' && Number.isFinite(v)) values[i] = v;
        else if (typeof v === 'string' && parseDatetime(v.trim()) !== undefined) values[i] = parseDatetime(v.trim())!;
        else bad(i, v, 'an ISO 8601 date or time ("2024-05-01", "2024-05-01T13:45:00Z") or epoch milliseconds');
      }
      return { kind: 'datetime', name: f.name, length: n, values };
    }
    const codes = new Int32Array(n);
    const dictionary: string[] = [];
    const index = new Map<string, number>();
    const knownCategories = f.categories ? new Set(f.categories) : undefined;
    for (let i = 0; i < n; i++) {
      const v = value(i);
      if (v === null || v === undefined) {
        codes[i] = CODE_MISSING;
        continue;
      }
      if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
        bad(i, v, 'a category (a string)');
        continue;
      }
      const text = String(v);
      let k = index.get(text);
      if (k === undefined) {
        index.set(text, (k = dictionary.length));
        dictionary.push(text);
        if (knownCategories && !knownCategories.has(text)) {
          let s = unseen.get(f.name);
          if (!s) unseen.set(f.name, (s = new Set()));
          s.add(text);
        }
      }
      codes[i] = k;
    }
    return { kind: 'categorical', name: f.name, length: n, codes, dictionary };
  });
  if (problems.length) throw new InputProblems(problems);
  const warnings = [...unseen].map(([name, values]) => `column "${name}": ${[...values].slice(0, 10).map((v) => JSON.stringify(v)).join(', ')}${values.size > 10 ? ` and ${values.size - 10} more` : ''} never seen in training; predicted as unknown (all zeros in its one-hot columns), as mlw predict does`);
  return { frame: { source, rows: n, columns, warnings: [] }, warnings };
}
