// The run results panel: for a training session, the leaderboard (sorted by a chosen metric) and,
// per model, the classification report, confusion matrix, ROC and PR curves, feature importances
// and the MLP's training curve (drawn live); for regression, predicted against actual and the
// residuals; for a tuning search, the cv_results table and score against each parameter.
import { currentState, LEADERBOARD_METRICS, lowerIsBetter, primaryMetric, VIEW_STATE_VERSION } from '../contract';
import type { EpochLog, Evaluation, ModelDetail, RunHostMessage, RunSnapshot, RunSummary, RunView, RunViewMessage, RunViewState } from '../contract';
import { ChartSet } from '../shared/chartKit';
import { onThemeChange } from '../shared/theme';
import { reportAfterPaint, screenReplaced } from '../shared/afterPaint';
import { fmtNumber, h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { appendEpoch, confusionChart, curvesChart, importancesChart, paramScoreChart, regressionChart, trainingCurveChart } from './charts';

const vscode = vscodeApi<RunViewState & { view?: RunView }, RunViewMessage>();
const root = document.getElementById('root')!;
const charts = new ChartSet();

// A view saved by another version is not drawn: the host sends the run again.
let view: RunView | undefined = currentState(vscode.getState()) ? vscode.getState()?.view : undefined;
let live = false;
let selected: string | undefined;
let sortMetric: string | undefined;
/** Epoch points received while a model trains (its detail may not be open). */
const curves = new Map<string, EpochLog[]>();

const post = (m: RunViewMessage) => vscode.postMessage(m);


window.addEventListener('message', (event: MessageEvent<RunHostMessage>) => {
  const m = event.data;
  if (m.type === 'run') {
    view = m.view;
    live = m.live;
    for (const d of m.view.models) if (d.curve) curves.set(d.run.runId, d.curve);
    vscode.setState({ version: VIEW_STATE_VERSION, runId: m.view.run.runId, view: m.view });
    render();
  } else if (m.type === 'epoch') {
    const list = curves.get(m.runId) ?? [];
    if (!list.some((l) => l.epoch === m.log.epoch)) list.push(m.log);
    curves.set(m.runId, list);
    const chart = charts.get(`curve-${m.runId}`);
    if (chart) appendEpoch(chart, m.log);
    else if (selected === m.runId) render();
  } else if (m.type === 'preparing') renderPreparing(m.title, m.stage);
  else if (m.type === 'error') renderError(m.message);
});

/** The panel as the command starts, before the session's first run exists (it was blank then). */
function renderPreparing(title: string, stage: string): void {
  charts.destroy();
  root.replaceChildren(h('h1', {}, title), h('p', { class: 'status', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ` ${stage}`));
}

function renderError(message: string): void {
  charts.destroy();
  screenReplaced();
  root.replaceChildren(h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Cannot show this run'), h('p', { class: 'error-message' }, message)));
  post({ type: 'rendered', snapshot: { runId: vscode.getState()?.runId ?? '', title: '', leaderboard: [], sections: [], charts: [], error: message } });
}

function statusBadge(r: RunSummary): HTMLElement {
  return h('span', { class: `badge status-${r.status.toLowerCase()}` }, r.status);
}

function render(): void {
  if (!view) return;
  charts.destroy();
  const v = view;
  const r = v.run;
  const kindText = { session: 'training session', model: 'model', tuning: 'hyperparameter search', evaluation: 'evaluation', other: 'run' }[v.kind];
  const header = h('header', {},
    h('h1', {}, r.runName, ' ', statusBadge(r)),
    h('p', { class: 'path' }, `${kindText}${r.params.data ? ` · ${r.params.data}` : ''}${r.params.target ? ` → ${r.params.target}` : ''}${v.task ? ` · ${v.task}` : ''} · started ${new Date(r.startTime).toLocaleString()}${r.endTime ? ` · ${((r.endTime - r.startTime) / 1000).toFixed(1)} s` : ''}`),
    h('p', { class: 'hint' }, `run ${r.runId}`),
  );
  const sections: HTMLElement[] = [header];
  if (live) sections.push(h('p', { class: 'status', role: 'status' }, 'Training… this panel fills in as each model finishes.'));
  if (r.error) sections.push(h('div', { class: 'error', role: 'alert' }, h('p', { class: 'error-message' }, r.error)));
  if (v.warnings.length) sections.push(h('ul', { class: 'warnings' }, ...v.warnings.map((w) => h('li', {}, w))));

  if (v.kind === 'session') {
    sections.push(leaderboard(v));
    const d = v.models.find((m) => m.run.runId === selected) ?? best(v);
    if (d) sections.push(modelDetail(d, v));
  } else if (v.kind === 'tuning') {
    if (v.tuning) sections.push(tuningSection(v));
    if (v.models[0]) sections.push(modelDetail(v.models[0], v, 'The best candidate, refitted and scored on the test split'));
  } else if (v.models[0]) {
    sections.push(actions(r));
    sections.push(modelDetail(v.models[0], v));
  }
  root.replaceChildren(...sections);
  reportAfterPaint(snapshot);
}

function actions(r: RunSummary): HTMLElement {
  const bar = h('div', { class: 'actions' });
  if (r.hasBundle && r.status === 'FINISHED') {
    const predict = h('button', {}, 'Predict with this model…');
    predict.addEventListener('click', () => post({ type: 'predict', runId: r.runId }));
    const scaffold = h('button', { class: 'secondary' }, 'Scaffold serving…');
    scaffold.addEventListener('click', () => post({ type: 'scaffold', runId: r.runId }));
    const serve = h('button', { class: 'secondary' }, 'Serve');
    serve.addEventListener('click', () => post({ type: 'serve', runId: r.runId }));
    const onnx = h('button', { class: 'secondary' }, 'Export ONNX…');
    onnx.addEventListener('click', () => post({ type: 'exportOnnx', runId: r.runId }));
    bar.append(predict, scaffold, serve, onnx);
  }
  const reveal = h('button', { class: 'secondary' }, 'Reveal artifacts');
  reveal.addEventListener('click', () => post({ type: 'revealArtifacts', runId: r.runId }));
  bar.append(reveal);
  return bar;
}

function best(v: RunView): ModelDetail | undefined {
  const done = v.models.filter((m) => m.run.status === 'FINISHED' && v.primaryMetric in m.run.metrics);
  const running = v.models.find((m) => m.run.status === 'RUNNING');
  if (live && running) return running;
  return done.sort((a, b) => b.run.metrics[v.primaryMetric] - a.run.metrics[v.primaryMetric])[0] ?? v.models[v.models.length - 1];
}

function leaderboard(v: RunView): HTMLElement {
  const task = v.task ?? 'classification';
  const columns = [...LEADERBOARD_METRICS[task], `cv_${primaryMetric(task)}_mean`];
  const present = columns.filter((c) => v.models.some((m) => c in m.run.metrics));
  sortMetric ??= v.primaryMetric;
  const metric = sortMetric;
  const sign = lowerIsBetter(metric) ? 1 : -1;
  const rows = [...v.models].sort((a, b) => sign * ((a.run.metrics[metric] ?? (sign > 0 ? Infinity : -Infinity)) - (b.run.metrics[metric] ?? (sign > 0 ? Infinity : -Infinity))));
  const bestId = rows.find((m) => m.run.status === 'FINISHED' && metric in m.run.metrics)?.run.runId;
  const select = h('select', { 'aria-label': 'Sort the leaderboard by' }, ...[...present, 'fit_seconds'].map((c) => h('option', { value: c, selected: c === metric }, c)));
  select.addEventListener('change', () => {
    sortMetric = select.value;
    render();
  });
  const table = h('table', { class: 'leaderboard' },
    h('thead', {}, h('tr', {}, h('th', {}, 'model'), h('th', {}, 'status'), ...present.map((c) => h('th', { class: 'num' }, c)), h('th', { class: 'num' }, 'fit s'))),
    h('tbody', {}, ...rows.map((m) => {
      const tr = h('tr', { class: `model-row${m.run.runId === bestId ? ' best' : ''}`, tabindex: 0, 'aria-selected': String(m.run.runId === (selected ?? best(v)?.run.runId)), 'data-run': m.run.runId },
        h('td', {}, m.run.runName, m.run.runId === bestId ? h('span', { class: 'badge' }, 'best') : ''),
        h('td', {}, statusBadge(m.run)),
        ...present.map((c) => h('td', { class: 'num' }, fmtNumber(m.run.metrics[c]))),
        h('td', { class: 'num' }, fmtNumber(m.run.metrics.fit_seconds, 2)));
      const open = () => {
        selected = m.run.runId;
        render();
      };
      tr.addEventListener('click', open);
      tr.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), open()));
      return tr;
    })));
  const compare = h('button', { class: 'secondary' }, 'Compare models');
  compare.addEventListener('click', () => post({ type: 'compare', runIds: v.models.map((m) => m.run.runId) }));
  return h('section', { 'data-section': 'leaderboard' },
    h('h2', {}, 'Leaderboard'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Sort by ', select), ' ', compare),
    h('div', { class: 'table-holder' }, table),
    h('p', { class: 'hint' }, `Test split metrics; cv_* are cross-validated on the training split. Select a model (click or Enter) for its details.`));
}

function modelDetail(d: ModelDetail, v: RunView, note?: string): HTMLElement {
  const r = d.run;
  const id = r.runId;
  const section = h('section', { 'data-section': 'model' }, h('h2', {}, r.runName, ' ', statusBadge(r)));
  if (note) section.append(h('p', { class: 'hint' }, note));
  if (v.kind === 'session') {
    const open = h('button', { class: 'secondary' }, 'Open model run');
    open.addEventListener('click', () => post({ type: 'openRun', runId: id }));
    const bar = actions(r);
    bar.prepend(open);
    section.append(bar);
  }
  if (r.error) section.append(h('div', { class: 'error', role: 'alert' }, h('p', { class: 'error-message' }, r.error)));
  const e = d.evaluation;
  const curve = curves.get(id) ?? d.curve;
  if (curve || (live && r.status === 'RUNNING' && r.model === 'mlp')) {
    section.append(h('h3', {}, 'Training curve'), charts.box(`curve-${id}`, (cv) => trainingCurveChart(cv, curve ?? [], v.task !== 'regression'), 240, 'training curve'));
  }
  if (e) section.append(...evaluationParts(e, id));
  if (d.importances?.length) {
    const top = d.importances.slice(0, 20);
    section.append(h('h3', {}, `Feature importances${d.importances.length > 20 ? ` (top 20 of ${d.importances.length})` : ''}`), charts.box(`importances-${id}`, (cv) => importancesChart(cv, top), Math.max(140, 60 + top.length * 24), 'feature importances'));
  }
  section.append(paramsTable(r));
  if (!e && r.status === 'FINISHED' && v.kind === 'other') section.append(metricsTable(r));
  return section;
}

function evaluationParts(e: Evaluation, id: string): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (e.task === 'regression') {
    out.push(h('h3', {}, 'Metrics'), kv(e.metrics));
    out.push(h('h3', {}, 'Predicted against actual'), charts.box(`fit-${id}`, (cv) => regressionChart(cv, e.actual, e.predicted, 'fit'), 300, 'predicted against actual'));
    out.push(h('h3', {}, 'Residuals'), charts.box(`residuals-${id}`, (cv) => regressionChart(cv, e.actual, e.predicted, 'residuals'), 260, 'residuals'));
    return out;
  }
  const rep = e.report;
  const row = (label: string, s: { precision: number; recall: number; f1: number; support: number }, cls = '') =>
    h('tr', { class: cls }, h('td', {}, label), ...[s.precision, s.recall, s.f1].map((x) => h('td', { class: 'num' }, x.toFixed(4))), h('td', { class: 'num' }, String(s.support)));
  out.push(h('h3', {}, 'Classification report'), h('div', { class: 'table-holder' }, h('table', { class: 'small report' },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ...['precision', 'recall', 'f1-score', 'support'].map((c) => h('th', { class: 'num' }, c)))),
    h('tbody', {},
      ...rep.classes.map((c) => row(c.label, c)),
      h('tr', { class: 'sum' }, h('td', {}, 'accuracy'), h('td', {}), h('td', {}), h('td', { class: 'num' }, rep.accuracy.toFixed(4)), h('td', { class: 'num' }, String(rep.macro.support))),
      row('macro avg', rep.macro, 'sum'),
      row('weighted avg', rep.weighted, 'sum')))));
  const others = Object.fromEntries(Object.entries(e.metrics).filter(([k]) => !['accuracy'].includes(k)));
  out.push(kv(others));
  const k = e.labels.length;
  out.push(h('h3', {}, 'Confusion matrix'), charts.box(`confusion-${id}`, (cv) => confusionChart(cv, e.labels, e.confusion), Math.min(560, 90 + k * 32), 'confusion matrix'));
  const grid = h('div', { class: 'curve-grid' });
  if (e.roc.length) grid.append(h('div', {}, h('h3', {}, k === 2 ? `ROC curve (positive class ${e.roc[0].label})` : 'ROC curves (one vs rest)'), charts.box(`roc-${id}`, (cv) => curvesChart(cv, e.roc, 'roc'), 300, 'ROC curve')));
  if (e.pr.length) grid.append(h('div', {}, h('h3', {}, 'Precision-recall'), charts.box(`pr-${id}`, (cv) => curvesChart(cv, e.pr, 'pr'), 300, 'precision-recall curve')));
  out.push(grid);
  return out;
}

