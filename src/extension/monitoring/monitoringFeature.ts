// "ML: Open Monitoring…" (a .jsonl log's or *.mlmonitor.json spec's context menu, the palette):
// the log per window in the job worker (src/core/monitoring/monitorSpec.ts), the monitoring panel,
// and each alert rule's breach as a warning with a link to its window.
// "ML: Open A/B Report…" (the same files): the log of a served split with labels (the spec's, or a
// CSV and its id column asked for), the A/B panel (abPanel.ts).
// "ML: Check Data Drift…" (a CSV's context menu, the palette): the CSV is the current data; the
// reference is a trained model (the sample its bundle keeps) or another CSV. The check runs in the
// job worker (src/core/monitoring/check.ts), is recorded as a run in the workspace's mlruns/ (the
// Experiments view shows it), and the drift panel (driftPanel.ts) shows the report, with a way to
// the run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Papa from 'papaparse';
import * as vscode from 'vscode';
import { formatNumber } from '../../core/format';
import type { MonitorReport, MonitorRule } from '../../core/monitoring/monitor';
import { isMonitorSpecFile, readMonitorSpec } from '../../core/monitoring/monitorSpec';
import type { AbReport } from '../../core/monitoring/abReport';
import { runBundleFile } from '../../core/workflow/bundlePaths';
import { COMMAND, registerCommand } from '../commands';
import { csvOptions } from '../config';
import { DriftPanels } from './driftPanel';
import { MonitorPanels } from './monitorPanel';
import { AbPanels } from './abPanel';
import type { ExperimentsProvider } from '../experiments/experimentsView';
import type { TrackedJobs } from '../jobs/trackedJob';
import { FileKind, pickCsv, pickFile } from '../pickCsv';
import type { RunPanels } from '../results/runPanels';
import { storeRoot, workspaceRuns } from '../store';
import { requireInsideWorkspace, requireTrust } from '../workspaceAccess';

export interface DriftCheckResult {
  datasetDrift: boolean;
  drifted: string[];
  columns: number;
  runId?: string;
}

/** What the monitoring commands keep: their panels (tests read their snapshots). */
export interface MonitoringFeature {
  drift: DriftPanels;
  monitor: MonitorPanels;
  ab: AbPanels;
}

/** A serving log, or a monitoring spec naming one. */
const LOG: FileKind = { glob: '**/*.{jsonl,mlmonitor.json}', fits: (p) => /\.jsonl$|\.mlmonitor\.json$/i.test(p), filters: { 'Prediction logs and monitoring specs': ['jsonl', 'json'] } };

/** Rules and window from settings, for a log opened without a spec. */
function monitoringSettings(uri: vscode.Uri): { window: string; rules: MonitorRule[] } {
  const cfg = vscode.workspace.getConfiguration('mlWorkbench', uri);
  return { window: cfg.get<string>('monitoring.window', '1h'), rules: cfg.get<MonitorRule[]>('monitoring.rules', []) };
}

/** The reference: a model run whose bundle exists (newest first), or another CSV file. */
async function pickReference(current: vscode.Uri): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { value?: string };
  const models: Item[] = workspaceRuns()
    .filter(({ run }) => run.status === 'FINISHED' && fs.existsSync(runBundleFile(run.artifactDir)))
    .sort((a, b) => b.run.startTime - a.run.startTime)
    .map(({ run, experiment }) => ({ label: `$(beaker) ${run.runName}`, description: experiment.name, detail: 'its training data, as the sample its model keeps', value: runBundleFile(run.artifactDir) }));
  const other: Item = { label: '$(file) Another CSV file…', detail: 'e.g. the training file, or last month\'s data' };
  const chosen = await vscode.window.showQuickPick([other, ...models], { title: `Check ${path.basename(current.fsPath)} for drift`, placeHolder: 'Compare it with (the reference)', matchOnDescription: true });
  if (!chosen) return undefined;
  if (chosen.value) return chosen.value;
  return (await pickCsv(undefined, 'Check Data Drift', 'Pick the reference CSV'))?.fsPath;
}

