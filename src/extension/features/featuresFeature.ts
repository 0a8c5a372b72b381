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
  // The Explorer passes (uri, selected uris); the profile panel (uri, { steps, target }) with the
  // alerts' suggested steps and its target.
  registerCommand(context, COMMAND.engineerFeatures, async (arg?: unknown, start?: unknown) => {
    const uri = await pickCsv(arg);
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a file on disk; open a folder that holds it.`);
    const o = start && typeof start === 'object' && !Array.isArray(start) ? (start as { steps?: unknown; target?: unknown }) : {};
    const steps = Array.isArray(o.steps) ? o.steps.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object' && typeof (s as { type?: unknown }).type === 'string') : [];
    panels.open(uri, steps, typeof o.target === 'string' ? o.target : undefined);
    return uri.fsPath;
  });
  return panels;
}
