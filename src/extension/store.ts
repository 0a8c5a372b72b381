// The workspace's experiment store: mlruns/ in the workspace folder that holds the data (or the
// first folder). One MlflowStore per folder, shared by the commands, the tree and the panels.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Experiment, MlflowStore, Run } from '../core/tracking/mlflowStore';

const stores = new Map<string, MlflowStore>();

export function storeRoot(near?: vscode.Uri): string | undefined {
  const folder = (near && vscode.workspace.getWorkspaceFolder(near)) ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  return folder ? path.join(folder.uri.fsPath, 'mlruns') : undefined;
}

export function storeAt(root: string): MlflowStore {
  let s = stores.get(root);
  if (!s) stores.set(root, (s = new MlflowStore(root)));
  return s;
}

export function workspaceStore(near?: vscode.Uri): MlflowStore | undefined {
  const root = storeRoot(near);
  return root ? storeAt(root) : undefined;
}

/** Every workspace folder's store (the tree shows them all). */
export function allStores(): MlflowStore[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => storeAt(path.join(f.uri.fsPath, 'mlruns')));
}

/** Finds the store that holds a run. */
export function storeOfRun(runId: string): MlflowStore | undefined {
  return allStores().find((s) => s.hasRun(runId));
}

/** Every active run in the workspace's stores, with its store and experiment (for the run pickers). */
export function workspaceRuns(): { store: MlflowStore; experiment: Experiment; run: Run }[] {
  return allStores().flatMap((store) => store.listExperiments().flatMap((experiment) => store.listRuns(experiment.id).map((run) => ({ store, experiment, run }))));
}
