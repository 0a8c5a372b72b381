// One way to register a command, so that none fails silently: whatever it throws is shown to the
// user as "ML Workbench: <message>" and reported to listeners (tests read what a user would see).
// The ids are in commandIds.ts.
import * as vscode from 'vscode';
import { COMMAND, CommandId } from './commandIds';
import { JobFailed } from './jobs/runInWorker';

export { COMMAND };
export type { CommandId };

const errorShown = new vscode.EventEmitter<string>();
/** Each error message a command showed. */
export const commandErrors = errorShown.event;

/** Shows an error as every command does, once; a failed job has shown its own (with "Show Log"). */
export function showError(e: unknown): void {
  if (e instanceof JobFailed) return;
  const message = e instanceof Error ? e.message : String(e);
  errorShown.fire(message);
  void vscode.window.showErrorMessage(`ML Workbench: ${message}`);
}

/** Registers a command; whatever it throws is shown and it returns undefined. */
export function registerCommand(context: vscode.ExtensionContext, id: CommandId, run: (...args: unknown[]) => unknown): void {
  context.subscriptions.push(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      showError(e);
      return undefined;
    }
  }));
}