function kv(metrics: Record<string, number>): HTMLElement {
  return h('dl', { class: 'facts metrics' }, ...Object.entries(metrics).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, fmtNumber(v))]));
}

function paramsTable(r: RunSummary): HTMLElement {
  const keys = Object.keys(r.params).sort();
  const d = h('details', { class: 'params' }, h('summary', {}, `Parameters (${keys.length})`), h('dl', { class: 'facts' }, ...keys.flatMap((k) => [h('dt', {}, k), h('dd', {}, r.params[k])])));
  return d;
}

function metricsTable(r: RunSummary): HTMLElement {
  return h('div', {}, h('h3', {}, 'Metrics'), kv(r.metrics));
}

function tuningSection(v: RunView): HTMLElement {
  const t = v.tuning!;
  const paramNames = [...new Set(t.rows.flatMap((r) => Object.keys(r.params)))];
  const rows = [...t.rows].sort((a, b) => a.rankTestScore - b.rankTestScore);
  const show = (x: unknown) => (x === null ? 'None' : typeof x === 'number' ? fmtNumber(x) : String(x));
  const table = h('table', { class: 'cv-results' },
    h('thead', {}, h('tr', {}, h('th', { class: 'num' }, 'rank'), h('th', { class: 'num' }, `mean ${t.scoring}`), h('th', { class: 'num' }, 'std'), ...paramNames.map((p) => h('th', {}, p)), ...Array.from({ length: t.cv }, (_, i) => h('th', { class: 'num' }, `split ${i}`)), h('th', { class: 'num' }, 'fit s'))),
    h('tbody', {}, ...rows.map((r) => h('tr', { class: r.rankTestScore === 1 ? 'best' : '' },
      h('td', { class: 'num' }, String(r.rankTestScore)), h('td', { class: 'num' }, r.meanTestScore.toFixed(4)), h('td', { class: 'num' }, r.stdTestScore.toFixed(4)),
      ...paramNames.map((p) => h('td', {}, show(r.params[p]))), ...r.splitScores.map((s) => h('td', { class: 'num' }, s.toFixed(4))), h('td', { class: 'num' }, r.meanFitSeconds.toFixed(2))))));
  const section = h('section', { 'data-section': 'tuning' },
    h('h2', {}, 'Search results'),
    h('p', {}, 'Best parameters: ', h('code', {}, JSON.stringify(t.bestParams)), ` · mean ${t.scoring} ${rows[0]?.meanTestScore.toFixed(4) ?? ''} over ${t.cv} folds`),
    h('div', { class: 'table-holder' }, table));
  const grid = h('div', { class: 'curve-grid' });
  for (const p of paramNames) {
    const points = t.rows.map((r) => ({ value: show(r.params[p]), mean: r.meanTestScore, std: r.stdTestScore }));
    grid.append(h('div', {}, h('h3', {}, `${t.scoring} against ${p}`), charts.box(`param-${p}`, (cv) => paramScoreChart(cv, p, points), 220, `score against ${p}`)));
  }
  section.append(grid);
  return section;
}

function snapshot(): void {
  if (!view) return;
  const headers = [...root.querySelectorAll<HTMLElement>('table.leaderboard thead th')].map((th) => th.textContent ?? '');
  const leaderboard = [...root.querySelectorAll<HTMLTableRowElement>('table.leaderboard tbody tr')].map((tr) => {
    const cells: Record<string, string> = {};
    [...tr.cells].forEach((td, i) => (cells[headers[i]] = td.textContent ?? ''));
    return { name: tr.cells[0].firstChild?.textContent ?? '', cells };
  });
  const s: RunSnapshot = {
    runId: view.run.runId,
    title: root.querySelector('h1')?.textContent ?? '',
    leaderboard,
    sections: [...root.querySelectorAll<HTMLElement>('[data-section]')].map((e) => e.dataset.section!),
    charts: [...root.querySelectorAll<HTMLElement>('[data-chart]')].map((e) => e.dataset.chart!),
  };
  post({ type: 'rendered', snapshot: s });
}

onThemeChange(render);

if (view) render();
post({ type: 'ready' });
