// The compare panel (params and metrics of up to 10 runs side by side, an only-differences toggle,
// bars for a chosen metric) and the experiment history (a metric across runs over time).
import type { CompareHostMessage, CompareSnapshot, CompareViewMessage, CompareViewState } from '../contract';
import { ChartSet } from '../shared/chartKit';
import { onThemeChange } from '../shared/theme';
import { reportAfterPaint, screenReplaced } from '../shared/afterPaint';
import { fmtNumber, h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { historyChart, metricBarsChart } from '../run/charts';
import { currentState, primaryMetric, TASKS, VIEW_STATE_VERSION } from '../contract';
import type { RunSummary } from '../contract';

type Saved = CompareViewState & { version?: number; message?: CompareHostMessage; onlyDifferences?: boolean; metric?: string };
const vscode = vscodeApi<Saved, CompareViewMessage>();
const root = document.getElementById('root')!;
const charts = new ChartSet();
// A state saved by another version keeps only what it showed (mode and runs): the host sends it again.
let saved: Saved | undefined = vscode.getState();
if (saved && !currentState(saved)) saved = { ...saved, message: undefined };
let message: CompareHostMessage | undefined = saved?.message;
let onlyDifferences = saved?.onlyDifferences ?? false;
let metric: string | undefined = saved?.metric;

const post = (m: CompareViewMessage) => vscode.postMessage(m);

function save(): void {
  if (!message || message.type === 'error') return;
  const base: CompareViewState = message.type === 'compare' ? { mode: 'compare', runIds: message.runs.map((r) => r.runId) } : { mode: 'history', experimentId: message.experiment.id };
  vscode.setState({ ...base, version: VIEW_STATE_VERSION, message, onlyDifferences, metric });
}

window.addEventListener('message', (e: MessageEvent<CompareHostMessage>) => {
  message = e.data;
  if (message.type === 'compare' || message.type === 'history') {
    const keys = metricKeys(message.runs);
    if (!metric || !keys.includes(metric)) metric = message.type === 'history' && keys.includes(message.primaryMetric) ? message.primaryMetric : TASKS.map(primaryMetric).find((k) => keys.includes(k)) ?? keys[0];
  }
  save();
  render();
});

/**
 * The metrics to show. A per-fold series (cv_accuracy, one point per fold, whose "value" is its last
 * fold's) is left out where its mean and std are there: side by side they showed two cross-validated
 * accuracies with different values and no word of why.
 */
const metricKeys = (runs: RunSummary[]) => {
  const all = new Set(runs.flatMap((r) => Object.keys(r.metrics)));
  return [...all].filter((k) => !all.has(`${k}_mean`)).sort();
};

function runLink(r: RunSummary): HTMLElement {
  const b = h('button', { class: 'link', title: `Open run ${r.runId}` }, r.runName);
  b.addEventListener('click', () => post({ type: 'openRun', runId: r.runId }));
  return b;
}

function metricSelect(keys: string[]): HTMLElement {
  const select = h('select', { 'aria-label': 'Metric' }, ...keys.map((k) => h('option', { value: k, selected: k === metric }, k)));
  select.addEventListener('change', () => {
    metric = select.value;
    save();
    render();
  });
  return h('label', {}, 'Metric ', select);
}

function render(): void {
  charts.destroy();
  if (!message) return;
  if (message.type === 'error') {
    screenReplaced();
    root.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('p', { class: 'error-message' }, message.message)));
    return;
  }
  if (message.type === 'compare') renderCompare(message.runs);
  else renderHistory(message.experiment.name, message.runs);
  reportAfterPaint(snapshot);
}

