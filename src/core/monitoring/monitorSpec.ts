// A *.mlmonitor.json spec: the log, its labels, window, model and alert rules (schema in
// schemas/mlmonitor.schema.json), read and checked with its paths taken relative to it. Light on
// purpose (no engine): the extension host reads specs; monitorFiles.ts runs them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import validateMonitorSpec from '../../../schemas/mlmonitor.schema.json?standalone';
import { FileError, parseJsonText } from '../io/fileErrors';
import { schemaProblems } from '../io/schemaProblems';
import type { MonitorRule } from './monitor';

export interface MonitorSpec {
  log: string;
  model?: string;
  window?: string;
  variant?: string;
  labels?: { file: string; id: string; column?: string };
  rules?: MonitorRule[];
}

/** A type guard: what passes the schema (compiled at build time) is a MonitorSpec. */
const isMonitorSpec = (raw: unknown): raw is MonitorSpec => validateMonitorSpec(raw);

export const isMonitorSpecFile = (file: string) => file.endsWith('.mlmonitor.json');

/** Reads a spec; its paths are taken relative to it. Problems are named by their JSON path. */
export function readMonitorSpec(file: string): MonitorSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileError(e, file, 'read');
  }
  const raw = parseJsonText(text, file, 'a monitoring spec');
  if (!isMonitorSpec(raw)) {
    throw new Error(`${file}: ${schemaProblems(validateMonitorSpec.errors).join('; ')}`);
  }
  const at = (p: string) => path.resolve(path.dirname(file), p);
  return { ...raw, log: at(raw.log), ...(raw.model ? { model: at(raw.model) } : {}), ...(raw.labels ? { labels: { ...raw.labels, file: at(raw.labels.file) } } : {}) };
}
