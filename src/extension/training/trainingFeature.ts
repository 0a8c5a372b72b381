// The training feature: "ML: Train Models…", "ML: Tune Hyperparameters…", "ML: Evaluate Model…"
// and "ML: Predict with Model…". Each gathers its inputs (quick picks, a run spec file, or the
// run chosen in the Experiments view), runs the engine in a worker thread (trackedJob.ts) and
// opens the results panel, live while a session trains.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSpecFile, RunSpec, TrainSpec } from '../../core/workflow/spec';
import type { TrainResult } from '../../core/workflow/train';
import type { TuneResult } from '../../core/workflow/tune';
import type { EvaluateResult, PredictResult } from '../../core/workflow/predict';
import { csvOptions } from '../config';
import type { ExperimentsProvider } from '../experiments/experimentsView';
import { pickCsv } from '../pickCsv';
import type { RunPanels } from '../results/runPanels';
import { storeRoot } from '../store';
import { askTrainSpec, askTuneSpec, confirmLeaks } from './askSpec';
import { TrackedJobs } from '../jobs/trackedJob';
import { COMMAND, CommandId, commandErrors, registerCommand, showError } from '../commands';
import { pickModelRun } from '../experiments/pickModelRun';
import { requireInsideWorkspace, requireTrust } from '../workspaceAccess';


const isSpecFile = (uri: vscode.Uri) => /\.json$/i.test(uri.fsPath);

/** A path for new output beside the input that never overwrites a file. */
export function freshPath(dir: string, base: string, ext: string): string {
  let p = path.join(dir, `${base}${ext}`);
  for (let i = 2; fs.existsSync(p); i++) p = path.join(dir, `${base}-${i}${ext}`);
  return p;
}

