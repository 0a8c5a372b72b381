// The profile panel: overview, alerts, target, columns (sortable, paged, charts on demand),
// correlations. Everything is built with DOM calls; no HTML strings from data.
import type { Chart } from 'chart.js';
import { currentState, VIEW_STATE_VERSION } from '../contract';
import type { ColumnProfile, Profile, ProfileHostMessage, ProfileViewMessage, ProfileViewState, RenderedSnapshot } from '../contract';
import { abbreviate, fmtBytes, fmtNumber, formatPercent, h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { ChartSet } from '../shared/chartKit';
import { onThemeChange } from '../shared/theme';
import { reportAfterPaint, screenReplaced } from '../shared/afterPaint';
import { boxplotChart, heatColor, heatmapChart, histogramChart, topValuesChart } from './charts';

const vscode = vscodeApi<ProfileViewState, ProfileViewMessage>();
const root = document.getElementById('root')!;
const PAGE_SIZE = 50;
const MAX_HEATMAP_COLUMNS = 40;

// A state saved by another version keeps only which file and target it was: the host profiles again.
const saved = vscode.getState();
let state: ProfileViewState | undefined = saved && (currentState(saved) ? saved : { version: VIEW_STATE_VERSION, file: saved.file, target: saved.target });
let sortKey: keyof ColumnProfile | 'index' = 'index';
let sortDescending = false;
let page = 0;
let filter = '';
const expanded = new Set<string>();

function post(m: ProfileViewMessage): void {
  vscode.postMessage(m);
}

const charts = new ChartSet();
const destroyCharts = (prefix = '') => charts.destroy(prefix);
const chartBox = (key: string, draw: (canvas: HTMLCanvasElement) => Chart, height = 220) => charts.box(key, draw, height);

window.addEventListener('message', (event: MessageEvent<ProfileHostMessage>) => {
  const m = event.data;
  switch (m.type) {
    case 'loading':
      // Save which file this is at once: a reload before the profile arrives can still restore it.
      if (state?.file !== m.file || state.target !== m.target) {
        state = { version: VIEW_STATE_VERSION, file: m.file, target: m.target };
        vscode.setState(state);
      }
      renderLoading(m.file, m.target);
      break;
    case 'profile':
      state = { version: VIEW_STATE_VERSION, file: m.file, target: m.target, profile: m.profile };
      vscode.setState(state);
      page = 0;
      render();
      break;
    case 'error':
      renderError(m.file, m.message);
      break;
  }
});

function renderLoading(file: string, target?: string): void {
  if (state?.profile && state.file === file) {
    root.querySelector('.status')?.replaceChildren(`Profiling${target ? ` with target ${target}` : ''}…`);
    return;
  }
  destroyCharts();
  screenReplaced();
  root.replaceChildren(h('header', {}, h('h1', {}, baseName(file)), h('p', { class: 'status', role: 'status' }, 'Profiling…')));
}

function renderError(file: string, message: string): void {
  destroyCharts();
  screenReplaced();
  root.replaceChildren(
    h('header', {}, h('h1', {}, baseName(file))),
    h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Could not profile this file'), h('p', { class: 'error-message' }, message)),
    h('button', { type: 'button', id: 'retry' }, 'Try again'),
  );
  root.querySelector('#retry')!.addEventListener('click', () => post({ type: 'refresh' }));
  post({ type: 'rendered', snapshot: { file, overview: {}, columns: {}, alerts: [], charts: [], error: message } });
}

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

function render(): void {
  if (!state?.profile) return;
  const p = state.profile;
  destroyCharts();
  root.replaceChildren(
    header(p),
    overview(p),
    alerts(p),
    targetSection(p),
    columnsSection(p),
    matrixSection('correlations', 'Correlations (Pearson)', 'numeric', p.correlations, true, p.correlations.numericColumns, p.correlations.strongest),
    matrixSection('associations', "Associations between categorical columns (Cramér's V)", 'categorical', p.associations, false),
  );
  reportAfterPaint(() => post({ type: 'rendered', snapshot: snapshot() }));
}

function header(p: Profile): HTMLElement {
  const refresh = h('button', { type: 'button', class: 'secondary', title: 'Read the file again' }, 'Refresh');
  refresh.addEventListener('click', () => post({ type: 'refresh' }));
  // The alerts' suggested steps (log1p of a skewed column, target encoding, time features) as a start.
  const suggested = p.alerts.flatMap((a) => (a.suggestion?.step ? [a.suggestion.step] : []));
  const engineer = h('button', { type: 'button', id: 'engineer-features', class: 'secondary', title: suggested.length ? `Start from the ${suggested.length} step${suggested.length > 1 ? 's' : ''} the alerts suggest` : 'Build feature steps for this file' }, 'Engineer features…');
  engineer.addEventListener('click', () => post({ type: 'engineerFeatures', steps: suggested }));
  return h('header', {},
    h('h1', {}, baseName(p.file)),
    h('p', { class: 'path' }, p.file),
    h('p', { class: 'status', role: 'status' }, p.bounded
      ? `Read in ${p.bounded.chunks} chunks${p.bounded.passes > 1 ? ` (${p.bounded.passes} passes)` : ''} and profiled in ${(p.timings.profileMs / 1000).toFixed(2)} s`
      : `Read in ${(p.timings.loadMs / 1000).toFixed(2)} s, profiled in ${(p.timings.profileMs / 1000).toFixed(2)} s`),
    ...(p.bounded ? [h('p', { class: 'hint', id: 'bounded-note' }, `The file's columns would not fit the ${p.bounded.budgetMB} MB memory budget (setting mlWorkbench.profile.memoryBudgetMB), so it was read in chunks: figures are exact while their state fits, and those marked ≈ are estimates, each with its error.`)] : []),
    refresh, ' ', engineer,
  );
}

function card(label: string, value: string, key: string): HTMLElement {
  return h('div', { class: 'card', 'data-key': key }, h('div', { class: 'card-value' }, value), h('div', { class: 'card-label' }, label));
}

function overview(p: Profile): HTMLElement {
  const types = Object.entries(p.typeCounts).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ');
  return h('section', { class: 'overview', 'aria-label': 'Overview' },
    card('rows', p.rows.toLocaleString('en-US'), 'rows'),
    card('columns', String(p.columnsCount), 'columns'),
    card('missing cells', `${p.missingCells.toLocaleString('en-US')} (${formatPercent(p.missingCellsPct)})`, 'missing'),
    card('duplicate rows', p.duplicateRowsError === undefined ? p.duplicateRows.toLocaleString('en-US')
      : `≈ ${p.duplicateRows.toLocaleString('en-US')} (rows less a HyperLogLog count of distinct rows, ±${(100 * p.duplicateRowsError).toFixed(2)}% standard error)`, 'duplicates'),
    card('memory', fmtBytes(p.memoryBytes), 'memory'),
    card('types', types, 'types'),
  );
}

function alerts(p: Profile): HTMLElement {
  const items = [...p.warnings.map((w) => h('li', { class: 'warning' }, `reader: ${w}`)), ...p.alerts.map((a) => h('li', { 'data-kind': a.kind }, h('span', { class: 'badge' }, a.kind), ' ', a.message,
    // The step a run spec's features would take, as its JSON: what to paste into the spec.
    ...(a.suggestion ? [h('div', { class: 'suggestion' }, `Suggested: ${a.suggestion.text}`, ...(a.suggestion.step ? [' ', h('code', {}, JSON.stringify(a.suggestion.step))] : []))] : [])))];
  return h('section', { class: 'alerts', 'aria-label': 'Alerts' },
    h('h2', {}, `Alerts (${p.alerts.length})`),
    items.length ? h('ul', {}, ...items) : h('p', {}, 'No alerts.'));
}

function targetSection(p: Profile): HTMLElement {
  const select = h('select', { id: 'target', 'aria-label': 'Target column' }, h('option', { value: '' }, '(none)'),
    ...p.columns.map((c) => h('option', { value: c.name, selected: c.name === state?.target }, c.name)));
  select.addEventListener('change', () => post({ type: 'setTarget', column: select.value || null }));
  const section = h('section', { class: 'target', 'aria-label': 'Target' }, h('h2', {}, 'Target'), h('label', { for: 'target' }, 'Target column: '), select);
  const t = p.target;
  if (!t) {
    section.append(h('p', { class: 'hint' }, 'Pick the column you want to predict to see its balance and each feature by class.'));
    return section;
  }
  if (t.task === 'regression' && t.histogram) {
    section.append(h('h3', {}, `${t.column}: regression target`), chartBox('target-hist', (cv) => histogramChart(cv, t.histogram!, t.column)));
    return section;
  }
  const classes = t.classes ?? [];
  section.append(
    h('h3', {}, `${t.column}: ${classes.length} classes`),
    h('p', { class: 'hint' }, `Imbalance ${(t.imbalance ?? 0).toFixed(2)}: one minus the normalised entropy of the class counts, 0 when every class has as many rows, towards 1 as one class takes them all. When the smallest class has under a quarter of the largest's rows the profile raises an alert: accuracy then flatters, so read F1 and the per-class report.`),
    h('table', { class: 'small', id: 'class-balance' },
      h('thead', {}, h('tr', {}, h('th', {}, 'class'), h('th', {}, 'rows'), h('th', {}, 'share'))),
      h('tbody', {}, ...classes.slice(0, 30).map((c) => h('tr', {}, h('td', {}, c.value), h('td', { class: 'num' }, c.count.toLocaleString('en-US')),
        h('td', { class: 'num' }, formatPercent((100 * c.count) / Math.max(1, p.rows))))))),
    chartBox('target-balance', (cv) => topValuesChart(cv, classes.slice(0, 30), t.column, false)),
  );
  if (t.sampleRows !== undefined) section.append(h('p', { class: 'hint', id: 'target-sample' }, `≈ The box plots and the rates below come from a uniform sample of ${t.sampleRows.toLocaleString('en-US')} rows; the class counts above are exact.`));
  const boxes = t.boxplots ?? [];
  if (boxes.length) {
    const pick = h('select', { id: 'box-feature', 'aria-label': 'Feature for box plot' }, ...boxes.map((b, i) => h('option', { value: String(i) }, b.feature)));
    const holder = h('div', {});
    const draw = () => {
      destroyCharts('box-');
      const b = boxes[Number(pick.value)];
      holder.replaceChildren(chartBox(`box-${b.feature}`, (cv) => boxplotChart(cv, b.boxes, b.feature), 260));
    };
    pick.addEventListener('change', draw);
    section.append(h('h3', {}, 'Numeric features by class'), h('label', { for: 'box-feature' }, 'Feature: '), pick, holder);
    draw();
  }
  const rates = t.rates ?? [];
  if (rates.length) {
    // The share of each class in each category (survival by sex, by class): a table per feature.
    section.append(h('h3', {}, `${t.column} by category`), ...rates.map((r) => h('table', { class: 'small rates', 'data-feature': r.feature },
      h('caption', {}, r.feature),
      h('thead', {}, h('tr', {}, h('th', {}, r.feature), h('th', { class: 'num' }, 'rows'), ...classes.slice(0, 6).map((c) => h('th', { class: 'num' }, `${abbreviate(c.value, 20)} %`)))),
      h('tbody', {}, ...r.categories.map((cat) => h('tr', {}, h('td', {}, abbreviate(cat.value, 30)), h('td', { class: 'num' }, cat.count.toLocaleString('en-US')),
        ...cat.counts.slice(0, 6).map((n) => h('td', { class: 'num' }, formatPercent((100 * n) / cat.count)))))))));
  }
  return section;
}

const COLUMNS: { key: keyof ColumnProfile; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'column' },
  { key: 'type', label: 'type' },
  { key: 'count', label: 'count', numeric: true },
  { key: 'missing', label: 'missing', numeric: true },
  { key: 'distinct', label: 'distinct', numeric: true },
  { key: 'mean', label: 'mean', numeric: true },
  { key: 'std', label: 'std', numeric: true },
  { key: 'min', label: 'min', numeric: true },
  { key: 'q25', label: '25%', numeric: true },
  { key: 'median', label: '50%', numeric: true },
  { key: 'q75', label: '75%', numeric: true },
  { key: 'max', label: 'max', numeric: true },
];

