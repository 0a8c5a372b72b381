// npm start: builds and packages the extension, installs it into a real VS Code (code-server on
// 127.0.0.1) over a sample workspace with a few datasets, prints the URL and runs until Ctrl-C.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer } from '../test/support/codeServer.mjs';
import { copyDatasets, ROOT } from '../test/support/workspace.mjs';

const port = Number(process.env.PORT || 8080);
execSync('npm run package', { cwd: ROOT, stdio: 'inherit' });
const workspace = path.join(ROOT, '.sample-workspace');
const copied = copyDatasets(workspace);
fs.writeFileSync(path.join(workspace, 'README.md'), [
  '# ML Workbench sample workspace', '',
  'Right-click a CSV in `data/` and choose **ML: Profile CSV** or **ML: Train Models…**; runs appear in the ML Workbench view in the activity bar.', '',
  '`titanic.mlrun.json` is a run spec: right-click it → **ML: Train Models…** to repeat that run (the editor completes its fields).', '',
  `Datasets here: ${copied.join(', ')} (copied from ../shared/datasets or test/fixtures/data).`, '',
].join('\n'));
// A run spec to repeat and commit; written once, so the user's edits survive restarts.
const spec = path.join(workspace, 'titanic.mlrun.json');
if (!fs.existsSync(spec) && copied.includes('titanic_survival.csv')) {
  fs.writeFileSync(spec, JSON.stringify({ $schema: '../schemas/run-spec.schema.json', kind: 'train', data: 'data/titanic_survival.csv', target: 'survived', drop: ['name'], models: ['lr', 'rf', 'svm', 'mlp'], testSize: 0.2, cv: 5, seed: 42 }, null, 2) + '\n');
}
const userData = path.join(ROOT, '.vscode-test', 'user-data');
fs.mkdirSync(userData, { recursive: true });
const server = await startCodeServer({
  port, vsix: path.join(ROOT, 'dist', 'ml-workbench.vsix'), keepUserData: userData,
  settings: { 'git.openRepositoryInParentFolders': 'never' }, // the sample folder sits inside this clone
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
