// Monitoring as a person does it, in the packaged .vsix in a real VS Code (code-server) in headless
// Chromium. Before the workbench opens, the workspace gets what a deployed model leaves behind: two
// titanic models trained by mlw, a 50/50 split served by `mlw serve --model A=… --model B=…` with
// each request logged, that log's times spread over a day as traffic (its last hours' passengers
// thirty years older), the outcomes, and a *.mlmonitor.json spec; and penguins in two halves, the
// second heavier. Then: right-click → Check Data Drift… (against the other CSV), Open Monitoring…
// (a breach's warning shows its window), Open A/B Report…; screenshots land in test-results/.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { contextMenu, openWorkbench, RESULTS as results } from '../support/workbench.mjs';
import { ROOT } from '../support/workspace.mjs';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const HOUR = 3_600_000;

/** Parses titanic's lines ("name","survived","sex",age,"passengerClass"). */
const titanicRows = (file) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => {
  const m = /^"(?:[^"]|"")*","(\w+)","(\w+)",([\d.]*),"(\w+)"$/.exec(l);
  return { survived: m[1], sex: m[2], age: m[3] === '' ? null : Number(m[3]), passengerClass: m[4] };
});

/** 0 … n−1 in a seeded random order (Fisher–Yates on a linear congruential generator). */
function shuffled(n, seed) {
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function prepare(ws) {
  // Penguins in two random halves (seeded; the file alternates male and female rows, so odd and
  // even rows differ for real); the second's body mass 600 g heavier.
  const [header, ...body] = fs.readFileSync(path.join(ws, 'data', 'penguins.csv'), 'utf8').trim().split('\n');
  const mass = header.split(',').findIndex((h) => h.replace(/"/g, '') === 'body_mass_g');
  const order = shuffled(body.length, 5);
  const half = new Set(order.slice(0, body.length >> 1));
  fs.writeFileSync(path.join(ws, 'data', 'penguins_reference.csv'), [header, ...body.filter((_, i) => half.has(i))].join('\n') + '\n');
  fs.writeFileSync(path.join(ws, 'data', 'penguins_current.csv'), [header, ...body.filter((_, i) => !half.has(i)).map((l) => l.split(',').map((v, j) => (j === mass && /^\d/.test(v) ? String(Number(v) + 600) : v)).join(','))].join('\n') + '\n');

  const trained = spawnSync(process.execPath, [CLI, 'train', path.join(ws, 'data', 'titanic_survival.csv'), '--target', 'survived', '--drop', 'name', '--models', 'lr,rf', '--cv', '0', '--store', path.join(ws, 'mlruns'), '--json'], { encoding: 'utf8' });
  assert.equal(trained.status, 0, trained.stderr);
  const [lr, rf] = JSON.parse(trained.stdout).results;
  const logs = path.join(ws, 'logs');
  fs.mkdirSync(logs);
  const served = path.join(logs, 'served.jsonl');
  const server = spawn(process.execPath, [CLI, 'serve', '--model', `A=${path.dirname(lr.bundle)}`, '--model', `B=${path.dirname(rf.bundle)}`, '--split', 'B=0.5', '--port', '0', '--json', '--log', served]);
  const url = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(JSON.parse(String(d).split('\n')[0]).url)));
  // In a seeded order: the file is sorted by class.
  const all = titanicRows(path.join(ws, 'data', 'titanic_survival.csv'));
  const rows = shuffled(all.length, 3).map((i) => all[i]);
  try {
    for (let i = 0; i < rows.length; i++) {
      const { survived: _, ...input } = rows[i];
      const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Request-Id': `r${i}` }, body: JSON.stringify(input) });
      assert.equal(res.status, 200);
    }
  } finally {
    await new Promise((resolve) => (server.on('exit', resolve), server.kill('SIGTERM')));
  }
  const t0 = Date.parse('2026-11-02T06:00:00Z');
  const log = fs.readFileSync(served, 'utf8').trim().split('\n').map((l, i, all) => {
    const line = JSON.parse(l);
    const t = t0 + Math.floor((12 * HOUR * i) / all.length);
    const late = t >= t0 + 9 * HOUR;
    return JSON.stringify({ ...line, timestamp: new Date(t).toISOString(), inputs: late && line.inputs.age !== null ? { ...line.inputs, age: line.inputs.age + 30 } : line.inputs });
  });
  fs.writeFileSync(path.join(logs, 'predictions.jsonl'), log.join('\n') + '\n');
  fs.rmSync(served);
  fs.writeFileSync(path.join(logs, 'labels.csv'), ['request_id,survived', ...rows.map((r, i) => `r${i},${r.survived}`)].join('\n') + '\n');
  fs.writeFileSync(path.join(logs, 'titanic.mlmonitor.json'), JSON.stringify({
    log: 'predictions.jsonl', window: '1h', labels: { file: 'labels.csv', id: 'request_id' },
    rules: [{ metric: 'driftedShare', above: 0.3, windows: 2 }, { metric: 'accuracy', below: 0.5 }],
  }, null, 2));
}

describe('monitoring, driven through the UI', function () {
  let wb, page, panel;

  before(async function () {
    wb = await openWorkbench(process.env.UI_MONITOR_PORT || 8127, { prepare });
    ({ page, panel } = wb);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await page.screenshot({ path: path.join(results, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}.png`) });
  });

  after(async function () {
    await wb?.close();
  });

  const quickInput = () => page.locator('.quick-input-widget');
  const explorer = () => page.locator('.explorer-folders-view');

  async function openFolder(name) {
    if (!(await explorer().isVisible())) await page.locator('.activitybar').getByRole('tab', { name: /Explorer/ }).click();
    const folder = explorer().getByRole('treeitem', { name, exact: true });
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  }

  it('right-click penguins_current.csv → Check Data Drift… against penguins_reference.csv: the panel names body mass, sorts, and overlays a column\'s distributions', async function () {
    await openFolder('data');
    await contextMenu(page, explorer().getByRole('treeitem', { name: 'penguins_current.csv' }), /Check Data Drift/, (timeout) => quickInput().locator('.quick-input-list-row, .monaco-list-row', { hasText: 'Another CSV file' }).first().waitFor({ timeout }));
    await quickInput().locator('.monaco-list-row', { hasText: 'Another CSV file' }).first().click();
    await quickInput().locator('input.input').fill('penguins_reference');
    await quickInput().locator('.monaco-list-row', { hasText: 'penguins_reference.csv' }).first().waitFor({ timeout: 30000 });
    await page.keyboard.press('Enter');
    await panel().locator('table.drift tbody tr').first().waitFor({ timeout: 60000 });
    // Drifted first: body mass, by KS on 172 reference rows.
    const first = panel().locator('table.drift tbody tr').first();
    assert.equal(await first.getAttribute('data-key'), 'body_mass_g');
    assert.equal(await first.locator('td[data-col="drifted"]').textContent(), 'drifted');
    assert.equal(await first.locator('td[data-col="test"]').textContent(), 'ks');
    assert.match(await panel().locator('h1').textContent(), /dataset drift/i);
    await panel().locator('[data-chart="distribution"] canvas').waitFor({ timeout: 30000 });
    // Sort by effect size, ascending then descending; then show island's category bars.
    await panel().locator('button.sort[data-sort="effect size"]').click();
    await panel().locator('th[aria-sort="descending"] button[data-sort="effect size"]').waitFor();
    const effects = (await panel().locator('td[data-col="effect size"]').allTextContents()).map(Number);
    assert.deepEqual(effects, [...effects].sort((a, b) => b - a));
    await panel().locator('tr[data-key="island"]').click();
    await panel().locator('section.distribution h2', { hasText: 'island' }).waitFor();
    await panel().locator('tr[data-key="body_mass_g"]').click();
    await panel().locator('section.distribution h2', { hasText: 'body_mass_g' }).waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(results, 'drift-panel.png') });
  });

  it('right-click titanic.mlmonitor.json → Open Monitoring…: windows over the day, the aged hours\' drift breaks the rule, and the warning\'s "Show window" shows that window', async function () {
    await openFolder('logs');
    await contextMenu(page, explorer().getByRole('treeitem', { name: 'titanic.mlmonitor.json' }), /Open Monitoring/, (timeout) => panel().locator('table.windows tbody tr').first().waitFor({ timeout: timeout + 50000 }));
    assert.equal(await panel().locator('table.windows tbody tr').count(), 12);
    for (const chart of ['requests', 'latency', 'predictions', 'drift', 'quality']) await panel().locator(`[data-chart="${chart}"] canvas`).waitFor({ timeout: 30000 });
    // Hours 9, 10 and 11 (15:00–17:00 UTC) drift on age; two in a row first at 16:00.
    const breaches = await panel().locator('li.breach').allTextContents();
    assert.ok(breaches.some((b) => /driftedShare above 0.3 for 2 windows in a row: .* 2026-11-02T16:00:00.000Z/.test(b)), breaches.join(' | '));
    assert.ok(!breaches.some((b) => b.includes('accuracy')), 'accuracy holds');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'alert on predictions.jsonl' }).first();
    await toast.waitFor({ timeout: 30000 });
    await toast.getByRole('button', { name: 'Show window' }).click();
    await panel().locator('tr.focused[data-key="2026-11-02T17:00:00.000Z"]').waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(results, 'monitoring-panel-window.png') });
    await panel().locator('h1').scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(results, 'monitoring-panel.png') });
  });

  it('right-click titanic.mlmonitor.json → Open A/B Report…: the verdict, each variant\'s accuracy with its interval, the test and the sample-size warning', async function () {
    await contextMenu(page, explorer().getByRole('treeitem', { name: 'titanic.mlmonitor.json' }), /Open A\/B Report/, (timeout) => panel().locator('.verdict-word').waitFor({ timeout: timeout + 50000 }));
    assert.ok(['Promote', 'Roll back', 'Keep collecting'].includes(await panel().locator('.verdict-word').textContent()));
    assert.equal(await panel().locator('table.variants tbody tr').count(), 2);
    const nA = Number((await panel().locator('tr[data-key="A"] td[data-col="n"]').textContent()).replace(/,/g, ''));
    const nB = Number((await panel().locator('tr[data-key="B"] td[data-col="n"]').textContent()).replace(/,/g, ''));
    assert.equal(nA + nB, 1309);
    assert.equal(await panel().locator('dd[data-figure="test"]').textContent(), 'two-proportion z-test');
    await panel().locator('.status.warning', { hasText: 'planned sample size' }).waitFor();
    await panel().locator('[data-chart="intervals"] canvas').waitFor({ timeout: 30000 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(results, 'ab-panel.png') });
  });
});
