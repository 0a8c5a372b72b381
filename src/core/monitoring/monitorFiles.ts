// One monitoring pass from files: a log (or a *.mlmonitor.json spec naming it), the labels CSV read
// into a key → label map, the model's training reference found (the spec's or the option's model,
// else the run the log names, in the store), then monitorLog. mlw monitor and "ML: Open
// Monitoring…" both call it; mlw ab-report reads its labels the same way.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../csv/load';
import type { CsvOptions } from '../csv/options';
import { CODE_MISSING } from '../frame';
import { MlflowStore } from '../tracking/mlflowStore';
import { bundleFileAt, loadBundle, runBundleFile } from '../workflow/bundle';
import type { Labels } from './log';
import { monitorLog, MonitorReport, MonitorRule, parseWindow } from './monitor';
import { isMonitorSpecFile, MonitorSpec, readMonitorSpec } from './monitorSpec';

/** The first prediction line's model, read from the log's first 64 KB. */
function modelOfLog(file: string): { runId?: string } | undefined {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    for (const line of buf.subarray(0, n).toString('utf8').split('\n').slice(0, -1)) {
      try {
        const l = JSON.parse(line) as { model?: { runId?: string } };
        if (l.model) return l.model;
      } catch {
        // a malformed line: the next
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return undefined;
}

/** The labels CSV as key → label; the key column must be there, and the label column (named, or the target, or the only other). */
export async function readLabels(file: string, id: string, column: string | undefined, target: string | undefined, csv: CsvOptions): Promise<Labels> {
  const frame = await loadCsv(file, csv);
  const names = frame.columns.map((c) => c.name);
  const key = frame.columns.find((c) => c.name === id);
  if (!key) throw new Error(`${file}: no column "${id}" to join on (columns: ${names.join(', ')})`);
  const others = names.filter((n) => n !== id);
  const labelName = column ?? (target && names.includes(target) ? target : others.length === 1 ? others[0] : undefined);
  if (!labelName) throw new Error(`${file}: which column holds the labels? name it (--label COL or "labels.column"); columns: ${names.join(', ')}`);
  const label = frame.columns.find((c) => c.name === labelName);
  if (!label) throw new Error(`${file}: no label column "${labelName}" (columns: ${names.join(', ')})`);
  const text = (c: typeof key, i: number): string | number | undefined => {
    switch (c.kind) {
      case 'numeric':
        return Number.isNaN(c.values[i]) ? undefined : c.values[i];
      case 'boolean':
        return c.values[i] === 255 ? undefined : c.values[i] ? 'True' : 'False';
      case 'datetime':
        return Number.isNaN(c.values[i]) ? undefined : new Date(c.values[i]).toISOString();
      default:
        return c.codes[i] === CODE_MISSING ? undefined : c.dictionary[c.codes[i]];
    }
  };
  const byKey = new Map<string, string | number>();
  for (let i = 0; i < frame.rows; i++) {
    const k = text(key, i), v = text(label, i);
    if (k !== undefined && v !== undefined) byKey.set(String(k), v);
  }
  return { byKey, column: labelName, file };
}

export interface MonitorRequest {
  /** A log (.jsonl) or a *.mlmonitor.json spec. */
  target: string;
  /** Options over the spec's. */
  window?: string;
  labels?: { file: string; id: string; column?: string };
  model?: string;
  rules?: MonitorRule[];
  variant?: string;
  /** Where the log's run is looked up when no model is named (./mlruns by default). */
  store?: string;
  csv?: CsvOptions;
}

export async function runMonitor(r: MonitorRequest, signal?: AbortSignal): Promise<{ report: MonitorReport; spec: MonitorSpec }> {
  const base: MonitorSpec = isMonitorSpecFile(r.target) ? readMonitorSpec(r.target) : { log: r.target };
  const spec: MonitorSpec = {
    ...base, ...(r.window ? { window: r.window } : {}), ...(r.labels ? { labels: r.labels } : {}), ...(r.model ? { model: r.model } : {}),
    ...(r.rules ? { rules: r.rules } : {}), ...(r.variant ? { variant: r.variant } : {}),
  };
  if (!fs.existsSync(spec.log)) throw new Error(`${spec.log}: no such log`);
  const windowMs = parseWindow(spec.window ?? '1h');
  // The model: named, else the log's run in the store (beside the spec, or ./mlruns).
  let bundleFile = spec.model ? bundleFileAt(spec.model) : undefined;
  if (spec.model && !bundleFile) throw new Error(`${spec.model}: not a model (a run folder, its artifacts/model folder or a bundle.json)`);
  if (!bundleFile) {
    const runId = modelOfLog(spec.log)?.runId;
    const storeDir = r.store ?? path.join(isMonitorSpecFile(r.target) ? path.dirname(r.target) : process.cwd(), 'mlruns');
    if (runId && fs.existsSync(storeDir)) {
      try {
        const run = new MlflowStore(storeDir).getRun(runId);
        if (fs.existsSync(runBundleFile(run.artifactDir))) bundleFile = runBundleFile(run.artifactDir);
      } catch {
        // not in this store: no drift reference, said in the report
      }
    }
  }
  const loaded = bundleFile ? await loadBundle(bundleFile) : undefined;
  const reference = loaded?.bundle.reference ? { source: `${loaded.file} (a sample of ${loaded.bundle.reference.rows.toLocaleString('en-US')} training rows)`, reference: loaded.bundle.reference } : undefined;
  const labels = spec.labels ? await readLabels(spec.labels.file, spec.labels.id, spec.labels.column, loaded?.bundle.target, r.csv ?? {}) : undefined;
  const report = await monitorLog(spec.log, { windowMs, ...(reference ? { reference } : {}), ...(labels ? { labels, idField: spec.labels!.id } : {}), rules: spec.rules ?? [], ...(spec.variant ? { variant: spec.variant } : {}) }, signal);
  return { report, spec };
}
