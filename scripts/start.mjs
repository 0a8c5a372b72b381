// npm start: builds and packages the extension, installs it into a real VS Code (code-server on
// 127.0.0.1) over a sample workspace with a few datasets, prints the URL and runs until Ctrl-C.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer } from '../test/support/codeServer.mjs';
import { makeSampleWorkspace, ROOT, SAMPLE_SETTINGS } from '../test/support/workspace.mjs';

const port = Number(process.env.PORT || 8080);
execSync('npm run package', { cwd: ROOT, stdio: 'inherit' });
const workspace = path.join(ROOT, '.sample-workspace');
makeSampleWorkspace(workspace);
const userData = path.join(ROOT, '.vscode-test', 'user-data');
fs.mkdirSync(userData, { recursive: true });
const server = await startCodeServer({
  port, vsix: path.join(ROOT, 'dist', 'ml-workbench.vsix'), keepUserData: userData,
  settings: SAMPLE_SETTINGS, // the README first; the sample folder sits inside this clone (no git prompt)
});
const url = `${server.url}/?folder=${encodeURIComponent(workspace)}`;
console.log(`\nML Workbench is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser (forward port ${port} if this is a remote machine). Ctrl-C stops it.\n`);
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
await server.exited;
console.error(`code-server exited; its log: ${server.logFile}`);
process.exit(1);
