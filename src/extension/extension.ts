// Entry point: wires the feature folders to VS Code. Activation does no heavy work; every feature
// registers its commands and views, and training, tuning and profiling run in worker threads.
import * as vscode from 'vscode';
import { COMPARE_VIEW_TYPE, RUN_VIEW_TYPE } from '../../webview/contract';
import { ExperimentsProvider, registerExperimentsView } from './experiments/experimentsView';
import { COMMAND } from './commands';
import { questionAsked } from './training/askSpec';
import { registerRunCommands } from './experiments/runCommands';
import { registerProfileFeature } from './profile/profileFeature';
import { registerFeaturesFeature } from './features/featuresFeature';
import type { FeaturesPanels } from './features/featuresPanel';
import type { ProfilePanels } from './profile/profilePanel';
import { ComparePanels } from './results/comparePanels';
import { RunPanels } from './results/runPanels';
import { allStores } from './store';
import { TrackedJobs } from './jobs/trackedJob';
import { MonitoringFeature, registerMonitoringFeature } from './monitoring/monitoringFeature';
import { ServingFeature } from './serving/servingFeature';
import { TrainingFeature } from './training/trainingFeature';

/** What activate() returns; integration tests use it to read what the panels drew. */
/** Set by the bundle's first and last lines (scripts/build.mjs): when this file started and ended loading. */
declare const __mlwLoadStart: number | undefined;
declare let __mlwLoadEnd: number | undefined;

export interface MlWorkbenchApi {
  /**
   * Milliseconds to evaluate this bundle, from then until VS Code called activate(), and to run
   * activate(): what VS Code's activation time is made of.
   */
  timing: { loadMs: number; waitMs: number; activateMs: number };
  profiles: ProfilePanels;
  features: FeaturesPanels;
  runs: RunPanels;
  compare: ComparePanels;
  training: TrainingFeature;
  serving: ServingFeature;
  monitoring: MonitoringFeature;
  jobs: TrackedJobs;
  tree: ExperimentsProvider;
  /** Fires the title of each quick-pick question as it is asked. */
  questions: vscode.Event<string>;
}

export function activate(context: vscode.ExtensionContext): MlWorkbenchApi {
  const t0 = performance.now();
  const loaded = typeof __mlwLoadEnd === 'number' ? __mlwLoadEnd : NaN;
  const loadMs = typeof __mlwLoadStart === 'number' ? loaded - __mlwLoadStart : NaN;
  const log = vscode.window.createOutputChannel('ML Workbench');
  context.subscriptions.push(log);
  const jobs = new TrackedJobs(context.extensionPath, log);
  const profiles = registerProfileFeature(context, log, jobs);
  const features = registerFeaturesFeature(context, jobs);
  const { provider: tree } = registerExperimentsView(context);
  let training: TrainingFeature | undefined;
  const runs = new RunPanels(context, log, (m) => {
    if (m.type === 'openRun') runs.open(m.runId);
    else if (m.type === 'predict') void training?.predict(m.runId);
    else if (m.type === 'scaffold') void vscode.commands.executeCommand(COMMAND.scaffoldServing, m.runId);
    else if (m.type === 'serve') void vscode.commands.executeCommand(COMMAND.serveModel, m.runId);
    else if (m.type === 'exportOnnx') void vscode.commands.executeCommand(COMMAND.exportOnnx, m.runId);
    else if (m.type === 'revealArtifacts') void vscode.commands.executeCommand(COMMAND.revealArtifacts, m.runId);
    else if (m.type === 'compare') void vscode.commands.executeCommand(COMMAND.compareRuns, m.runIds);
  });
  const compare = new ComparePanels(context, (runId) => runs.open(runId));
  training = new TrainingFeature(context, jobs, runs, tree);
  training.register();
  const serving = new ServingFeature(context, jobs);
  serving.register();
  const monitoring = registerMonitoringFeature(context, jobs, runs, tree);
  registerRunCommands(context, runs, compare, tree);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(RUN_VIEW_TYPE, runs),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, compare),
  );
  // Runs a previous window left RUNNING (it crashed or was closed mid-job) become FAILED: after
  // activation, as it reads every run's meta.yaml.
  setTimeout(() => {
    for (const store of allStores()) {
      try {
        const failed = store.failAbandonedRuns();
        if (failed.length) {
          log.appendLine(`[store] ${store.root}: ${failed.length} abandoned run(s) marked FAILED: ${failed.join(', ')}`);
          tree.refresh(0);
        }
      } catch (e) {
        log.appendLine(`[store] ${store.root}: could not check for abandoned runs: ${(e as Error).message}`);
      }
    }
  }, 0);
  const timing = { loadMs, waitMs: t0 - loaded, activateMs: performance.now() - t0 };
  log.appendLine(`[activation] bundle evaluated in ${timing.loadMs.toFixed(1)} ms, activate() called ${timing.waitMs.toFixed(1)} ms later and took ${timing.activateMs.toFixed(1)} ms`);
  return { timing, profiles, features, runs, compare, training, serving, monitoring, jobs, tree, questions: questionAsked.event };
}

export function deactivate(): void {}
