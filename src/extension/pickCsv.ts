// The file a command acts on: the Explorer or editor-title argument, else the active editor's file
// when it fits, else one the user picks from the workspace's matching files (or browses to).
import * as path from 'node:path';
import * as vscode from 'vscode';

export interface FileKind {
  /** The workspace files offered. */
  glob: string;
  /** Does a path fit (the active editor's file is taken if so)? */
  fits: (fsPath: string) => boolean;
  /** The browse dialog's filter. */
  filters: Record<string, string[]>;
}

const CSV: FileKind = { glob: '**/*.csv', fits: (p) => p.toLowerCase().endsWith('.csv'), filters: { 'CSV files': ['csv', 'tsv', 'txt'] } };

export async function pickFile(kind: FileKind, arg: unknown, title: string, placeHolder: string): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && kind.fits(active.fsPath)) return active;
  const files = await vscode.workspace.findFiles(kind.glob, '**/{node_modules,.git,mlruns}/**', 1000);
  const browse = '$(folder-opened) Browse…';
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = files
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
    .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri }));
  items.push({ label: browse });
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
  if (!chosen) return undefined;
  if (chosen.uri) return chosen.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: kind.filters, openLabel: 'Choose' });
  return picked?.[0];
}

/** The CSV to act on. */
export function pickCsv(arg?: unknown, title = 'Profile CSV', placeHolder = 'Pick a CSV file to profile'): Promise<vscode.Uri | undefined> {
  return pickFile(CSV, arg, title, placeHolder);
}
