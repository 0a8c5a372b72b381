// The drift panel: the verdict and the share of drifted columns; a table of every column (drifted
// first; any header sorts it, again to reverse) with its test, statistic, p-value or distance,
// threshold and effect size, and the large-sample warning where there is one; and for the chosen
// row, the reference and current distributions overlaid, as shares so that samples of different
// sizes compare (histograms on shared bins, or category bars).
import type { DriftColumnView, DriftHostMessage, DriftReportView, DriftSnapshot, DriftViewMessage } from '../contract';
import { reportAfterPaint, screenReplaced } from '../shared/afterPaint';
import { baseOptions, Chart, ChartSet } from '../shared/chartKit';
import { fmtNumber, h } from '../shared/dom';
import { chartColors, onThemeChange, withAlpha } from '../shared/theme';
import { vscodeApi } from '../shared/vscodeApi';

type Saved = { message?: DriftHostMessage; sort?: SortKey; descending?: boolean; selected?: string };
const vscode = vscodeApi<Saved, DriftViewMessage>();
const root = document.getElementById('root')!;
const charts = new ChartSet();
const post = (m: DriftViewMessage) => vscode.postMessage(m);

const COLUMNS = ['column', 'test', 'statistic', 'p-value', 'distance', 'threshold', 'effect size', 'drifted'] as const;
type SortKey = (typeof COLUMNS)[number];

let saved = vscode.getState() ?? {};
let message = saved.message;
let sort: SortKey = saved.sort ?? 'drifted';
let descending = saved.descending ?? true;
let selected = saved.selected;

const save = () => vscode.setState({ message, sort, descending, selected });

window.addEventListener('message', (e: MessageEvent<DriftHostMessage>) => {
  message = e.data;
  const drifted = message.report.columns.find((c) => c.drifted);
  if (!selected || !message.report.columns.some((c) => c.name === selected)) selected = (drifted ?? message.report.columns[0])?.name;
  save();
  render();
});

const value = (c: DriftColumnView, k: SortKey): number | string => {
  switch (k) {
    case 'column': return c.name;
    case 'test': return c.test;
    case 'statistic': return c.statistic;
    case 'p-value': return c.pValue ?? Infinity;
    case 'distance': return c.distance ?? -Infinity;
    case 'threshold': return c.threshold;
    case 'effect size': return c.effectSize;
    case 'drifted': return c.drifted ? 1 : 0;
  }
};

function sorted(columns: DriftColumnView[]): DriftColumnView[] {
  const sign = descending ? -1 : 1;
  return [...columns].sort((a, b) => {
    const [x, y] = [value(a, sort), value(b, sort)];
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : x - (y as number);
    // Ties: drifted first, the largest effect first (the report's own order), then by name.
    return sign * order || Number(b.drifted) - Number(a.drifted) || b.effectSize - a.effectSize || a.name.localeCompare(b.name);
  });
}

const cell = (c: DriftColumnView, k: SortKey): string => {
  switch (k) {
    case 'column': return c.name;
    case 'test': return c.test;
    case 'statistic': return fmtNumber(c.statistic);
    case 'p-value': return c.pValue === null ? '—' : fmtNumber(c.pValue);
    case 'distance': return c.distance === null ? '—' : fmtNumber(c.distance);
    case 'threshold': return `${c.pValue === null ? '≥' : '<'} ${fmtNumber(c.threshold)}`;
    case 'effect size': return fmtNumber(c.effectSize);
    case 'drifted': return c.drifted ? 'drifted' : 'no';
  }
};

function table(report: DriftReportView): HTMLElement {
  const head = h('tr', {}, ...COLUMNS.map((k) => {
    const b = h('button', { class: 'link sort', 'data-sort': k, title: `Sort by ${k}` }, k, sort === k ? (descending ? ' ▾' : ' ▴') : '');
    b.addEventListener('click', () => {
      descending = sort === k ? !descending : k !== 'column' && k !== 'test';
      sort = k;
      save();
      render();
    });
    return h('th', { scope: 'col', 'aria-sort': sort === k ? (descending ? 'descending' : 'ascending') : undefined, class: k === 'column' || k === 'test' ? '' : 'num' }, b);
  }));
  const rows = sorted(report.columns).map((c) => {
    const tr = h('tr', { 'data-key': c.name, tabindex: 0, class: `${c.drifted ? 'drifted' : ''} ${c.name === selected ? 'selected' : ''}`, 'aria-selected': c.name === selected ? 'true' : 'false', title: c.warning ?? `Show ${c.name}'s distributions` },
      ...COLUMNS.map((k) => h('td', { class: k === 'column' || k === 'test' ? '' : 'num', 'data-col': k }, cell(c, k), k === 'column' && c.warning ? h('span', { class: 'badge warning', title: c.warning }, 'large sample') : '')));
    const choose = () => {
      selected = c.name;
      save();
      render();
    };
    tr.addEventListener('click', choose);
    tr.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), choose()));
    return tr;
  });
  return h('div', { class: 'table-holder' }, h('table', { class: 'drift' }, h('thead', {}, head), h('tbody', {}, ...rows)));
}

