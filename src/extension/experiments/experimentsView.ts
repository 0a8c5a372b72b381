// The Experiments view: experiments, then runs (a session's models and a search's candidates
// under it) with a status icon, model, primary metric and relative time; tooltips with params and
// metrics. It reads the workspace's mlruns/ folders through the store (runs MLflow wrote included)
// and refreshes when they change on disk. While there are none, the welcome view shows.
import * as vscode from 'vscode';
import { headlineMetric } from '../../core/ml/task';
import type { DamagedEntry, Experiment, MlflowStore, Run, RunStatus } from '../../core/tracking/mlflowStore';
import { allStores } from '../store';
import { TAG } from '../../core/tracking/tags';
import { COMMAND, registerCommand } from '../commands';

export type Node =
  | { type: 'experiment'; store: MlflowStore; experiment: Experiment }
  | { type: 'run'; store: MlflowStore; run: Run; children: Run[] }
  /** A folder that should be an experiment or run and cannot be read: listed, never left out. */
  | { type: 'damaged'; store: MlflowStore; entry: DamagedEntry };

const STATUS_ICON: Record<RunStatus, [string, string]> = {
  RUNNING: ['sync~spin', 'charts.blue'],
  SCHEDULED: ['clock', 'charts.blue'],
  FINISHED: ['pass', 'charts.green'],
  FAILED: ['error', 'charts.red'],
  KILLED: ['circle-slash', 'charts.orange'],
};


export function relativeTime(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  const units: [number, string][] = [[60, 'min'], [3600, 'h'], [86400, 'd'], [86400 * 30, 'mo'], [86400 * 365, 'y']];
  let best = units[0];
  for (const u of units) if (s >= u[0]) best = u;
  return `${Math.floor(s / best[0])} ${best[1]} ago`;
}


function tooltip(run: Run): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(run.runName)}** · ${run.status}\n\n`);
  md.appendMarkdown(`Run \`${run.runId}\`, started ${new Date(run.startTime).toLocaleString()}\n\n`);
  const rows = (title: string, kv: Record<string, string | number>) => {
    const keys = Object.keys(kv).sort();
    if (!keys.length) return;
    md.appendMarkdown(`| ${title} | |\n|---|---|\n`);
    for (const k of keys.slice(0, 25)) md.appendMarkdown(`| ${escape(k)} | ${escape(typeof kv[k] === 'number' ? fmt(kv[k] as number) : String(kv[k]).slice(0, 80))} |\n`);
    if (keys.length > 25) md.appendMarkdown(`| … ${keys.length - 25} more | |\n`);
    md.appendMarkdown('\n');
  };
  rows('Metric', run.metrics);
  rows('Param', run.params);
  if (run.tags[TAG.error]) md.appendMarkdown(`Error: ${escape(run.tags[TAG.error])}\n`);
  return md;
}

const escape = (s: string) => s.replace(/[|\\`*_{}[\]<>]/g, (c) => `\\${c}`);
const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(4));

export class ExperimentsProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;

  /** Refreshes soon, once for a burst of changes (a training session writes many files). */
  refresh(delay = 300): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), delay);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.type === 'damaged') {
      const { entry } = n;
      const item = new vscode.TreeItem(`Damaged ${entry.kind}: ${entry.dir.split(/[\\/]/).slice(-2).join('/')}`, vscode.TreeItemCollapsibleState.None);
      item.id = `damaged:${entry.dir}`;
      item.description = entry.problem;
      item.tooltip = `${entry.dir}\n${entry.problem}.\nTo repair it: ${entry.fix}.`;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'damaged';
      item.command = { command: 'revealInExplorer', title: 'Reveal in Explorer', arguments: [vscode.Uri.file(entry.dir)] };
      return item;
    }
    if (n.type === 'experiment') {
      const item = new vscode.TreeItem(n.experiment.name, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `exp:${n.store.root}:${n.experiment.id}`;
      item.description = `id ${n.experiment.id}`;
      item.tooltip = `${n.experiment.name}\nexperiment ${n.experiment.id} in ${n.store.root}`;
      item.iconPath = new vscode.ThemeIcon('beaker');
      item.contextValue = 'experiment';
      return item;
    }
    const { run } = n;
    const item = new vscode.TreeItem(run.runName, n.children.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `run:${run.runId}`;
    const [icon, color] = STATUS_ICON[run.status];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    const p = headlineMetric(run.metrics);
    const model = run.tags[TAG.model];
    // The metric first: a narrow sidebar cuts the end of the description ("accuracy 0…").
    item.description = [p ? `${p.key.replace(/^best_(cv_)?/, '')} ${fmt(p.value)}` : run.status !== 'FINISHED' ? run.status.toLowerCase() : undefined, model && run.tags[TAG.kind] === 'model' ? model : undefined, relativeTime(run.startTime)].filter(Boolean).join(' · ');
    item.tooltip = tooltip(run);
    const hasBundle = run.tags[TAG.kind] === 'model' || run.tags[TAG.kind] === 'tuning';
    item.contextValue = hasBundle && run.status === 'FINISHED' ? 'run.model' : 'run';
    item.command = { command: COMMAND.openRun, title: 'Open Results', arguments: [n] };
    item.accessibilityInformation = { label: `${run.runName}, ${run.status}, ${item.description}` };
    return item;
  }

  getChildren(n?: Node): Node[] {
    if (!n) {
      return allStores().flatMap((store): Node[] => [
        ...store.listExperiments().map((experiment) => ({ type: 'experiment' as const, store, experiment })),
        ...store.listDamaged().map((entry) => ({ type: 'damaged' as const, store, entry })),
      ]);
    }
    if (n.type === 'damaged') return [];
    if (n.type === 'run') return n.children.map((run) => ({ type: 'run', store: n.store, run, children: [] }));
    let runs: Run[];
    try {
      runs = n.store.listRuns(n.experiment.id);
    } catch {
      return [];
    }
    const ids = new Set(runs.map((r) => r.runId));
    const top = runs.filter((r) => !r.parentRunId || !ids.has(r.parentRunId));
    const childrenOf = (id: string) => runs.filter((r) => r.parentRunId === id).sort((a, b) => a.startTime - b.startTime);
    // Grandchildren (MLflow's nested runs) are flattened under their top-level ancestor.
    const descendants = (id: string): Run[] => childrenOf(id).flatMap((c) => [c, ...descendants(c.runId)]);
    return top.map((run) => ({ type: 'run', store: n.store, run, children: descendants(run.runId) }));
  }

  getParent(): undefined {
    return undefined;
  }
}

export function registerExperimentsView(context: vscode.ExtensionContext): { provider: ExperimentsProvider; view: vscode.TreeView<Node> } {
  const provider = new ExperimentsProvider();
  const view = vscode.window.createTreeView('mlWorkbench.experiments', { treeDataProvider: provider, showCollapseAll: true, canSelectMany: true });
  const watcher = vscode.workspace.createFileSystemWatcher('**/mlruns/**');
  registerCommand(context, COMMAND.refreshExperiments, () => provider.refresh(0));
  context.subscriptions.push(
    view,
    watcher,
    watcher.onDidCreate(() => provider.refresh()),
    watcher.onDidDelete(() => provider.refresh()),
    watcher.onDidChange(() => provider.refresh()),
  );
  return { provider, view };
}