function cellText(c: ColumnProfile, key: keyof ColumnProfile): string {
  if (key === 'missing') return c.missing ? `${c.missing.toLocaleString('en-US')} (${formatPercent(c.missingPct)})` : '0';
  if (c.type === 'datetime' && (key === 'min' || key === 'max')) return (key === 'min' ? c.minDate : c.maxDate)?.replace('T', ' ').replace(':00.000Z', '') ?? '';
  if (c.type === 'datetime' && ['q25', 'median', 'q75', 'mean'].includes(key)) {
    const v = c[key] as number | undefined;
    return v === undefined || !Number.isFinite(v) ? '' : new Date(v).toISOString().slice(0, 16).replace('T', ' ');
  }
  const v = c[key];
  if (key === 'distinct') return `${c.distinctError === undefined ? '' : '≈ '}${c.distinct.toLocaleString('en-US')}`;
  if (key === 'count') return c.count.toLocaleString('en-US');
  if (c.quantiles?.method === 'sketch' && (key === 'q25' || key === 'median' || key === 'q75') && typeof v === 'number') return `≈ ${fmtNumber(v)}`;
  if (typeof v === 'number') return fmtNumber(v);
  return v === undefined ? '' : String(v);
}

function sortedColumns(p: Profile): ColumnProfile[] {
  const cols = p.columns.filter((c) => !filter || c.name.toLowerCase().includes(filter.toLowerCase()));
  if (sortKey === 'index') return cols;
  const key = sortKey;
  const sorted = [...cols].sort((a, b) => {
    const x = a[key], y = b[key];
    if (x === undefined && y === undefined) return 0;
    if (x === undefined) return 1; // blanks last either way
    if (y === undefined) return -1;
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sortDescending ? -d : d;
  });
  return sorted;
}