export class TrainingFeature {
  /** Each error message a command shows (tests read what a user would see). */
  readonly errors = commandErrors;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly jobs: TrackedJobs,
    private readonly runs: RunPanels,
    private readonly tree: ExperimentsProvider,
  ) {}

  register(): void {
    const c = (id: CommandId, f: (...a: unknown[]) => unknown) => registerCommand(this.context, id, f);
    c(COMMAND.trainModels, (arg) => this.train(arg));
    c(COMMAND.tuneHyperparameters, (arg) => this.tune(arg));
    // From the Explorer the argument is the CSV; from the tree, a panel or a test, the run (then optionally the CSV).
    const csvAndRun = (arg: unknown, second: unknown): [unknown, vscode.Uri | undefined] =>
      arg instanceof vscode.Uri ? [undefined, arg] : [arg, second instanceof vscode.Uri ? second : undefined];
    c(COMMAND.evaluateModel, (arg, second) => this.evaluate(...csvAndRun(arg, second)));
    c(COMMAND.predictWithModel, (arg, second) => this.predict(...csvAndRun(arg, second)));
    c(COMMAND.cancelJobs, () => this.jobs.cancelAll());
  }

  /** The spec to run: from a spec file (argument or active editor), else asked by quick picks. */
  private async spec(arg: unknown, kind: 'train' | 'tune'): Promise<RunSpec | undefined> {
    const got = await this.specFrom(arg, kind);
    return got?.asked && got.spec.kind === 'train' ? this.checkLeaks(got.spec) : got?.spec;
  }

  /**
   * Runs the leakage checks of a spec asked by quick picks (in the worker, with progress) and, when
   * they find something, asks whether to drop the columns behind it. A spec file runs as written.
   */
  private async checkLeaks(spec: TrainSpec): Promise<TrainSpec | undefined> {
    const result = await this.jobs.run(`Checking ${path.basename(spec.data)} for leakage`, () => ({ type: 'check', spec, csv: csvOptions(vscode.Uri.file(spec.data)) }), undefined, { inStatusBar: true });
    if (result?.type !== 'check') return undefined;
    return result.leakage.length ? confirmLeaks(spec, result.leakage, result) : spec;
  }

  /** Where the spec comes from: a spec file (argument or active editor), or quick picks (asked). */
  private async specFrom(arg: unknown, kind: 'train' | 'tune'): Promise<{ spec: RunSpec; asked: boolean } | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const specUri = arg instanceof vscode.Uri && isSpecFile(arg) ? arg : !arg && active && /\.mlrun\.json$/i.test(active.fsPath) ? active : undefined;
    if (specUri) {
      requireInsideWorkspace(specUri.fsPath, 'the run spec');
      const spec = readSpecFile(specUri.fsPath);
      if (spec.kind !== kind) throw new Error(`${specUri.fsPath} is a ${spec.kind} spec; run "ML: ${spec.kind === 'train' ? 'Train Models' : 'Tune Hyperparameters'}…" on it`);
      requireInsideWorkspace(spec.data, `${specUri.fsPath}: its data`);
      return { spec, asked: false };
    }
    const uri = await pickCsv(arg instanceof vscode.Uri ? arg : undefined, kind === 'train' ? 'Train Models' : 'Tune Hyperparameters', 'Pick the CSV file to learn from');
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error(`${uri.toString()} is not a file on disk; open a folder that holds it`);
    const spec = await (kind === 'train' ? askTrainSpec(this.context, uri) : askTuneSpec(this.context, uri));
    return spec && { spec, asked: true };
  }

  private store(spec: { data: string }): string {
    const root = storeRoot(vscode.Uri.file(spec.data));
    if (!root) throw new Error('open a folder first: runs are stored in its mlruns/ folder');
    return root;
  }

  /** Returns the session's result (tests read it), or undefined when dismissed or cancelled. */
  async train(arg?: unknown): Promise<TrainResult | undefined> {
    return this.guard(async () => {
      requireTrust('Training');
      const spec = await this.spec(arg, 'train');
      if (!spec || spec.kind !== 'train') return undefined;
      const store = this.store(spec);
      const name = path.basename(spec.data);
      // The panel opens as the command starts and says what it is doing until the session's run exists.
      const pending = this.runs.openPending(`Training on ${name}`, `Reading ${name}…`);
      let opened = false;
      const result = await this.jobs.run(`Training ${spec.models.join(', ')} on ${name}`, (sessionId) => ({ type: 'train', spec, store, sessionId, csv: csvOptions(vscode.Uri.file(spec.data)) }), store, {
        onStage: (stage) => pending.stage(stage),
        onEvent: (e) => {
          if (e.type === 'epoch') return this.runs.epoch(e.runId, e.log);
          this.tree.refresh();
          // The first run written is the session: the pending panel becomes its panel and fills in live.
          if (!opened) {
            opened = true;
            pending.adopt(e.runId);
          } else this.runs.refresh(e.runId);
        },
      }).finally(() => pending.dispose());
      if (result?.type !== 'train') return undefined;
      this.runs.refresh(result.result.parentRunId);
      this.runs.open(result.result.parentRunId);
      this.tree.refresh(0);
      const failed = result.result.results.filter((r) => r.status === 'FAILED');
      if (failed.length) void vscode.window.showWarningMessage(`ML Workbench: ${failed.map((f) => `${f.model} failed: ${f.error}`).join('; ')}`);
      return result.result;
    });
  }

  async tune(arg?: unknown): Promise<TuneResult | undefined> {
    return this.guard(async () => {
      requireTrust('Tuning');
      const spec = await this.spec(arg, 'tune');
      if (!spec || spec.kind !== 'tune') return undefined;
      const store = this.store(spec);
      const result = await this.jobs.run(`Tuning ${spec.model} on ${path.basename(spec.data)}`, (sessionId) => ({ type: 'tune', spec, store, sessionId, csv: csvOptions(vscode.Uri.file(spec.data)) }), store, {
        onEvent: () => this.tree.refresh(),
      });
      if (result?.type !== 'tune') return undefined;
      this.runs.open(result.result.parentRunId);
      this.tree.refresh(0);
      return result.result;
    });
  }

  /** Evaluate: a model run (tree, panel, or picked), then a labelled CSV. */
  async evaluate(arg?: unknown, csvArg?: vscode.Uri): Promise<EvaluateResult | undefined> {
    return this.guard(async () => {
      requireTrust('Evaluating a model');
      const chosen = await this.modelAndCsv(arg, csvArg, 'Evaluate Model', 'Pick a labelled CSV file to score the model on');
      if (!chosen) return undefined;
      const { model, csv } = chosen;
      const result = await this.jobs.run(`Evaluating ${model.name} on ${path.basename(csv.fsPath)}`, (sessionId) => ({ type: 'evaluate', bundle: model.bundle, file: csv.fsPath, store: model.store, sessionId, csv: csvOptions(csv) }), model.store);
      if (result?.type !== 'evaluate') return undefined;
      this.tree.refresh(0);
      for (const w of result.result.warnings) void vscode.window.showWarningMessage(`ML Workbench: ${w}`);
      if (result.result.runId) this.runs.open(result.result.runId);
      return result.result;
    });
  }

  /** Predict: a model run, then a CSV; writes <file>.predictions.csv beside it (never over a file). */
  async predict(arg?: unknown, csvArg?: vscode.Uri): Promise<PredictResult | undefined> {
    return this.guard(async () => {
      requireTrust('Predicting with a model');
      const chosen = await this.modelAndCsv(arg, csvArg, 'Predict with Model', 'Pick the CSV file to predict');
      if (!chosen) return undefined;
      const { model, csv } = chosen;
      const out = freshPath(path.dirname(csv.fsPath), `${path.basename(csv.fsPath).replace(/\.csv$/i, '')}.predictions`, '.csv');
      const result = await this.jobs.run(`Predicting ${path.basename(csv.fsPath)} with ${model.name}`, () => ({ type: 'predict', bundle: model.bundle, file: csv.fsPath, out, csv: csvOptions(csv) }), undefined);
      if (result?.type !== 'predict') return undefined;
      for (const w of result.result.warnings) void vscode.window.showWarningMessage(`ML Workbench: ${w}`);
      // The file opens beside the work (a toast's Open button was gone before it could be clicked);
      // the message stays in the notification centre with a way to find the file.
      void vscode.window.showTextDocument(vscode.Uri.file(out), { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
      void vscode.window.showInformationMessage(`ML Workbench: wrote ${result.result.rows} predictions to ${path.basename(out)}`, 'Reveal in Explorer').then((a) => a && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(out)));
      return result.result;
    });
  }

  /** What evaluate and predict act on: a model run, then a CSV (given, or picked); undefined when dismissed. */
  private async modelAndCsv(arg: unknown, csvArg: vscode.Uri | undefined, title: string, prompt: string) {
    const model = await pickModelRun(arg, title);
    if (model) requireInsideWorkspace(model.bundle, 'the model bundle');
    const csv = model && (csvArg ?? (await pickCsv(undefined, title, prompt)));
    return model && csv ? { model, csv } : undefined;
  }

  /** Shows an error for anything thrown before or around a job (once): direct calls (the results panel's buttons) go through here too. */
  private async guard<T>(f: () => Promise<T | undefined>): Promise<T | undefined> {
    try {
      return await f();
    } catch (e) {
      showError(e);
      return undefined;
    }
  }

}
