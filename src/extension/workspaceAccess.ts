// What the extension may read, and when. Run specs and model bundles are files from anywhere: a
// spec's data or a bundle resolves (links followed) inside the workspace folders only, so neither
// can point the extension at /etc/shadow. In an untrusted workspace (Restricted Mode) profiling a
// CSV is allowed; training, tuning, evaluating and predicting, which load and write models, are not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** Throws unless the workspace is trusted, saying how to trust it. */
export function requireTrust(what: string): void {
  if (vscode.workspace.isTrusted) return;
  throw new Error(`${what} runs in a trusted workspace only; this one is in Restricted Mode. Profiling works as it is; to ${what.toLowerCase()}, trust the folder (Workspaces: Manage Workspace Trust)`);
}

/** The workspace folders on disk, links resolved. */
function folderRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => {
    try {
      return fs.realpathSync(f.uri.fsPath);
    } catch {
      return f.uri.fsPath;
    }
  });
}

/**
 * Throws unless `file` (links followed) is inside a workspace folder: "<what> <file> is outside the
 * workspace folders". A missing file is judged by its path, and reading it then names the problem.
 */
export function requireInsideWorkspace(file: string, what: string): void {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    real = path.resolve(file);
  }
  const inside = folderRoots().some((root) => real === root || real.startsWith(root + path.sep));
  if (!inside) throw new Error(`${what} ${file}${real !== path.resolve(file) ? ` (a link to ${real})` : ''} is outside the workspace folders; ML Workbench reads run specs, their data and model bundles from the workspace only`);
}
