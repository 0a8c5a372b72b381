// The A/B panel: the verdict (promote, roll back, keep collecting) and why; per variant its run,
// labelled rows and metric with a 95% interval, drawn as intervals side by side; the difference
// with its interval, the test, statistic and p-value, the rows needed to detect the difference,
// and the warning against reading the test before the planned sample size.
import type { AbHostMessage, AbReportView, AbSnapshot, AbViewMessage } from '../contract';
import { reportAfterPaint, screenReplaced } from '../shared/afterPaint';
import { baseOptions, Chart, ChartSet } from '../shared/chartKit';
import { fmtNumber, h } from '../shared/dom';
import { chartColors, onThemeChange, withAlpha } from '../shared/theme';
import { vscodeApi } from '../shared/vscodeApi';

const vscode = vscodeApi<{ report?: AbReportView }, AbViewMessage>();
const root = document.getElementById('root')!;
const charts = new ChartSet();
const post = (m: AbViewMessage) => vscode.postMessage(m);
let report = vscode.getState()?.report;

window.addEventListener('message', (e: MessageEvent<AbHostMessage>) => {
  report = e.data.report;
  vscode.setState({ report });
  render();
});

const VERDICT = { promote: 'Promote', rollback: 'Roll back', continue: 'Keep collecting' } as const;

function intervalChart(canvas: HTMLCanvasElement, r: AbReportView): Chart {
  const c = chartColors();
  const o = baseOptions(undefined, r.variants[0].metric);
  // Floating bars (each a [low, high] pair) for the intervals, points for the values.
  return new Chart<'bar' | 'line', (number | [number, number])[], string>(canvas, {
    type: 'bar',
    data: {
      labels: r.variants.map((v) => v.name),
      datasets: [
        { type: 'bar' as const, label: '95% interval', data: r.variants.map((v) => v.ci95), backgroundColor: r.variants.map((_, i) => withAlpha(c.series[i % c.series.length], 0.35)), borderColor: r.variants.map((_, i) => c.series[i % c.series.length]), borderWidth: 1, barPercentage: 0.4 },
        { type: 'line' as const, label: r.variants[0].metric, data: r.variants.map((v) => v.value), showLine: false, pointRadius: 6, pointBackgroundColor: c.text, borderColor: c.text },
      ],
    },
    // The intervals' own range, not from zero: a 3-point difference must show.
    options: { ...o, plugins: { legend: { display: true, position: 'bottom' as const } }, scales: { ...o.scales, y: { ...o.scales.y, beginAtZero: false, grace: '10%' } } },
  });
}

function render(): void {
  charts.destroy();
  screenReplaced();
  if (!report) return;
  const r = report;
  const pct = r.variants[0].metric === 'accuracy';
  const show = (x: number) => (pct ? `${(100 * x).toFixed(1)}%` : fmtNumber(x));
  const runLink = (runId?: string) => {
    if (!runId) return '';
    const b = h('button', { class: 'link', title: `Open run ${runId}` }, runId.slice(0, 8));
    b.addEventListener('click', () => post({ type: 'openRun', runId }));
    return b;
  };
  const figures: [string, string][] = [
    [`difference (${r.treatment} − ${r.control})`, `${pct ? `${(100 * r.difference).toFixed(1)} points` : fmtNumber(r.difference)} (95% CI ${show(r.differenceCi95[0])} to ${show(r.differenceCi95[1])})`],
    ['test', r.test === 'proportions_ztest' ? 'two-proportion z-test' : 'Welch\'s t-test'],
    ['statistic', fmtNumber(r.statistic)],
    ['p-value', r.pValue < 1e-4 ? r.pValue.toExponential(2) : fmtNumber(r.pValue)],
    ['rows per variant to detect this difference (power 0.8)', r.requiredN === null ? '—' : r.requiredN.toLocaleString('en-US')],
    ['planned rows per variant', r.plannedN === null ? '—' : r.plannedN.toLocaleString('en-US')],
    ['labels joined', `${r.labels.joined.toLocaleString('en-US')} of ${r.labels.of.toLocaleString('en-US')} (${r.labels.column})`],
  ];
  const role = (name: string) => (name === r.control ? ' (control)' : name === r.treatment ? ' (treatment)' : '');
  root.replaceChildren(
    h('header', {}, h('h1', {}, `A/B: ${r.treatment} against ${r.control}`)),
    h('p', { class: 'path' }, r.log),
    h('div', { class: `verdict ${r.verdict}`, role: 'status' }, h('span', { class: 'verdict-word' }, VERDICT[r.verdict]), h('span', { class: 'reason' }, r.reason)),
    ...r.warnings.map((w) => h('p', { class: 'status warning' }, `⚠ ${w}`)),
    h('div', { class: 'table-holder' }, h('table', { class: 'variants' },
      h('thead', {}, h('tr', {}, ...['variant', 'run', 'labelled rows', r.variants[0].metric, '95% interval', 'rows answered'].map((k) => h('th', { scope: 'col' }, k)))),
      h('tbody', {}, ...r.variants.map((v) => h('tr', { 'data-key': v.name },
        h('td', { 'data-col': 'variant' }, `${v.name}${role(v.name)}`),
        h('td', { 'data-col': 'run' }, runLink(v.runId)),
        h('td', { 'data-col': 'n', class: 'num' }, v.n.toLocaleString('en-US')),
        h('td', { 'data-col': 'value', class: 'num' }, show(v.value)),
        h('td', { 'data-col': 'ci95', class: 'num' }, `${show(v.ci95[0])} – ${show(v.ci95[1])}`),
        h('td', { 'data-col': 'rows', class: 'num' }, v.rows.toLocaleString('en-US'))))))),
    charts.box('intervals', (cv) => intervalChart(cv, r), 240, `${r.variants[0].metric} by variant with 95% intervals`),
    h('dl', { class: 'figures' }, ...figures.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-figure': k }, v)])),
    h('p', { class: 'hint' }, `The rule: promote ${r.treatment} when it beats ${r.control} by ${pct ? `${(100 * r.minimumEffect).toFixed(0)} points` : `2% of ${r.control}'s ${r.variants[0].metric}`} and the difference is significant (p < 0.05); roll back when it is significantly worse; otherwise keep collecting until the planned sample size.`),
  );
  reportAfterPaint(snapshot);
}

function snapshot(): void {
  if (!report) return;
  const variants: AbSnapshot['variants'] = {};
  for (const tr of root.querySelectorAll<HTMLTableRowElement>('tr[data-key]')) variants[tr.dataset.key!] = Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td')].map((td) => [td.dataset.col!, td.textContent ?? '']));
  post({
    type: 'rendered', snapshot: {
      verdict: root.querySelector('.verdict-word')?.textContent ?? '', variants,
      figures: Object.fromEntries([...root.querySelectorAll<HTMLElement>('dd[data-figure]')].map((dd) => [dd.dataset.figure!, dd.textContent ?? ''])),
      warnings: [...root.querySelectorAll('.status.warning')].map((p) => p.textContent ?? ''), charts: [...root.querySelectorAll<HTMLElement>('[data-chart]')].map((e) => e.dataset.chart!),
    },
  });
}

onThemeChange(render);
if (report) render();
post({ type: 'ready' });
