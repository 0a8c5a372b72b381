// Runs test/integration inside the extension host of a real VS Code (code-server 4.100.3, VS Code
// 1.100.3) driven by headless Chromium; exits with mocha's failure count. Adapted from
// ../shared/vscode-harness/run-extension-tests.js: the workbench reads developmentOptions from
// its configuration element, and an init script adds the extension and the suite to it.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { startCodeServer, CHROMIUM, CHROMIUM_ARGS } from './support/codeServer.mjs';
import { makeTestWorkspace, ROOT } from './support/workspace.mjs';

const suite = path.join(ROOT, 'dist', 'test', 'integration', 'index.js');
if (!fs.existsSync(suite)) {
  console.error(`${suite} is missing: run "npm run build" first`);
  process.exit(2);
}
const workspace = makeTestWorkspace();
const limit = Number(process.env.TEST_TIMEOUT_MS || 300000);
const t0 = Date.now();
const server = await startCodeServer({ port: process.env.PORT || 8124 });
let browser;
let code = 1;
const timer = setTimeout(async () => {
  console.error(`integration tests: no result after ${limit / 1000} s`);
  await finish(124);
}, limit);

async function finish(c) {
  clearTimeout(timer);
  try { await browser?.close(); } catch {}
  await server.stop();
  console.log(`integration tests: exit code ${c} after ${((Date.now() - t0) / 1000).toFixed(1)} s${c ? ` (code-server log: ${server.logFile})` : ''}`);
  process.exit(c);
}

try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  let reportExit;
  const ended = new Promise((r) => (reportExit = r));
  await page.exposeFunction('codeAutomationLog', (_type, args) => console.log(...args));
  await page.exposeFunction('codeAutomationExit', (c) => reportExit(c));
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  if (process.env.SHOW_CONSOLE) page.on('console', (m) => console.log('[console]', m.text()));
  await page.addInitScript(({ dev, tests }) => {
    const original = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const value = original.call(this, name);
      if (name === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
        const config = JSON.parse(value);
        const uri = (p) => ({ scheme: 'vscode-remote', authority: location.host, path: p });
        config.developmentOptions = { ...(config.developmentOptions || {}), extensions: [uri(dev)], extensionTestsPath: uri(tests) };
        return JSON.stringify(config);
      }
      return value;
    };
  }, { dev: ROOT, tests: suite });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  code = await ended;
} catch (e) {
  console.error('integration tests failed to run:', e);
  code = 1;
}
await finish(code);
