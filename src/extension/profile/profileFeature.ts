// The profile feature: its command and its panel serializer.
import * as vscode from 'vscode';
import { PROFILE_VIEW_TYPE } from '../../../webview/contract';
import { COMMAND, registerCommand } from '../commands';
import { pickCsv } from '../pickCsv';
import type { TrackedJobs } from '../jobs/trackedJob';
import { ProfilePanels } from './profilePanel';

export function registerProfileFeature(context: vscode.ExtensionContext, log: vscode.OutputChannel, jobs: TrackedJobs): ProfilePanels {
  const panels = new ProfilePanels(context, log, jobs);
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(PROFILE_VIEW_TYPE, panels));
  registerCommand(context, COMMAND.profileCsv, async (arg?: unknown) => {
    const uri = await pickCsv(arg);
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a file on disk; open a folder that holds it.`);
    return panels.open(uri).file;
  });
  return panels;
}
