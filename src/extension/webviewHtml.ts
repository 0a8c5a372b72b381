import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/**
 * Our panels' webview options: scripts on, only media/ loadable. Result panels are retained when
 * hidden so that their charts need not be drawn again.
 */
export function panelOptions(extensionUri: vscode.Uri, retainContextWhenHidden = false): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, retainContextWhenHidden, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** Gives a panel our icon and the page of its webview entry. */
export function setPanelPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, entry: string, title: string, stylesheet = entry): void {
  panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity.svg');
  panel.webview.html = webviewHtml(panel.webview, extensionUri, entry, title, stylesheet);
}

/**
 * The page of a panel: a strict Content-Security-Policy (only this extension's files, scripts only
 * with a fresh nonce, no inline styles, nothing remote) around a root element.
 */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: string, title: string, stylesheet = entry): string {
  const nonce = crypto.randomBytes(18).toString('base64');
  const media = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...p));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('base.css')}">
<link rel="stylesheet" href="${media(`${stylesheet}.css`)}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="root" aria-live="polite"></main>
<script nonce="${nonce}" src="${media('webview', `${entry}.js`)}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
