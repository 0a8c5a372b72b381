// What `npm start` shows first: the sample workspace's README, which says what to try, in the
// workbench with the extension ready (a newcomer once met an empty editor and a collapsed folder).
import assert from 'node:assert/strict';
import path from 'node:path';
import { openWorkbench, RESULTS as results } from '../support/workbench.mjs';

describe('npm start: the first screen', function () {
  let wb;

  before(async function () {
    wb = await openWorkbench(process.env.UI_PORT || 8125, { sample: true });
  });

  after(async function () {
    await wb?.close();
  });

  it('opens the sample README with the steps to try', async function () {
    const { page } = wb;
    // The README opens as a Markdown preview, a webview.
    await page.locator('.tabs-container .tab', { hasText: 'README.md' }).first().waitFor({ timeout: 60000 });
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await preview.getByText('Things to try, in order:').waitFor({ timeout: 30000 });
    assert.match(await preview.locator('body').innerText(), /Explore: in the Explorer, open data\/, right-click titanic_survival\.csv → ML: Profile CSV/);
    await page.screenshot({ path: path.join(results, 'start-first-screen.png') });
  });
});
