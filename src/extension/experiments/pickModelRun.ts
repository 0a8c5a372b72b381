// The model a command acts on: the run passed in (a tree node, a run id from a panel or a test),
// else one the user picks from the workspace's finished runs that saved a model bundle. Evaluate,
// predict, scaffold and serve all ask it this way.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { headlineMetric } from '../../core/ml/task';
import { runBundleFile } from '../../core/workflow/bundlePaths';
import { COMMAND } from '../commandIds';
import { storeOfRun, workspaceRuns } from '../store';
import { runIdOf } from './runArgs';

export interface ModelRun {
  bundle: string;
  store: string;
  name: string;
  runId: string;
}

export async function pickModelRun(arg: unknown, title: string): Promise<ModelRun | undefined> {
  const id = runIdOf(arg);
  if (id) {
    const store = storeOfRun(id);
    if (!store) throw new Error(`run ${id} is not in the workspace's mlruns/ folder`);
    const run = store.getRun(id);
    const bundle = runBundleFile(run.artifactDir);
    if (!fs.existsSync(bundle)) throw new Error(`run "${run.runName}" (${id}) has no model bundle; pick a model run of a training session or a tuning search`);
    return { bundle, store: store.root, name: run.runName, runId: id };
  }
  type Item = vscode.QuickPickItem & ModelRun;
  const items: Item[] = [];
  for (const { store, experiment, run } of workspaceRuns()) {
    const bundle = runBundleFile(run.artifactDir);
    if (run.status !== 'FINISHED' || !fs.existsSync(bundle)) continue;
    const metric = headlineMetric(run.metrics);
    items.push({ label: run.runName, description: metric ? `${metric.key} ${metric.value.toFixed(4)}` : '', detail: `${experiment.name} · ${new Date(run.startTime).toLocaleString()}`, bundle, store: store.root, name: run.runName, runId: run.runId });
  }
  if (!items.length) {
    void vscode.window.showInformationMessage('ML Workbench: no trained models in this workspace yet. Train some first.', 'Train Models…').then((a) => a && vscode.commands.executeCommand(COMMAND.trainModels));
    return undefined;
  }
  return vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a trained model', matchOnDetail: true });
}