export function registerMonitoringFeature(context: vscode.ExtensionContext, jobs: TrackedJobs, runs: RunPanels, tree: ExperimentsProvider): MonitoringFeature {
  const drift = new DriftPanels(context, (runId) => runs.open(runId));
  registerCommand(context, COMMAND.checkDrift, async (arg?: unknown, choice?: unknown): Promise<DriftCheckResult | undefined> => {
    requireTrust('Checking data drift');
    const current = await pickCsv(arg instanceof vscode.Uri ? arg : undefined, 'Check Data Drift', 'Pick the CSV to check (the current data)');
    if (!current) return undefined;
    const given = choice && typeof choice === 'object' ? (choice as { reference?: unknown }).reference : undefined;
    const reference = typeof given === 'string' ? given : await pickReference(current);
    if (!reference) return undefined;
    requireInsideWorkspace(current.fsPath, 'the current CSV');
    requireInsideWorkspace(reference, 'the reference');
    const store = storeRoot(current);
    if (!store) throw new Error('open a folder first: drift checks are recorded in its mlruns/ folder');
    const result = await jobs.run(`Checking ${path.basename(current.fsPath)} for drift`, () => ({ type: 'drift', reference, current: current.fsPath, store, csv: csvOptions(current) }), store);
    if (result?.type !== 'drift') return undefined;
    tree.refresh(0);
    const { report, runId } = result;
    drift.showReport(report, runId);
    const r: DriftCheckResult = { datasetDrift: report.datasetDrift, drifted: report.columns.filter((c) => c.drifted).map((c) => c.name), columns: report.columns.length, ...(runId ? { runId } : {}) };
    const open = (a?: string) => a && runId && runs.open(runId);
    if (r.datasetDrift) void vscode.window.showWarningMessage(`ML Workbench: ${path.basename(current.fsPath)} drifted: ${r.drifted.length} of ${r.columns} columns (${r.drifted.join(', ')})`, 'Open run').then(open);
    else void vscode.window.showInformationMessage(`ML Workbench: no dataset drift in ${path.basename(current.fsPath)}: ${r.drifted.length} of ${r.columns} columns drifted${r.drifted.length ? ` (${r.drifted.join(', ')})` : ''}`, 'Open run').then(open);
    return r;
  });
  const monitor = new MonitorPanels(context);
  registerCommand(context, COMMAND.openMonitoring, async (arg?: unknown): Promise<MonitorReport | undefined> => {
    requireTrust('Monitoring a prediction log');
    const file = await pickFile(LOG, arg, 'Open Monitoring', 'Pick a prediction log (mlw serve --log) or a *.mlmonitor.json spec');
    if (!file) return undefined;
    requireInsideWorkspace(file.fsPath, 'the log');
    const spec = isMonitorSpecFile(file.fsPath);
    const settings = monitoringSettings(file);
    // A spec says its own window and rules; a bare log takes the settings'.
    const request = { target: file.fsPath, ...(spec ? {} : { window: settings.window, rules: settings.rules }), ...(storeRoot(file) ? { store: storeRoot(file)! } : {}) };
    const result = await jobs.run(`Monitoring ${path.basename(file.fsPath)}`, () => ({ type: 'monitor', request, csv: csvOptions(file) }), undefined);
    if (result?.type !== 'monitor') return undefined;
    const report = result.report;
    monitor.showReport(report);
    // Each rule's latest breach as a warning, with a way to its window.
    const latest = new Map(report.breaches.map((b) => [b.rule, b]));
    for (const b of latest.values()) {
      const at = b.windows[b.windows.length - 1];
      void vscode.window.showWarningMessage(`ML Workbench: alert on ${path.basename(report.log)}: ${b.rule} (${formatNumber(b.value)} in the window from ${at})`, 'Show window').then((a) => a && monitor.focus(report.log, at));
    }
    return report;
  });
  const ab = new AbPanels(context, (runId) => runs.open(runId));
  registerCommand(context, COMMAND.openAbReport, async (arg?: unknown, given?: unknown): Promise<AbReport | undefined> => {
    requireTrust('Reading an A/B test');
    const file = await pickFile(LOG, arg, 'Open A/B Report', 'Pick the prediction log of an A/B split (mlw serve --model A=… --model B=… --log) or its *.mlmonitor.json spec');
    if (!file) return undefined;
    requireInsideWorkspace(file.fsPath, 'the log');
    const spec = isMonitorSpecFile(file.fsPath) ? readMonitorSpec(file.fsPath) : undefined;
    const labels = (given && typeof given === 'object' ? (given as { labels?: { file: string; id: string; column?: string } }).labels : undefined) ?? spec?.labels ?? (await askLabels(file));
    if (!labels) return undefined;
    requireInsideWorkspace(labels.file, 'the labels');
    const log = spec?.log ?? file.fsPath;
    const result = await jobs.run(`A/B report of ${path.basename(log)}`, () => ({ type: 'abReport', log, labels, csv: csvOptions(file) }), undefined);
    if (result?.type !== 'abReport') return undefined;
    ab.showReport(result.report);
    return result.report;
  });
  return { drift, monitor, ab };
}

/** The labels of an A/B log: a CSV, and which of its columns holds the request ids (or the key field's values). */
async function askLabels(log: vscode.Uri): Promise<{ file: string; id: string } | undefined> {
  const csv = await pickCsv(undefined, `Labels for ${path.basename(log.fsPath)}`, 'Pick the CSV of outcomes (a request id column and the label)');
  if (!csv) return undefined;
  // The header only: the first line of the file.
  const fd = fs.openSync(csv.fsPath, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(65536);
    head = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0)).toString('utf8').split(/\r?\n/)[0];
  } finally {
    fs.closeSync(fd);
  }
  const columns = Papa.parse<string[]>(head).data[0] ?? [];
  const id = await vscode.window.showQuickPick(columns, { title: `Labels for ${path.basename(log.fsPath)}`, placeHolder: 'Which column holds the request ids (X-Request-Id) or the key field?' });
  return id ? { file: csv.fsPath, id } : undefined;
}
