// Entry point: wires the feature folders to VS Code. Activation does no work of its own; every
// feature registers its commands and views, and heavy work runs in worker threads.
import * as vscode from 'vscode';
import { registerExperimentsView } from './experiments/experimentsView';
import { registerProfileFeature } from './profile/profileFeature';
import type { ProfilePanels } from './profile/profilePanel';

/** What activate() returns; integration tests use it to read what the panels drew. */
export interface MlWorkbenchApi {
  profiles: ProfilePanels;
}

export function activate(context: vscode.ExtensionContext): MlWorkbenchApi {
  const log = vscode.window.createOutputChannel('ML Workbench');
  context.subscriptions.push(log);
  const profiles = registerProfileFeature(context, log);
  registerExperimentsView(context);
  return { profiles };
}

export function deactivate(): void {}
