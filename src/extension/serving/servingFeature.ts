// Shipping a trained model from VS Code: "ML: Scaffold Serving…" writes a serving folder from a
// run (src/core/serving/scaffold.ts, in the job worker) and opens its README; "ML: Export Model as
// ONNX…" writes the pipeline as one .onnx file (src/core/serving/onnx.ts); "ML: Serve Model"
// starts this extension's own mlw serve on the run's bundle in a terminal, on a free port, and
// offers its /docs and a Try it panel (tryItPanel.ts). All are on the Experiments view's model runs and the results panel.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScaffoldResult } from '../../core/serving/scaffold';
import { SCAFFOLD_TARGETS, ScaffoldTarget } from '../../core/serving/targets';
import { COMMAND, CommandId, registerCommand } from '../commands';
import type { TryItField } from '../../../webview/contract';
import { ModelRun, pickModelRun } from '../experiments/pickModelRun';
import type { TrackedJobs } from '../jobs/trackedJob';
import { requireInsideWorkspace, requireTrust } from '../workspaceAccess';
import { TryItPanels } from './tryItPanel';

/** What a test or another extension may pass instead of answering the questions. */
export interface ScaffoldChoice {
  target?: ScaffoldTarget;
  out?: string;
}

const TARGETS: Record<ScaffoldTarget, { label: string; detail: string }> = {
  fastapi: { label: 'FastAPI + Docker', detail: 'app/main.py with a request model from the data, a NumPy runtime, a multi-stage Dockerfile, client and tests' },
  node: { label: 'Node (mlw serve) + Docker', detail: 'this extension\'s own server in a Node image: answers exactly as ML Workbench predicts' },
};

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'model';

/** A free TCP port from `from` up, on this machine's loopback. */
function freePort(from: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', () => (from < 65535 ? freePort(from + 1).then(resolve, reject) : reject(new Error('no free port'))));
    s.listen(from, '127.0.0.1', () => s.close(() => resolve(from)));
  });
}

export class ServingFeature {
  private readonly terminals = new Map<string, vscode.Terminal>();
  private readonly urls = new Map<string, string>();

  readonly panels: TryItPanels;

  constructor(private readonly context: vscode.ExtensionContext, private readonly jobs: TrackedJobs) {
    this.panels = new TryItPanels(context);
  }

  register(): void {
    const c = (id: CommandId, f: (...a: unknown[]) => unknown) => registerCommand(this.context, id, f);
    c(COMMAND.scaffoldServing, (arg, choice) => this.scaffold(arg, (choice ?? {}) as ScaffoldChoice));
    c(COMMAND.serveModel, (arg) => this.serve(arg));
    c(COMMAND.exportOnnx, (arg, out) => this.exportOnnx(arg, typeof out === 'string' ? out : undefined));
    this.context.subscriptions.push(vscode.window.onDidCloseTerminal((t) => {
      for (const [k, v] of this.terminals) if (v === t) this.terminals.delete(k);
    }));
  }

