// A UI test's workbench: the packaged .vsix installed into code-server over a fresh test workspace,
// opened in headless Chromium, ready once the extension's activity-bar entry shows (menus opened
// before that lack its items). Also the helpers every UI test uses.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startCodeServer, CHROMIUM, CHROMIUM_ARGS } from './codeServer.mjs';
import { makeSampleWorkspace, makeTestWorkspace, ROOT, SAMPLE_SETTINGS } from './workspace.mjs';

export const RESULTS = path.join(ROOT, 'test-results');
export const VSIX = path.join(ROOT, 'dist', 'ml-workbench.vsix');

/**
 * `sample`: the workspace and settings `npm start` opens, instead of the test workspace.
 * `prepare(workspace)`: more files for the workspace, written before the workbench opens.
 */
export async function openWorkbench(port, { sample = false, prepare } = {}) {
  assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run "npm run package"`);
  fs.mkdirSync(RESULTS, { recursive: true });
  const workspace = sample ? fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-sample-')) : makeTestWorkspace();
  if (sample) makeSampleWorkspace(workspace);
  if (prepare) await prepare(workspace);
  const server = await startCodeServer({ port, vsix: VSIX, settings: sample ? SAMPLE_SETTINGS : undefined });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.activitybar').getByRole('tab', { name: /ML Workbench/ }).waitFor({ timeout: 120000 });
  return {
    server, browser, page, workspace,
    /** The visible panel's content frame. */
    panel: () => page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame'),
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

/** Runs a palette command by its title, as a user types it after F1. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Developer: Reload Window, then wait for the extension to be back. */
export async function reloadWindow(page) {
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForEvent('load', { timeout: 60000 });
  await page.locator('.activitybar').getByRole('tab', { name: /ML Workbench/ }).waitFor({ timeout: 120000 });
}

/**
 * Right-click `target` → menu `item`, until `until(timeout)` resolves. A context menu is re-rendered
 * when the workbench's context keys change, so it is tried again then; hover then Enter, as a
 * click where the menu lies over a webview can reach the webview instead.
 */
export async function contextMenu(page, target, item, until) {
  for (let attempt = 1; ; attempt++) {
    await target.click({ button: 'right' });
    try {
      await page.getByRole('menuitem', { name: item }).hover({ timeout: 5000 });
      await page.keyboard.press('Enter');
      await until(10000);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}