function columnsSection(p: Profile): HTMLElement {
  const section = h('section', { class: 'columns', 'aria-label': 'Columns' }, h('h2', {}, `Columns (${p.columnsCount})`),
    h('p', { class: 'hint' }, 'Each row opens (click, or Enter) onto its histogram or most frequent values.'));
  const search = h('input', { type: 'search', id: 'column-filter', placeholder: 'Filter columns', 'aria-label': 'Filter columns', value: filter });
  search.addEventListener('input', () => {
    filter = search.value;
    page = 0;
    redrawTable();
  });
  const tableHolder = h('div', { class: 'table-holder' });
  section.append(search, tableHolder);
  const redrawTable = () => {
    destroyCharts('col-');
    tableHolder.replaceChildren(columnsTable(p, redrawTable));
  };
  redrawTable();
  return section;
}

function columnsTable(p: Profile, redraw: () => void): HTMLElement {
  const cols = sortedColumns(p);
  const pages = Math.max(1, Math.ceil(cols.length / PAGE_SIZE));
  page = Math.min(page, pages - 1);
  const shown = cols.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
  const headRow = h('tr', {}, ...COLUMNS.map((c) => {
    const active = sortKey === c.key;
    const button = h('button', { type: 'button', class: 'sort', 'aria-label': `Sort by ${c.label}` }, c.label, active ? (sortDescending ? ' ▼' : ' ▲') : '');
    button.addEventListener('click', () => {
      if (sortKey === c.key) sortDescending = !sortDescending;
      else {
        sortKey = c.key;
        sortDescending = !!c.numeric;
      }
      redraw();
    });
    return h('th', { scope: 'col', 'aria-sort': active ? (sortDescending ? 'descending' : 'ascending') : 'none', class: c.numeric ? 'num' : '' }, button);
  }));
  const body = h('tbody', {});
  for (const c of shown) {
    const row = h('tr', { tabindex: 0, class: 'column-row', 'data-column': c.name, 'aria-expanded': expanded.has(c.name) ? 'true' : 'false' },
      ...COLUMNS.map((col) => h('td', { class: col.numeric ? 'num' : '', 'data-label': col.label }, col.key === 'name' && c.idLike ? `${c.name} (id)` : cellText(c, col.key))));
    const toggle = () => {
      if (expanded.has(c.name)) expanded.delete(c.name);
      else expanded.add(c.name);
      redraw();
    };
    row.addEventListener('click', toggle);
    row.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        toggle();
      }
    });
    body.append(row);
    if (expanded.has(c.name)) body.append(h('tr', { class: 'details' }, h('td', { colspan: COLUMNS.length }, columnDetails(c))));
  }
  const pager = h('nav', { class: 'pager', 'aria-label': 'Column pages' });
  if (pages > 1) {
    const prev = h('button', { type: 'button', disabled: page === 0 }, '‹ Previous');
    const next = h('button', { type: 'button', disabled: page >= pages - 1 }, 'Next ›');
    prev.addEventListener('click', () => { page--; redraw(); });
    next.addEventListener('click', () => { page++; redraw(); });
    pager.append(prev, h('span', {}, ` page ${page + 1} of ${pages} `), next);
  }
  return h('div', {}, h('table', { class: 'columns-table', id: 'columns-table' }, h('thead', {}, headRow), body), pager);
}

