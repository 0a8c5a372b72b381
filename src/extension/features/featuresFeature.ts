// The feature-engineering feature: "ML: Engineer Features…" (palette, a CSV's context menu, the
// profile panel) and its panel's serializer.
import * as vscode from 'vscode';
import { FEATURES_VIEW_TYPE } from '../../../webview/contract';
import { COMMAND, registerCommand } from '../commands';
import type { TrackedJobs } from '../jobs/trackedJob';
import { pickCsv } from '../pickCsv';
import { FeaturesPanels } from './featuresPanel';

export function registerFeaturesFeature(context: vscode.ExtensionContext, jobs: TrackedJobs): FeaturesPanels {
  const panels = new FeaturesPanels(context, jobs);
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(FEATURES_VIEW_TYPE, panels));
  registerCommand(context, COMMAND.engineerFeatures, async (arg?: unknown) => {
    const uri = await pickCsv(arg);
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a file on disk; open a folder that holds it.`);
    panels.open(uri);
    return uri.fsPath;
  });
  return panels;
}
