// "ML: Check Data Drift…" (a CSV's context menu, the palette): the CSV is the current data; the
// reference is a trained model (the sample its bundle keeps) or another CSV. The check runs in the
// job worker (src/core/monitoring/check.ts), is recorded as a run in the workspace's mlruns/ (the
// Experiments view shows it), and the drift panel (driftPanel.ts) shows the report, with a way to
// the run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runBundleFile } from '../../core/workflow/bundle';
import { COMMAND, registerCommand } from '../commands';
import { csvOptions } from '../config';
import { DriftPanels } from './driftPanel';
import type { ExperimentsProvider } from '../experiments/experimentsView';
import type { TrackedJobs } from '../jobs/trackedJob';
import { pickCsv } from '../pickCsv';
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
    drift.show(report, runId);
    const r: DriftCheckResult = { datasetDrift: report.datasetDrift, drifted: report.columns.filter((c) => c.drifted).map((c) => c.name), columns: report.columns.length, ...(runId ? { runId } : {}) };
    const open = (a?: string) => a && runId && runs.open(runId);
    if (r.datasetDrift) void vscode.window.showWarningMessage(`ML Workbench: ${path.basename(current.fsPath)} drifted: ${r.drifted.length} of ${r.columns} columns (${r.drifted.join(', ')})`, 'Open run').then(open);
    else void vscode.window.showInformationMessage(`ML Workbench: no dataset drift in ${path.basename(current.fsPath)}: ${r.drifted.length} of ${r.columns} columns drifted${r.drifted.length ? ` (${r.drifted.join(', ')})` : ''}`, 'Open run').then(open);
    return r;
  });
  return { drift };
}
