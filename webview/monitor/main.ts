// The monitoring panel: a serving log's windows over time. Charts of requests, latency p50/p95/p99,
// the predicted classes' shares (or the predicted values' median and 5–95% band), the share of
// input columns that drift against the model's training sample, and accuracy (or RMSE) with its 95%
// interval where labels were joined. Windows that break an alert rule are marked in red on the
// rule's chart and listed; a breach's button (or the host, from a warning's link) shows its window
// in the table below.
import type { MonitorHostMessage, MonitorReportView, MonitorSnapshot, MonitorViewMessage, MonitorWindowView } from '../contract';
import { reportAfterPaint, screenReplaced } from '../shared/afterPaint';
import { baseOptions, Chart, ChartSet } from '../shared/chartKit';
import { fmtNumber, h } from '../shared/dom';
import { chartColors, onThemeChange, withAlpha } from '../shared/theme';
import { vscodeApi } from '../shared/vscodeApi';

type Saved = { report?: MonitorReportView; focused?: string };
const vscode = vscodeApi<Saved, MonitorViewMessage>();
const root = document.getElementById('root')!;
const charts = new ChartSet();
const post = (m: MonitorViewMessage) => vscode.postMessage(m);

let { report, focused } = vscode.getState() ?? {};

window.addEventListener('message', (e: MessageEvent<MonitorHostMessage>) => {
  const m = e.data;
  if (m.type === 'report') [report, focused] = [m.report, undefined];
  else focused = m.window;
  vscode.setState({ report, focused });
  render();
  if (m.type === 'focus') root.querySelector(`tr[data-key="${CSS.escape(m.window)}"]`)?.scrollIntoView({ block: 'center' });
});

/** A window's label on the time axis: its start in UTC, the date only where windows are days. */
const label = (w: MonitorWindowView, windowMs: number) => (windowMs >= 86_400_000 ? w.start.slice(0, 10) : `${w.start.slice(5, 10)} ${w.start.slice(11, 16)}`);

/** The windows (by start) that break a rule on this metric. */
const breachedOn = (r: MonitorReportView, metrics: string[]) => new Set(r.breaches.filter((b) => metrics.includes(b.metric)).flatMap((b) => b.windows));

function lineChart(canvas: HTMLCanvasElement, r: MonitorReportView, y: string, series: { label: string; data: (number | null)[]; dash?: boolean; fill?: string | number }[], marked: Set<string>): Chart {
  const c = chartColors();
  const o = baseOptions(undefined, y);
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels: r.windows.map((w) => label(w, r.windowMs)),
      datasets: series.map((s, i) => {
        const color = c.series[i % c.series.length];
        return {
          label: s.label, data: s.data, borderColor: color, backgroundColor: withAlpha(color, 0.15), borderDash: s.dash ? [4, 3] : [], spanGaps: false, fill: s.fill ?? false,
          // Breached windows: red and larger.
          pointBackgroundColor: r.windows.map((w) => (marked.has(w.start) ? c.negative : color)),
          pointRadius: r.windows.map((w) => (marked.has(w.start) ? 5 : 2)),
        };
      }),
    },
    options: { ...o, plugins: { legend: { display: series.length > 1, position: 'bottom' as const } }, scales: { ...o.scales, x: { ...o.scales.x, ticks: { ...o.scales.x.ticks, maxRotation: 0, autoSkip: true } } } },
  });
}

function requestsChart(canvas: HTMLCanvasElement, r: MonitorReportView, marked: Set<string>): Chart {
  const c = chartColors();
  const o = baseOptions(undefined, 'requests');
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: r.windows.map((w) => label(w, r.windowMs)), datasets: [{ label: 'requests', data: r.windows.map((w) => w.requests), backgroundColor: r.windows.map((w) => (marked.has(w.start) ? c.negative : withAlpha(c.series[0], 0.7))) }] },
    options: { ...o, scales: { ...o.scales, x: { ...o.scales.x, ticks: { ...o.scales.x.ticks, maxRotation: 0, autoSkip: true } } } },
  });
}

