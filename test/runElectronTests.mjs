// For contributors with desktop VS Code: the same integration suite through @vscode/test-electron.
// It downloads VS Code on first use, so CI (which has no route to that download) never runs it;
// CI uses test/runExtensionTests.mjs (code-server) instead.
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeTestWorkspace, ROOT } from './support/workspace.mjs';

const workspace = makeTestWorkspace();
try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'dist', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error('integration tests in desktop VS Code failed:', e);
  process.exit(1);
}
