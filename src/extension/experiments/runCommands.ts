// Commands on runs and experiments: Open Run (results panel), Compare Runs, Show History, Reveal
// Artifacts, Rename, Delete (after a confirmation; as MLflow: runs are marked deleted, experiments
// move to mlruns/.trash). From the Experiments view's context menu, the palette, or a panel's links.
import * as vscode from 'vscode';
import type { ComparePanels } from '../results/comparePanels';
import type { RunPanels } from '../results/runPanels';
import { allStores, storeOfRun, workspaceRuns } from '../store';
import type { ExperimentsProvider, Node } from './experimentsView';
import { headlineMetric } from '../../core/ml/task';
import { runIdOf, runIdsOf } from './runArgs';
import { COMMAND, CommandId, registerCommand } from '../commands';

async function pickRun(title: string, canPickMany: boolean): Promise<string[] | undefined> {
  type Item = vscode.QuickPickItem & { runId: string };
  const items: Item[] = workspaceRuns().map(({ experiment, run }) => {
    const metric = headlineMetric(run.metrics);
    return { label: run.runName, description: `${run.status}${metric ? ` · ${metric.key} ${metric.value.toFixed(4)}` : ''}`, detail: `${experiment.name} · ${new Date(run.startTime).toLocaleString()} · ${run.runId}`, runId: run.runId };
  });
  if (!items.length) {
    void vscode.window.showInformationMessage('ML Workbench: no runs in this workspace yet.', 'Train Models…').then((a) => a && vscode.commands.executeCommand(COMMAND.trainModels));
    return undefined;
  }
  if (canPickMany) {
    const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick 2 to 10 runs', canPickMany: true, matchOnDetail: true });
    return chosen?.map((c) => c.runId);
  }
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a run', matchOnDetail: true });
  return chosen ? [chosen.runId] : undefined;
}

function located(runId: string) {
  const store = storeOfRun(runId);
  if (!store) throw new Error(`run ${runId} is not in the workspace's mlruns/ folder`);
  return { store, run: store.getRun(runId) };
}

export function registerRunCommands(context: vscode.ExtensionContext, runs: RunPanels, compare: ComparePanels, tree: ExperimentsProvider): void {
  const c = (id: CommandId, f: (...a: unknown[]) => unknown) => registerCommand(context, id, f);

  const openRun = async (arg: unknown) => {
    const id = runIdOf(arg) ?? (await pickRun('Open Run', false))?.[0];
    if (!id) return undefined;
    located(id);
    runs.open(id);
    return id;
  };
  c(COMMAND.openRun, openRun);
  c(COMMAND.openResults, openRun); // the Experiments view's name for it

  c(COMMAND.compareRuns, async (arg, selected) => {
    let ids = runIdsOf(arg, selected);
    if (ids.length < 2) ids = (await pickRun('Compare Runs', true)) ?? [];
    if (ids.length < 2) {
      if (ids.length) void vscode.window.showInformationMessage('ML Workbench: pick at least two runs to compare (Ctrl/Cmd-click in the Experiments view).');
      return undefined;
    }
    ids.forEach(located);
    compare.compare(ids);
    return ids;
  });

  c(COMMAND.showHistory, async (arg) => {
    const n = arg as Node | undefined;
    let id = n?.type === 'experiment' ? n.experiment.id : typeof arg === 'string' ? arg : undefined;
    if (!id) {
      const items = allStores().flatMap((s) => s.listExperiments().map((e) => ({ label: e.name, description: `id ${e.id}`, id: e.id })));
      id = (await vscode.window.showQuickPick(items, { title: 'Experiment History', placeHolder: 'Pick an experiment' }))?.id;
    }
    if (id) compare.history(id);
    return id;
  });

  c(COMMAND.revealArtifacts, async (arg) => {
    const id = runIdOf(arg);
    if (!id) return;
    const { run } = located(id);
    const uri = vscode.Uri.file(run.artifactDir);
    // The Explorer when the folder is in the workspace, else the system's file manager.
    if (vscode.workspace.getWorkspaceFolder(uri)) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('revealFileInOS', uri);
  });

  c(COMMAND.renameRun, async (arg) => {
    const id = runIdOf(arg);
    if (!id) return;
    const { store, run } = located(id);
    const name = await vscode.window.showInputBox({ title: 'Rename Run', value: run.runName, validateInput: (v) => (v.trim() ? undefined : 'A run needs a name') });
    if (!name) return;
    store.renameRun(id, name.trim());
    tree.refresh(0);
    runs.refresh(id);
  });

  c(COMMAND.deleteRun, async (arg, selected) => {
    const ids = runIdsOf(arg, selected);
    if (!ids.length) return;
    const located_ = ids.map(located);
    const names = located_.map((l) => `"${l.run.runName}"`).join(', ');
    const answer = await vscode.window.showWarningMessage(`Delete ${ids.length === 1 ? `run ${names}` : `${ids.length} runs (${names})`}?`, { modal: true, detail: 'Runs are marked deleted, as MLflow does: MLflow\'s UI can restore them, and `mlflow gc` removes them for good. A session\'s model runs are deleted with it.' }, 'Delete');
    if (answer !== 'Delete') return;
    for (const { store, run } of located_) {
      for (const child of store.listRuns(run.experimentId).filter((r) => r.parentRunId === run.runId)) store.deleteRun(child.runId);
      store.deleteRun(run.runId);
    }
    tree.refresh(0);
  });

  c(COMMAND.deleteExperiment, async (arg) => {
    const n = arg as Node | undefined;
    if (n?.type !== 'experiment') return;
    const answer = await vscode.window.showWarningMessage(`Delete experiment "${n.experiment.name}" and its runs?`, { modal: true, detail: 'It moves to mlruns/.trash, as MLflow does; `mlflow experiments restore` can bring it back.' }, 'Delete');
    if (answer !== 'Delete') return;
    n.store.deleteExperiment(n.experiment.id);
    tree.refresh(0);
  });
}