function classesChart(canvas: HTMLCanvasElement, r: MonitorReportView): Chart {
  const c = chartColors();
  const classes = [...new Set(r.windows.flatMap((w) => (w.predictions.kind === 'classes' ? Object.keys(w.predictions.counts) : [])))].sort();
  const o = baseOptions(undefined, 'share of predictions');
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: r.windows.map((w) => label(w, r.windowMs)),
      datasets: classes.map((k, i) => ({
        label: k, backgroundColor: withAlpha(c.series[i % c.series.length], 0.75),
        data: r.windows.map((w) => (w.predictions.kind === 'classes' ? (w.predictions.counts[k] ?? 0) / Math.max(1, w.rows) : 0)),
      })),
    },
    options: { ...o, plugins: { legend: { display: true, position: 'bottom' as const } }, scales: { x: { ...o.scales.x, stacked: true, ticks: { ...o.scales.x.ticks, maxRotation: 0, autoSkip: true } }, y: { ...o.scales.y, stacked: true, max: 1 } } },
  });
}

function render(): void {
  charts.destroy();
  screenReplaced();
  if (!report) return;
  const r = report;
  const ws = r.windows;
  const hasDrift = ws.some((w) => w.drift), hasAccuracy = ws.some((w) => w.accuracy), hasRmse = ws.some((w) => w.rmse);
  const values = ws.some((w) => w.predictions.kind === 'values');
  const pick = (f: (w: MonitorWindowView) => number | undefined) => ws.map((w) => f(w) ?? null);
  const sections: (HTMLElement | string)[] = [
    charts.box('requests', (cv) => requestsChart(cv, r, breachedOn(r, ['requests'])), 180, 'Requests per window'),
    charts.box('latency', (cv) => lineChart(cv, r, 'latency (ms)', [
      { label: 'p50', data: pick((w) => w.latencyMs.p50) }, { label: 'p95', data: pick((w) => w.latencyMs.p95) }, { label: 'p99', data: pick((w) => w.latencyMs.p99) },
    ], breachedOn(r, ['latencyP50', 'latencyP95', 'latencyP99'])), 220, 'Latency percentiles per window'),
    values
      ? charts.box('predictions', (cv) => lineChart(cv, r, 'predicted value', [
        { label: 'median', data: pick((w) => (w.predictions.kind === 'values' ? w.predictions.p50 : undefined)) },
        { label: '5%', data: pick((w) => (w.predictions.kind === 'values' ? w.predictions.p5 : undefined)), dash: true },
        { label: '95%', data: pick((w) => (w.predictions.kind === 'values' ? w.predictions.p95 : undefined)), dash: true, fill: '-1' },
      ], new Set()), 220, 'Predicted values per window')
      : charts.box('predictions', (cv) => classesChart(cv, r), 220, 'Predicted classes per window'),
    hasDrift ? charts.box('drift', (cv) => lineChart(cv, r, 'share of inputs drifted', [{ label: 'drifted share', data: pick((w) => w.drift?.driftedShare) }], breachedOn(r, ['driftedShare'])), 200, 'Input drift per window') : h('p', { class: 'hint' }, 'No input drift: the model (and its training sample) was not found; name it in a *.mlmonitor.json spec ("model").'),
    hasAccuracy || hasRmse
      ? charts.box('quality', (cv) => {
        const q = (w: MonitorWindowView) => w.accuracy ?? w.rmse;
        return lineChart(cv, r, hasAccuracy ? 'accuracy' : 'RMSE', [
          { label: hasAccuracy ? 'accuracy' : 'RMSE', data: pick((w) => q(w)?.value) },
          { label: '95% low', data: pick((w) => q(w)?.ci95[0]), dash: true },
          { label: '95% high', data: pick((w) => q(w)?.ci95[1]), dash: true, fill: '-1' },
        ], breachedOn(r, ['accuracy', 'rmse']));
      }, 220, 'Accuracy per window with its 95% interval')
      : h('p', { class: 'hint' }, 'No accuracy: join labels (a CSV of request ids and outcomes) in a *.mlmonitor.json spec\'s "labels".'),
  ];
  const breachList = r.breaches.length
    ? h('section', { class: 'breaches' }, h('h2', {}, `${r.breaches.length} alert${r.breaches.length > 1 ? 's' : ''}`), h('ul', {}, ...r.breaches.map((b) => {
      const at = b.windows[b.windows.length - 1];
      const show = h('button', { class: 'link', 'data-window': at }, at);
      show.addEventListener('click', () => {
        focused = at;
        vscode.setState({ report, focused });
        render();
        root.querySelector(`tr[data-key="${CSS.escape(at)}"]`)?.scrollIntoView({ block: 'center' });
      });
      return h('li', { class: 'breach' }, h('span', { class: 'rule' }, `${b.rule}: ${fmtNumber(b.value)} in the window from `), show);
    })))
    : r.rules.length ? h('p', { class: 'status ok' }, `No alert: ${r.rules.length} rule${r.rules.length > 1 ? 's' : ''} held in every window.`) : '';
  const marked = breachedOn(r, r.breaches.map((b) => b.metric));
  const head = ['window', 'requests', 'p50 ms', 'p95 ms', 'p99 ms', 'drifted', 'labelled', hasRmse ? 'RMSE (95%)' : 'accuracy (95%)', 'predictions'];
  const table = h('div', { class: 'table-holder' }, h('table', { class: 'windows' },
    h('thead', {}, h('tr', {}, ...head.map((k) => h('th', { scope: 'col' }, k)))),
    h('tbody', {}, ...ws.map((w) => {
      const q = w.accuracy ?? w.rmse;
      const cells = [w.start, String(w.requests), fmtNumber(w.latencyMs.p50, 2), fmtNumber(w.latencyMs.p95, 2), fmtNumber(w.latencyMs.p99, 2),
        w.drift ? `${(100 * w.drift.driftedShare).toFixed(0)}%${w.drift.drifted.length ? ` (${w.drift.drifted.join(', ')})` : ''}` : '', String(w.labelled),
        q ? `${fmtNumber(q.value)} (${fmtNumber(q.ci95[0])}–${fmtNumber(q.ci95[1])})` : '',
        w.predictions.kind === 'classes' ? Object.entries(w.predictions.counts).map(([k, v]) => `${k} ${v}`).join(', ') : `median ${fmtNumber(w.predictions.p50)}`];
      return h('tr', { 'data-key': w.start, class: `${marked.has(w.start) ? 'breached' : ''} ${w.start === focused ? 'focused' : ''}` }, ...cells.map((v, i) => h('td', { 'data-col': head[i], class: i > 0 && i < 7 ? 'num' : '' }, v)));
    }))));
  root.replaceChildren(
    h('h1', {}, `Monitoring: ${r.log.split(/[\\/]/).pop()}`),
    h('p', { class: 'path' }, `${r.lines.toLocaleString('en-US')} lines in ${ws.length} windows of ${fmtWindow(r.windowMs)}${r.model?.runId ? `; model run ${r.model.runId}` : ''}${r.model?.version ? `, version ${r.model.version}` : ''}`),
    r.skippedLines ? h('p', { class: 'status warning' }, `${r.skippedLines} line${r.skippedLines > 1 ? 's' : ''} skipped: ${r.skipped.slice(0, 5).map((s) => `line ${s.line} (${s.reason})`).join(', ')}`) : '',
    r.labels ? h('p', { class: 'path' }, `Labels: ${r.labels.joined.toLocaleString('en-US')} of ${r.labels.of.toLocaleString('en-US')} predictions joined from ${r.labels.file} (${r.labels.column})`) : '',
    breachList,
    ...sections,
    h('h2', {}, 'Windows'),
    table,
  );
  reportAfterPaint(snapshot);
}

function fmtWindow(ms: number): string {
  for (const [unit, size] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms} ms`;
}

function snapshot(): void {
  if (!report) return;
  const rows: MonitorSnapshot['rows'] = {};
  for (const tr of root.querySelectorAll<HTMLTableRowElement>('tr[data-key]')) rows[tr.dataset.key!] = Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td')].map((td) => [td.dataset.col!, td.textContent ?? '']));
  post({
    type: 'rendered', snapshot: {
      windows: report.windows.length, charts: [...root.querySelectorAll<HTMLElement>('[data-chart]')].map((e) => e.dataset.chart!),
      breaches: [...root.querySelectorAll('li.breach')].map((li) => li.textContent ?? ''), marked: [...root.querySelectorAll<HTMLElement>('tr.breached')].map((tr) => tr.dataset.key!),
      ...(focused ? { focused } : {}), rows,
    },
  });
}

onThemeChange(render);
if (report) render();
post({ type: 'ready' });
