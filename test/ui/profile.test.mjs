// Drives the workbench as a person would: the packaged .vsix installed into a real VS Code
// (code-server) in headless Chromium; right-click a CSV, pick the menu item, read the panel,
// pick a target, open a column, reload the window, take screenshots (test-results/).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { contextMenu, openWorkbench, reloadWindow, RESULTS as results } from '../support/workbench.mjs';
import { ROOT } from '../support/workspace.mjs';

const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'pandas_profile.json'), 'utf8'));
const num = (s) => Number(String(s).replace(/,/g, ''));

describe('the profile panel, driven through the UI', function () {
  let wb, page, panel;

  before(async function () {
    wb = await openWorkbench(process.env.UI_PORT || 8125);
    page = wb.page;
    panel = wb.panel;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page.screenshot({ path: path.join(results, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
  });

  after(async function () {
    await wb?.close();
  });

  it('right-click titanic_survival.csv → Profile CSV shows pandas\' numbers', async function () {
    const explorer = page.locator('.explorer-folders-view');
    await explorer.getByRole('treeitem', { name: 'data' }).click();
    // Through the shared helper, which tries the menu again: a click on it once left the menu open
    // (the workbench re-rendered it) and every test after waited behind it.
    await contextMenu(page, explorer.getByRole('treeitem', { name: 'titanic_survival.csv' }), /Profile CSV/, (timeout) => panel().locator('.card[data-key="rows"]').waitFor({ timeout }));
    const rows = panel().locator('.card[data-key="rows"] .card-value');
    await rows.waitFor({ timeout: 60000 });
    const e = fixture.datasets['titanic_survival.csv'];
    assert.equal(num(await rows.textContent()), e.rows);
    const age = e.columns.find((c) => c.name === 'age');
    const mean = await panel().locator('tr[data-column="age"] td[data-label="mean"]').textContent();
    assert.ok(Math.abs(num(mean) - age.mean) < 1e-3, `mean shown ${mean}, pandas ${age.mean}`);
    const missing = await panel().locator('tr[data-column="age"] td[data-label="missing"]').textContent();
    assert.match(missing, /^263 \(20\.1%\)$/);
    const alerts = await panel().locator('.alerts li').allTextContents();
    assert.ok(alerts.some((a) => a.includes('many-missing')), alerts.join(' | '));
  });

  it('picking a target draws the class balance; a column opens with the keyboard', async function () {
    await panel().locator('select#target').selectOption('survived');
    const balance = panel().locator('#class-balance');
    await balance.waitFor({ timeout: 60000 });
    const text = await balance.textContent();
    assert.match(text, /no809/);
    assert.match(text, /yes500/);
    const row = panel().locator('tr[data-column="age"]');
    await row.focus();
    await row.press('Enter');
    await panel().locator('[data-chart="col-age"] canvas').waitFor({ timeout: 30000 });
    // titanic has one numeric column: the correlations heading says so instead of opening onto nothing.
    assert.match(await panel().locator('#correlations').textContent(), /^Correlations \(Pearson\): needs at least two numeric columns; this file has 1\.$/);
    await panel().locator('details#associations summary').click();
    await page.waitForTimeout(800); // let chart.js finish drawing before the picture
    await page.screenshot({ path: path.join(results, 'profile-panel.png') });
  });

  it('the panel comes back after reloading the window', async function () {
    // Through the command, as a user reloads: VS Code's shutdown then saves the open editors and
    // webview state (a raw page reload can beat the browser storage's asynchronous flush).
    await reloadWindow(page);
    const rows = panel().locator('.card[data-key="rows"] .card-value');
    // The serializer activates the extension after the window is up; the webview redraws its saved state.
    try {
      await rows.waitFor({ timeout: 60000 });
    } catch (e) {
      await page.screenshot({ path: path.join(results, 'after-reload-failed.png') });
      throw e;
    }
    await page.screenshot({ path: path.join(results, 'after-reload.png') });
    assert.equal(num(await rows.textContent()), 1309);
    assert.equal(await panel().locator('select#target').inputValue(), 'survived');
  });

  it('follows dark and high-contrast themes', async function () {
    for (const [theme, shot] of [['Dark Modern', 'profile-panel-dark.png'], ['Dark High Contrast', 'profile-panel-hc.png']]) {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first().click();
      await page.locator('.quick-input-widget input').fill(theme);
      await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(1500);
      // The panel's text takes the theme's foreground colour.
      const color = await panel().locator('h1').evaluate((el) => getComputedStyle(el).color);
      const bodyColor = await page.locator('.monaco-workbench').evaluate((el) => getComputedStyle(el).color);
      assert.equal(color, bodyColor, `${theme}: panel text ${color}, workbench text ${bodyColor}`);
      await page.screenshot({ path: path.join(results, shot) });
    }
  });

  it('at a narrow panel width every chart of a profile can be read (penguins by species, in high contrast: balance, box plots, rates, heatmaps)', async function () {
    const explorer = page.locator('.explorer-folders-view');
    await contextMenu(page, explorer.getByRole('treeitem', { name: 'penguins.csv' }), /Profile CSV/,
      (timeout) => panel().locator('.card[data-key="rows"] .card-value', { hasText: '344' }).waitFor({ timeout: Math.max(timeout, 60000) }));
    await panel().locator('select#target').selectOption('species');
    await panel().locator('#class-balance').waitFor({ timeout: 60000 });
    await page.setViewportSize({ width: 700, height: 950 });
    try {
      // Open every collapsed section (each click changes which are collapsed).
      for (let i = 0; i < 20 && await panel().locator('details:not([open]) > summary').count(); i++) await panel().locator('details:not([open]) > summary').first().click();
      const row = panel().locator('tr[data-column="bill_length_mm"]');
      await row.focus();
      await row.press('Enter');
      await page.waitForTimeout(1200); // every chart redraws at the new width
      const panelWidth = (await panel().locator('body').boundingBox())?.width ?? 0;
      assert.ok(panelWidth < 480, `the panel is ${panelWidth} px wide: it did not narrow`);
      const boxes = panel().locator('[data-chart][data-readable]');
      const n = await boxes.count();
      assert.ok(n >= 4, `only ${n} charts drawn`);
      const problems = [];
      for (let i = 0; i < n; i++) {
        const box = boxes.nth(i);
        const width = (await box.boundingBox())?.width ?? 0;
        if (await box.getAttribute('data-readable') !== 'yes') problems.push(`${await box.getAttribute('data-chart')} at ${Math.round(width)} px: ${await box.getAttribute('data-unreadable')}`);
      }
      await page.screenshot({ path: path.join(results, 'profile-panel-narrow.png'), fullPage: true });
      assert.deepEqual(problems, []);
    } finally {
      await page.setViewportSize({ width: 1500, height: 950 });
    }
  });

  it('right-click titanic_survival.csv → Engineer Features…: steps added, previewed with their new columns marked, saved as a run spec', async function () {
    const explorer = page.locator('.explorer-folders-view');
    await contextMenu(page, explorer.getByRole('treeitem', { name: 'titanic_survival.csv' }), /Engineer Features/,
      (timeout) => panel().locator('table.preview tbody tr').first().waitFor({ timeout: Math.max(timeout, 60000) }));
    assert.equal(await panel().locator('table.preview tbody tr').count(), 20);
    await panel().locator('select#target').selectOption('survived');
    // A bin step from the template (the first numeric column, age), previewed as age_bin.
    await panel().locator('select#step-type').selectOption('bin');
    await panel().locator('#add-step').click();
    await panel().locator('table.preview th.new', { hasText: 'age_bin' }).waitFor({ timeout: 60000 });
    // A target encoding: its columns picked in its form.
    await panel().locator('select#step-type').selectOption('targetEncode');
    await panel().locator('#add-step').click();
    const columns = panel().locator('li.step[data-step="1"] select[name="columns"]');
    await columns.waitFor({ timeout: 30000 });
    await columns.selectOption(['sex', 'passengerClass']);
    await panel().locator('table.preview th.new', { hasText: 'passengerClass_te' }).waitFor({ timeout: 60000 });
    const newColumns = await panel().locator('table.new-columns tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-column')));
    assert.deepEqual(newColumns, ['age_bin', 'sex_te', 'passengerClass_te']);
    // The bin step's strategy and count, changed in its form.
    await panel().locator('li.step[data-step="0"] select[name="strategy"]').selectOption('uniform');
    await panel().locator('li.step[data-step="0"] input[name="nBins"]').fill('3');
    await panel().locator('li.step[data-step="0"] input[name="nBins"]').press('Tab');
    await panel().locator('li.step[data-step="0"] details.step-json code', { hasText: '"strategy":"uniform","nBins":3' }).waitFor({ state: 'attached', timeout: 30000 });
    // A step the file cannot take is named in the panel, not in a pop-up: a formula cut short.
    await panel().locator('select#step-type').selectOption('formula');
    await panel().locator('#add-step').click();
    const expression = panel().locator('li.step[data-step="2"] input[name="expression"]');
    await expression.fill('`age` +');
    await expression.press('Tab');
    await panel().locator('.status.error', { hasText: 'the expression ends where a value is expected' }).waitFor({ timeout: 60000 });
    await panel().locator('li.step[data-step="2"] button', { hasText: 'Remove' }).click();
    await panel().locator('table.preview th.new', { hasText: 'passengerClass_te' }).waitFor({ timeout: 60000 });
    await panel().locator('.status.error').waitFor({ state: 'detached', timeout: 60000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(results, 'features-panel.png') });
    await panel().locator('#save-spec').click();
    // The spec opens in a tab of the panel's group.
    await page.locator('.tab', { hasText: 'titanic_survival.features.mlrun.json' }).waitFor({ timeout: 30000 });
    const spec = JSON.parse(fs.readFileSync(path.join(wb.workspace, 'data', 'titanic_survival.features.mlrun.json'), 'utf8'));
    assert.equal(spec.target, 'survived');
    assert.deepEqual(spec.features, [{ type: 'bin', column: 'age', strategy: 'uniform', nBins: 3 }, { type: 'targetEncode', columns: ['sex', 'passengerClass'] }]);
  });

  it('the profile panel\'s Engineer features… starts from the steps its alerts suggest (seattle\'s date → time features)', async function () {
    const explorer = page.locator('.explorer-folders-view');
    await contextMenu(page, explorer.getByRole('treeitem', { name: 'vega_seattle_weather.csv' }), /Profile CSV/,
      (timeout) => panel().locator('li[data-kind="datetime"] .suggestion').waitFor({ timeout: Math.max(timeout, 60000) }));
    assert.match(await panel().locator('li[data-kind="datetime"] .suggestion').textContent(), /Suggested: time features of date .*\{"type":"timeFeatures","column":"date"\}/);
    await panel().locator('#engineer-features').click();
    await panel().locator('table.preview th.new', { hasText: 'date_month_sin' }).waitFor({ timeout: 60000 });
    assert.equal(await panel().locator('li.step[data-step="0"]').getAttribute('data-type'), 'timeFeatures');
    assert.equal(await panel().locator('li.step[data-step="0"] select[name="column"]').inputValue(), 'date');
  });

  it('the Experiments view offers to profile a CSV while it is empty', async function () {
    await page.locator('.activitybar').getByRole('tab', { name: /ML Workbench/ }).click();
    const welcome = page.locator('.welcome-view-content');
    await welcome.waitFor({ timeout: 30000 });
    assert.match(await welcome.textContent(), /No experiments in this workspace yet/);
    await welcome.getByRole('button', { name: 'Profile a CSV' }).waitFor();
    await page.screenshot({ path: path.join(results, 'experiments-welcome.png') });
  });
});
