// Reading the prediction log that mlw serve and the FastAPI scaffold write (format in
// src/core/serving/server.ts and the README), for mlw monitor and mlw ab-report: streamed line by
// line, whatever its size; each line checked for the fields they read, a line that is not one named
// by its number; and a line's label found by request id or by a key field of its inputs.
import * as fs from 'node:fs';
import * as readline from 'node:readline';

/** The fields of a log line that monitoring reads. */
export interface LogEntry {
  requestId: string;
  row: number;
  timestamp: string;
  model?: { runId?: string; version?: string };
  inputs?: Record<string, unknown>;
  outputs: { prediction: string | number; probabilities?: Record<string, number> };
  latencyMs: number;
  variant?: string;
}

/** Outcomes by key: request ids, or values of an input field of the key column's name. */
export interface Labels {
  byKey: Map<string, string | number>;
  /** The labels column's name, for messages. */
  column: string;
  file: string;
}

/** Why a parsed line is not a prediction log line, or undefined when it is one. */
function problemOf(x: unknown): string | undefined {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'not a JSON object';
  const l = x as Record<string, unknown>;
  if (typeof l.requestId !== 'string') return 'no "requestId"';
  if (typeof l.timestamp !== 'string' || Number.isNaN(Date.parse(l.timestamp))) return 'no valid "timestamp"';
  if (!l.outputs || typeof l.outputs !== 'object' || !('prediction' in l.outputs)) return 'no "outputs.prediction"';
  if (typeof l.latencyMs !== 'number' || !Number.isFinite(l.latencyMs)) return 'no "latencyMs"';
  if (l.inputs !== undefined && (typeof l.inputs !== 'object' || l.inputs === null)) return '"inputs" is not an object';
  return undefined;
}

/** The lines that were not prediction lines: how many, and the first 20 with why. */
export class SkippedLines {
  count = 0;
  readonly first: { line: number; reason: string }[] = [];

  add(line: number, reason: string): void {
    this.count++;
    if (this.first.length < 20) this.first.push({ line, reason });
  }
}

/**
 * The log's prediction lines in order with their line numbers (blank lines passed over, a line
 * over 10 MB or not a prediction line counted in `skipped`). Throws, naming the file, when it
 * cannot be read.
 */
export async function* readPredictionLog(file: string, skipped: SkippedLines): AsyncGenerator<{ line: number; entry: LogEntry }> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`${file}: ${e.code === 'ENOENT' ? 'no such log' : e.message}`)));
  });
  const reader = readline.createInterface({ input: stream, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of reader) {
      line++;
      if (!text.trim()) continue;
      if (text.length > 10_000_000) {
        skipped.add(line, 'over 10 MB');
        continue;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        skipped.add(line, 'not JSON');
        continue;
      }
      const problem = problemOf(parsed);
      if (problem) skipped.add(line, problem);
      else yield { line, entry: parsed as LogEntry };
    }
  } finally {
    reader.close();
    stream.destroy();
  }
}

/** A line's label: by the key field of its inputs when it has one, else by its request id (or "id/row"). */
export function labelOf(labels: Labels, idField: string | undefined, e: LogEntry): string | number | undefined {
  const key = idField !== undefined ? e.inputs?.[idField] : undefined;
  if (key !== undefined && key !== null) return labels.byKey.get(String(key));
  return labels.byKey.get(e.requestId) ?? labels.byKey.get(`${e.requestId}/${e.row}`);
}
