// The Experiments view in the ML Workbench sidebar. Runs are tracked in the workspace's mlruns/
// folder (MLflow's layout); this view lists its experiments, and shows the welcome content (with
// "Profile a CSV") while there are none.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface ExperimentItem {
  id: string;
  name: string;
  folder: string;
}

/** Experiment names from mlruns/<id>/meta.yaml (the `name:` line), skipping .trash. */
function readExperiments(root: string): ExperimentItem[] {
  const mlruns = path.join(root, 'mlruns');
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(mlruns, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: ExperimentItem[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    try {
      const meta = fs.readFileSync(path.join(mlruns, e.name, 'meta.yaml'), 'utf8');
      const name = /^name:\s*(.*)$/m.exec(meta)?.[1]?.replace(/^['"]|['"]$/g, '') ?? e.name;
      out.push({ id: e.name, name, folder: path.join(mlruns, e.name) });
    } catch {
      // not an experiment folder (no meta.yaml)
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export class ExperimentsProvider implements vscode.TreeDataProvider<ExperimentItem> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(e: ExperimentItem): vscode.TreeItem {
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    item.id = e.folder;
    item.description = `id ${e.id}`;
    item.tooltip = e.folder;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.resourceUri = vscode.Uri.file(e.folder);
    return item;
  }

  getChildren(): ExperimentItem[] {
    return (vscode.workspace.workspaceFolders ?? []).flatMap((f) => (f.uri.scheme === 'file' ? readExperiments(f.uri.fsPath) : []));
  }
}

export function registerExperimentsView(context: vscode.ExtensionContext): ExperimentsProvider {
  const provider = new ExperimentsProvider();
  const watcher = vscode.workspace.createFileSystemWatcher('**/mlruns/*/meta.yaml');
  context.subscriptions.push(
    vscode.window.createTreeView('mlWorkbench.experiments', { treeDataProvider: provider, showCollapseAll: false }),
    vscode.commands.registerCommand('mlWorkbench.refreshExperiments', () => provider.refresh()),
    watcher,
    watcher.onDidCreate(() => provider.refresh()),
    watcher.onDidDelete(() => provider.refresh()),
    watcher.onDidChange(() => provider.refresh()),
  );
  return provider;
}
