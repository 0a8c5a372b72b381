// Request bodies as rows. Our /predict takes one row (a JSON object) or an array of rows;
// /invocations takes MLflow's scoring protocol, so that clients written for `mlflow models serve`
// work unchanged: dataframe_split ({columns, data}), dataframe_records, instances, inputs (records
// or column → values), or a CSV body (text/csv) whose fields are read by the model's schema.
import Papa from 'papaparse';
import { parseBoolean, parseNumber, trimField } from '../csv/values';
import type { ServingField } from './rows';

/** A body that is not what the route reads: the server answers 400 with this message. */
export class BadRequest extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function predictRows(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObject(body)) return [body];
  throw new BadRequest('the body must be a row (a JSON object of column → value) or an array of rows');
}

function columnsToRows(columns: unknown, data: unknown, where: string): unknown[] {
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw new BadRequest(`${where}.columns must be a list of column names`);
  if (!Array.isArray(data)) throw new BadRequest(`${where}.data must be a list of rows (lists of values)`);
  return data.map((r, i) => {
    if (!Array.isArray(r) || r.length !== columns.length) throw new BadRequest(`${where}.data[${i}] must be a list of ${columns.length} values, one per column`);
    return Object.fromEntries(columns.map((c, k) => [c, r[k]]));
  });
}

/** Column → list of values, as MLflow's columnar "inputs". */
function columnarToRows(cols: Record<string, unknown>, where: string): unknown[] {
  const names = Object.keys(cols);
  const lists = names.map((n) => cols[n]);
  if (!lists.every(Array.isArray)) throw new BadRequest(`${where}: each column must hold a list of values`);
  const n = (lists[0] as unknown[] | undefined)?.length ?? 0;
  if (!lists.every((l) => (l as unknown[]).length === n)) throw new BadRequest(`${where}: every column must hold the same number of values`);
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((name, k) => [name, (lists[k] as unknown[])[i]])));
}

/** Rows of an MLflow scoring request (JSON). */
export function invocationRows(body: unknown): unknown[] {
  if (!isObject(body)) throw new BadRequest('the body must be a JSON object with one of dataframe_split, dataframe_records, instances or inputs (MLflow\'s scoring protocol)');
  const keys = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'].filter((k) => Object.hasOwn(body, k));
  if (keys.length !== 1) throw new BadRequest(`the body must hold exactly one of dataframe_split, dataframe_records, instances or inputs${keys.length ? ` (it holds ${keys.join(', ')})` : ''}`);
  const key = keys[0];
  const value = body[key];
  if (key === 'dataframe_split') {
    if (!isObject(value)) throw new BadRequest('dataframe_split must be an object with columns and data');
    return columnsToRows(value.columns, value.data, 'dataframe_split');
  }
  if (key === 'dataframe_records') {
    if (!Array.isArray(value)) throw new BadRequest('dataframe_records must be a list of rows (objects)');
    return value;
  }
  if (isObject(value)) return columnarToRows(value, key);
  if (!Array.isArray(value)) throw new BadRequest(`${key} must be a list of rows (objects) or an object of column → values`);
  if (value.some((r) => !isObject(r))) throw new BadRequest(`${key} must be a list of objects (column → value); this model reads named columns, not bare tensors`);
  return value;
}

/**
 * Rows of a CSV body: its header names the columns; each field is read by the model's schema
 * (numbers, true/false, times as text; an empty field is missing). A field that does not read
 * as its kind is left as text, for the schema check to name.
 */
export function csvRows(text: string, fields: ServingField[]): unknown[] {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  if (parsed.errors.length) throw new BadRequest(`CSV body, row ${(parsed.errors[0].row ?? 0) + 1}: ${parsed.errors[0].message}`);
  const [header, ...data] = parsed.data;
  if (!header) throw new BadRequest('the CSV body is empty: it needs a header row and rows');
  const kind = new Map(fields.map((f) => [f.name, f.kind]));
  return data.map((r, i) => {
    if (r.length !== header.length) throw new BadRequest(`CSV body, data row ${i + 1}: ${r.length} fields where the header has ${header.length}`);
    return Object.fromEntries(header.map((h, k) => {
      const t = trimField(r[k]);
      if (t === '') return [h, null];
      const want = kind.get(h);
      if (want === 'numeric') return [h, parseNumber(t) ?? t];
      if (want === 'boolean') {
        const b = parseBoolean(t);
        return [h, b === undefined ? t : b === 1];
      }
      return [h, r[k]];
    }));
  });
}