function columnDetails(c: ColumnProfile): HTMLElement {
  const facts: [string, string][] = [['dtype (pandas)', c.dtype], ['distinct', c.distinctError === undefined ? c.distinct.toLocaleString('en-US')
    : `≈ ${c.distinct.toLocaleString('en-US')} (HyperLogLog, ±${(100 * c.distinctError).toFixed(2)}% standard error)`]];
  if (c.topMaxUndercount !== undefined) facts.push(['top values', `estimates (Misra-Gries): each count may be low by up to ${c.topMaxUndercount.toLocaleString('en-US')} rows`]);
  if (c.type === 'numeric') {
    facts.push(['skewness', fmtNumber(c.skewness)], ['zeros', `${c.zeros} (${formatPercent(c.zerosPct ?? 0)})`]);
    if (c.infinite) facts.push(['infinite', String(c.infinite)]);
  }
  if (c.quantiles?.method === 'sketch') facts.push(['quantiles', `sketch of ${c.quantiles.sampleSize} values, rank error ≤ ${((c.quantiles.rankError ?? 0) * 100).toFixed(2)}% (99%)`]);
  const dl = h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
  let chart: HTMLElement | undefined;
  if (c.histogram && c.histogram.counts.length) chart = chartBox(`col-${c.name}`, (cv) => histogramChart(cv, c.histogram!, c.name, c.type === 'datetime'));
  else if (c.top && c.top.length) chart = chartBox(`col-${c.name}`, (cv) => topValuesChart(cv, c.top!, c.name), Math.max(120, c.top!.length * 22));
  return h('div', { class: 'column-details' }, dl, chart);
}