function distributionChart(canvas: HTMLCanvasElement, report: DriftReportView, name: string): Chart {
  const d = report.distributions[name];
  const c = chartColors();
  const share = (counts: number[]) => {
    const total = counts.reduce((s, v) => s + v, 0) || 1;
    return counts.map((v) => v / total);
  };
  const labels = d.kind === 'bins' ? d.reference.map((_, i) => `${fmtNumber(d.edges[i], 3)}–${fmtNumber(d.edges[i + 1], 3)}`) : d.categories;
  const base = baseOptions(d.kind === 'bins' ? name : undefined, 'share of rows');
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'reference', data: share(d.reference), backgroundColor: withAlpha(c.series[0], 0.55), borderColor: c.series[0], borderWidth: 1, ...(d.kind === 'bins' ? { barPercentage: 1, categoryPercentage: 1, grouped: false } : {}) },
        { label: 'current', data: share(d.current), backgroundColor: withAlpha(c.series[1], 0.55), borderColor: c.series[1], borderWidth: 1, ...(d.kind === 'bins' ? { barPercentage: 1, categoryPercentage: 1, grouped: false } : {}) },
      ],
    },
    options: { ...base, plugins: { legend: { display: true, position: 'top' as const } } },
  });
}

function render(): void {
  charts.destroy();
  screenReplaced();
  if (!message) return;
  const r = message.report;
  const drifted = r.columns.filter((c) => c.drifted).length;
  const runId = message.runId;
  const openRun = runId ? h('button', { class: 'secondary', title: `Open run ${runId}` }, 'Open run') : '';
  if (openRun) openRun.addEventListener('click', () => post({ type: 'openRun', runId: runId! }));
  const column = r.columns.find((c) => c.name === selected);
  root.replaceChildren(
    h('header', {}, h('h1', {}, r.datasetDrift ? 'Dataset drift' : 'No dataset drift'), openRun),
    h('p', { class: 'path' }, `${r.current} against ${r.reference}`),
    h('div', { class: 'overview' },
      h('div', { class: `card verdict ${r.datasetDrift ? 'bad' : 'good'}` }, h('div', { class: 'card-value' }, `${drifted} of ${r.columns.length}`), h('div', { class: 'card-label' }, 'columns drifted')),
      h('div', { class: 'card' }, h('div', { class: 'card-value' }, `${(100 * r.driftedShare).toFixed(0)}%`), h('div', { class: 'card-label' }, 'share drifted')),
      h('div', { class: 'card' }, h('div', { class: 'card-value' }, (r.columns[0]?.referenceRows ?? 0).toLocaleString('en-US')), h('div', { class: 'card-label' }, 'reference rows')),
      h('div', { class: 'card' }, h('div', { class: 'card-value' }, (r.columns[0]?.currentRows ?? 0).toLocaleString('en-US')), h('div', { class: 'card-label' }, 'current rows'))),
    table(r),
    r.skipped.length ? h('p', { class: 'hint skipped' }, `Not compared: ${r.skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`) : '',
    column ? h('section', { class: 'distribution' },
      h('h2', {}, `${column.name}: reference and current`),
      column.warning ? h('p', { class: 'status warning' }, column.warning) : '',
      charts.box('distribution', (cv) => distributionChart(cv, r, column.name), 260, `${column.name}: the reference and current distributions`)) : '',
    h('p', { class: 'hint' }, 'p-value tests (ks, chi2, z) drift below their threshold; distances (wasserstein over the reference\'s std, jensenshannon, psi) at or above it. Effect size: the KS statistic, Cramér\'s V, the difference of proportions, or the distance.'),
  );
  reportAfterPaint(snapshot);
}

function snapshot(): void {
  if (!message) return;
  const rows = [...root.querySelectorAll<HTMLTableRowElement>('tr[data-key]')].map((tr) => ({
    name: tr.dataset.key!,
    cells: Object.fromEntries([...tr.querySelectorAll<HTMLElement>('td')].map((td) => [td.dataset.col!, td.firstChild?.textContent ?? ''])),
  }));
  const s: DriftSnapshot = {
    verdict: root.querySelector('h1')?.textContent ?? '', rows, sortedBy: `${sort} ${descending ? 'descending' : 'ascending'}`,
    ...(selected ? { selected, chart: message.report.distributions[selected]?.kind } : {}),
  };
  post({ type: 'rendered', snapshot: s });
}

onThemeChange(render);
if (message) render();
post({ type: 'ready' });