function renderCompare(runs: RunSummary[]): void {
  const keys = metricKeys(runs);
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const differs = (vals: string[]) => new Set(vals).size > 1;
  const row = (kind: string, key: string, vals: string[]) => h('tr', { class: differs(vals) ? 'differs' : '', 'data-key': `${kind}:${key}` }, h('th', { scope: 'row' }, key), ...vals.map((v) => h('td', { class: kind === 'metric' ? 'num' : '' }, v)));
  const body: HTMLElement[] = [];
  const add = (kind: string, title: string, list: string[], value: (r: RunSummary, k: string) => string) => {
    const rows = list.map((k) => [k, runs.map((r) => value(r, k))] as const).filter(([, vals]) => !onlyDifferences || differs(vals));
    if (!rows.length) return;
    body.push(h('tr', { class: 'group' }, h('th', { colspan: runs.length + 1 }, title)), ...rows.map(([k, vals]) => row(kind, k, vals)));
  };
  add('info', 'Run', ['status', 'started', 'model'], (r, k) => (k === 'status' ? r.status : k === 'started' ? new Date(r.startTime).toLocaleString() : r.model ?? ''));
  add('metric', 'Metrics', keys, (r, k) => fmtNumber(r.metrics[k]));
  add('param', 'Parameters', paramKeys, (r, k) => r.params[k] ?? '');
  const toggle = h('input', { type: 'checkbox', id: 'only-diff', checked: onlyDifferences });
  toggle.addEventListener('change', () => {
    onlyDifferences = (toggle as HTMLInputElement).checked;
    save();
    render();
  });
  root.replaceChildren(
    h('h1', {}, `Compare ${runs.length} runs`),
    h('div', { class: 'toolbar' }, h('label', { for: 'only-diff' }, toggle, ' Only differences'), ' ', metricSelect(keys)),
    metric ? charts.box('bars', (cv) => metricBarsChart(cv, metric!, runs.map((r) => r.runName), runs.map((r) => r.metrics[metric!])), 240, `${metric} by run`) : '',
    h('div', { class: 'table-holder' }, h('table', { class: 'compare' }, h('thead', {}, h('tr', {}, h('th', {}, ''), ...runs.map((r) => h('th', {}, runLink(r))))), h('tbody', {}, ...body))),
    h('p', { class: 'hint' }, 'Metrics without a prefix are on the test split; cv_…_mean and cv_…_std are over the cross-validation folds of the training split.'),
  );
}

function renderHistory(name: string, runs: RunSummary[]): void {
  const keys = metricKeys(runs);
  const points = runs.filter((r) => metric && metric in r.metrics).map((r) => ({ t: r.startTime, v: r.metrics[metric!], label: r.runName, series: r.model ?? r.kind ?? 'run' }));
  root.replaceChildren(
    h('h1', {}, `History of ${name}`),
    h('div', { class: 'toolbar' }, metricSelect(keys)),
    points.length ? charts.box('history', (cv) => historyChart(cv, metric!, points), 300, `${metric} over time`) : h('p', { class: 'hint' }, 'No run of this experiment has this metric yet.'),
    h('div', { class: 'table-holder' }, h('table', { class: 'history' },
      h('thead', {}, h('tr', {}, h('th', {}, 'run'), h('th', {}, 'started'), h('th', {}, 'status'), h('th', { class: 'num' }, metric ?? ''))),
      h('tbody', {}, ...[...runs].sort((a, b) => b.startTime - a.startTime).map((r) => h('tr', { 'data-key': r.runId }, h('td', {}, runLink(r)), h('td', {}, new Date(r.startTime).toLocaleString()), h('td', {}, r.status), h('td', { class: 'num' }, fmtNumber(metric ? r.metrics[metric] : undefined))))))),
  );
}

function snapshot(): void {
  if (!message || message.type === 'error') return;
  const rows: Record<string, string[]> = {};
  for (const tr of root.querySelectorAll<HTMLTableRowElement>('tr[data-key]')) rows[tr.dataset.key!] = [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '');
  const s: CompareSnapshot = { mode: message.type, runs: message.runs.map((r) => r.runId), rows, charts: [...root.querySelectorAll<HTMLElement>('[data-chart]')].map((e) => e.dataset.chart!) };
  post({ type: 'rendered', snapshot: s });
}

onThemeChange(render);

if (message) render();
post({ type: 'ready' });