/** The heatmap's colour scale: swatches from its lowest value to its highest, each labelled. */
function colourScale(signed: boolean): HTMLElement {
  const stops = signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.25, 0.5, 0.75, 1];
  const swatch = (v: number) => {
    const s = h('span', { class: 'swatch' });
    s.style.background = heatColor(v); // CSSOM: the CSP forbids style attributes
    return h('span', { class: 'scale-stop' }, s, ` ${v}`);
  };
  return h('p', { class: 'colour-scale', 'aria-label': `colour scale from ${stops[0]} to 1` }, signed ? 'Pearson r: ' : "Cramér's V: ", ...stops.map(swatch));
}

/**
 * A heatmap section. `total` counts the columns the matrix was computed over when it holds only
 * the first of them; `strongest` then lists the strongest pairs of all.
 */
function matrixSection(id: string, title: string, kind: string, m: Profile['associations'], signed: boolean, total = m.columns.length, strongest: Profile['correlations']['strongest'] = []): HTMLElement {
  if (total < 2) {
    // Said in the heading: a section that opens onto "needs two columns" promised more than it had.
    return h('section', { class: 'matrix', id }, h('p', {}, `${title}: needs at least two ${kind} columns; this file has ${total}.`));
  }
  const details = h('details', { class: 'matrix', id }, h('summary', {}, `${title}: ${total} ${kind} columns${m.sampleRows === undefined ? '' : ` (≈ from a sample of ${m.sampleRows.toLocaleString('en-US')} rows)`}`));
  if (total > m.columns.length) {
    details.append(h('p', {}, `The matrix holds the first ${m.columns.length} of ${total} columns. The strongest pairs of all of them:`),
      h('ol', { class: 'strongest-pairs' }, ...strongest.slice(0, 20).map((p) => h('li', {}, `${p.columns[0]} and ${p.columns[1]}: r = ${p.r.toFixed(3)}`))));
  }
  details.addEventListener('toggle', () => {
    destroyCharts(`${id}-`);
    details.querySelector('.chart')?.remove();
    if (!details.open) return;
    const keep = m.columns.slice(0, MAX_HEATMAP_COLUMNS).length;
    const sub = { columns: m.columns.slice(0, keep), values: m.values.slice(0, keep).map((r) => r.slice(0, keep)) };
    const size = Math.max(260, Math.min(900, 60 + keep * 22));
    details.append(chartBox(`${id}-heatmap`, (cv) => heatmapChart(cv, sub, signed), size), colourScale(signed));
    if (m.columns.length > keep) details.append(h('p', {}, `Showing the first ${keep} of ${m.columns.length} columns.`));
  });
  return details;
}

function snapshot(): RenderedSnapshot {
  const overview: Record<string, string> = {};
  root.querySelectorAll<HTMLElement>('.card').forEach((c) => (overview[c.dataset.key!] = c.querySelector('.card-value')!.textContent ?? ''));
  const columns: Record<string, Record<string, string>> = {};
  root.querySelectorAll<HTMLElement>('tr.column-row').forEach((r) => {
    const cells: Record<string, string> = {};
    r.querySelectorAll<HTMLElement>('td').forEach((td) => (cells[td.dataset.label!] = td.textContent ?? ''));
    columns[r.dataset.column!] = cells;
  });
  return {
    file: state?.file ?? '',
    target: state?.target,
    overview,
    columns,
    alerts: [...root.querySelectorAll('.alerts li')].map((li) => li.textContent ?? ''),
    charts: [...root.querySelectorAll<HTMLElement>('[data-chart]')].map((c) => c.dataset.chart!),
    pager: root.querySelector('.pager span')?.textContent?.trim() ?? '',
    notes: [...root.querySelectorAll('#bounded-note, #target-sample')].map((n) => n.textContent ?? ''),
  };
}

onThemeChange(() => state?.profile && render());

if (state?.profile) render();
else if (state?.file) renderLoading(state.file, state.target);
post({ type: 'ready' });
