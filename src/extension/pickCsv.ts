import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * The CSV to act on: the Explorer or editor-title argument, else the active CSV editor, else one
 * the user picks from the workspace's CSV files (or browses to).
 */
export async function pickCsv(arg?: unknown, title = 'Profile CSV', placeHolder = 'Pick a CSV file to profile'): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && active.fsPath.toLowerCase().endsWith('.csv')) return active;
  const files = await vscode.workspace.findFiles('**/*.csv', '**/{node_modules,.git,mlruns}/**', 1000);
  const browse = '$(folder-opened) Browse…';
  type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
  const items: Item[] = files
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
    .map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)), uri }));
  items.push({ label: browse });
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true });
  if (!chosen) return undefined;
  if (chosen.uri) return chosen.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CSV files': ['csv', 'tsv', 'txt'] }, openLabel: 'Choose' });
  return picked?.[0];
}