  /** Writes a serving folder for a run; returns what it wrote (tests read it), or undefined when dismissed. */
  async scaffold(arg: unknown, choice: ScaffoldChoice = {}): Promise<ScaffoldResult | undefined> {
    requireTrust('Scaffolding a model server');
    const model = await pickModelRun(arg, 'Scaffold Serving');
    if (!model) return undefined;
    requireInsideWorkspace(model.bundle, 'the model bundle');
    const target = choice.target ?? (await vscode.window.showQuickPick(SCAFFOLD_TARGETS.map((t) => ({ ...TARGETS[t], value: t })), { title: `Scaffold Serving: ${model.name}`, placeHolder: 'What to write' }))?.value;
    if (!target) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(model.bundle)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('open a folder first: the scaffold is written into it');
    const suggested = path.join(folder.uri.fsPath, 'serving', `${slug(model.name)}-${target}`);
    const out = choice.out ?? (await vscode.window.showInputBox({ title: `Scaffold Serving: ${model.name}`, prompt: 'Folder to write (inside the workspace)', value: suggested, valueSelection: [suggested.length, suggested.length], ignoreFocusOut: true }));
    if (!out) return undefined;
    requireInsideWorkspace(out, 'the scaffold folder');
    let force = false;
    if (fs.existsSync(out) && fs.readdirSync(out).length) {
      const replace = await vscode.window.showWarningMessage(`${out} already holds files. Replace the files the scaffold writes there (others are left alone)?`, { modal: true }, 'Replace');
      if (replace !== 'Replace') return undefined;
      force = true;
    }
    const result = await this.jobs.run(`Scaffolding ${TARGETS[target].label} for ${model.name}`, () => ({ type: 'scaffold', bundle: model.bundle, target, out, force }), undefined);
    if (result?.type !== 'scaffold') return undefined;
    void vscode.window.showTextDocument(vscode.Uri.file(path.join(out, 'README.md')), { preview: false });
    void vscode.window.showInformationMessage(`ML Workbench: wrote ${result.result.files.length} files to ${path.relative(folder.uri.fsPath, out) || out}`, 'Reveal in Explorer').then((a) => a && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(out)));
    return result.result;
  }

  /** Writes a run's pipeline as one ONNX file (asked where, or `out`); returns its path, or undefined when dismissed. */
  async exportOnnx(arg: unknown, out?: string): Promise<{ out: string; inputs: { name: string; type: string }[] } | undefined> {
    requireTrust('Exporting a model');
    const model = await pickModelRun(arg, 'Export Model as ONNX');
    if (!model) return undefined;
    requireInsideWorkspace(model.bundle, 'the model bundle');
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(model.bundle)) ?? vscode.workspace.workspaceFolders?.[0];
    const target = out ?? (await vscode.window.showSaveDialog({ title: `Export ${model.name} as ONNX`, defaultUri: vscode.Uri.file(path.join(folder?.uri.fsPath ?? path.dirname(model.bundle), `${slug(model.name)}.onnx`)), filters: { ONNX: ['onnx'] } }))?.fsPath;
    if (!target) return undefined;
    requireInsideWorkspace(target, 'the ONNX file');
    // The save dialog asked before replacing; a path given by a caller is never written over.
    const result = await this.jobs.run(`Exporting ${model.name} as ONNX`, () => ({ type: 'exportOnnx', bundle: model.bundle, out: target, replace: out === undefined }), undefined);
    if (result?.type !== 'exportOnnx') return undefined;
    void vscode.window.showInformationMessage(`ML Workbench: wrote ${path.basename(target)}: inputs ${result.inputs.map((i) => `${i.name} (${i.type})`).join(', ')}`, 'Reveal in Explorer').then((a) => a && vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target)));
    return { out: target, inputs: result.inputs };
  }

  /** Starts mlw serve on a run's bundle in a terminal; returns its address once it answers /readyz. */
  async serve(arg: unknown): Promise<{ url: string; runId: string } | undefined> {
    requireTrust('Serving a model');
    const model = await pickModelRun(arg, 'Serve Model');
    if (!model) return undefined;
    requireInsideWorkspace(model.bundle, 'the model bundle');
    this.stop(model.runId);
    const port = await freePort(8000);
    const url = `http://127.0.0.1:${port}`;
    const cli = path.join(this.context.extensionPath, 'dist', 'cli.js');
    // The extension host's own runtime runs mlw (Electron as Node in desktop VS Code).
    const terminal = vscode.window.createTerminal({ name: `mlw serve: ${model.name}`, shellPath: process.execPath, shellArgs: [cli, 'serve', model.bundle, '--port', String(port)], env: { ELECTRON_RUN_AS_NODE: '1' } });
    this.terminals.set(model.runId, terminal);
    this.urls.set(model.runId, url);
    terminal.show(true);
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${url}/readyz`)).ok) {
          void vscode.window.showInformationMessage(`ML Workbench: serving ${model.name} on ${url}`, 'Open API docs').then((a) => a && vscode.env.openExternal(vscode.Uri.parse(`${url}/docs`)));
          await this.tryIt(url, model);
          return { url, runId: model.runId };
        }
      } catch {
        // not listening yet
      }
      if (terminal.exitStatus) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`mlw serve did not start for ${model.name}; its terminal says why`);
  }

  /** Opens the Try it panel on a running server: its schema from /metadata, a training row from the job worker. */
  private async tryIt(url: string, model: ModelRun): Promise<void> {
    const meta = (await (await fetch(`${url}/metadata`)).json()) as { model: { name: string; version: string; runId?: string }; input: TryItField[]; classes: string[] | null };
    const example = await this.jobs.run(`Reading a row for ${model.name}`, () => ({ type: 'servingExample', bundle: model.bundle }), undefined, { quiet: true, inStatusBar: true });
    if (example?.type !== 'servingExample') return;
    this.panels.show({ url, model: meta.model, fields: meta.input, example: example.row, ...(meta.classes ? { classes: meta.classes } : {}) }, model.name);
  }

  /** Stops the server of a run started here (tests, and closing the panel's run). */
  stop(runId: string): void {
    this.terminals.get(runId)?.dispose();
    this.terminals.delete(runId);
    const url = this.urls.get(runId);
    if (url) this.panels.close(url);
    this.urls.delete(runId);
  }
}
