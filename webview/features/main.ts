// The Engineer Features panel: a list of feature steps (each its run-spec JSON, which the host
// checks by the same schema as the editor), added from a template made for this file's columns,
// moved and removed; a preview of the first rows with the new columns marked, and a small profile
// of each new column; Save writes a run spec beside the CSV, Train trains with it.
import type { FeaturesHostMessage, FeaturesPreview, FeaturesSnapshot, FeaturesViewMessage, FeaturesViewState } from '../contract';
import { currentState, VIEW_STATE_VERSION } from '../contract';
import { reportAfterPaint } from '../shared/afterPaint';
import { fmtNumber, h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';

const vscode = vscodeApi<FeaturesViewState, FeaturesViewMessage>();
const root = document.getElementById('root')!;
const post = (m: FeaturesViewMessage) => vscode.postMessage(m);

let file = '';
let stepTypes: string[] = [];
let steps: Record<string, unknown>[] = [];
let target: string | undefined;
let preview: FeaturesPreview | undefined;
let status: { kind: 'busy' | 'error' | 'saved'; text: string } | undefined;
const saved = vscode.getState();
if (saved && currentState(saved)) ({ file, steps, target } = saved);

function save(): void {
  vscode.setState({ version: VIEW_STATE_VERSION, file, steps, target });
}

window.addEventListener('message', (e: MessageEvent<FeaturesHostMessage>) => {
  const m = e.data;
  if (m.type === 'init') {
    file = m.file;
    stepTypes = m.stepTypes;
    if (!saved || !currentState(saved)) [steps, target] = [m.steps, m.target];
    status = { kind: 'busy', text: 'Reading the file…' };
  } else if (m.type === 'previewing') status = { kind: 'busy', text: 'Previewing…' };
  else if (m.type === 'preview') [preview, status] = [m.preview, undefined];
  else if (m.type === 'error') status = { kind: 'error', text: m.message };
  else if (m.type === 'saved') status = { kind: 'saved', text: `Saved ${m.spec}` };
  save();
  render();
});

/** A step of this type, filled in with columns of the right kind from this file. */
function template(type: string): Record<string, unknown> {
  const inputs = preview?.inputs ?? [];
  const of = (...kinds: string[]) => inputs.filter((c) => kinds.includes(c.kind)).map((c) => c.name);
  const numbers = of('numeric'), categories = of('categorical', 'text'), times = of('datetime');
  const n0 = numbers[0] ?? 'column', n1 = numbers[1] ?? n0, c0 = categories[0] ?? 'category', t0 = times[0] ?? 'date';
  switch (type) {
    case 'polynomial': return { type, columns: numbers.slice(0, 2), degree: 2 };
    case 'bin': return { type, column: n0, strategy: 'quantile', nBins: 5 };
    case 'targetEncode': return { type, columns: [c0] };
    case 'aggregate': return { type, groupBy: c0, column: n0, stats: ['mean'] };
    case 'lag': return { type, column: n0, lags: [1], orderBy: t0 };
    case 'rolling': return { type, column: n0, window: 7, stats: ['mean'], orderBy: t0 };
    case 'formula': return { type, name: `${n0}_per_${n1}`, expression: `\`${n0}\` / \`${n1}\`` };
    case 'timeFeatures': return { type, column: t0 };
    default: return { type };
  }
}

function stepCard(step: Record<string, unknown>, i: number): HTMLElement {
  const text = h('textarea', { class: 'step-json', rows: 3, spellcheck: false, 'aria-label': `step ${i + 1}, as JSON` }, JSON.stringify(step));
  text.addEventListener('change', () => {
    try {
      const parsed = JSON.parse(text.value) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('a step is an object with a "type"');
      steps[i] = parsed as Record<string, unknown>;
      text.classList.remove('invalid');
      changed();
    } catch (e) {
      text.classList.add('invalid');
      status = { kind: 'error', text: `step ${i + 1}: ${(e as Error).message}` };
      render();
    }
  });
  const button = (label: string, act: () => void, disabled = false) => {
    const b = h('button', { class: 'secondary', disabled }, label);
    b.addEventListener('click', act);
    return b;
  };
  const move = (by: number) => () => {
    [steps[i], steps[i + by]] = [steps[i + by], steps[i]];
    changed();
  };
  return h('li', { class: 'step', 'data-step': i },
    h('div', { class: 'step-head' }, h('strong', {}, `${i + 1}. ${String(step.type)}`),
      button('Up', move(-1), i === 0), button('Down', move(1), i === steps.length - 1), button('Remove', () => {
        steps.splice(i, 1);
        changed();
      })),
    text);
}

function changed(): void {
  save();
  post({ type: 'preview', steps, target });
}

function previewTable(p: FeaturesPreview): HTMLElement {
  const added = new Set(p.added);
  return h('div', { class: 'table-holder' }, h('table', { class: 'preview' },
    h('thead', {}, h('tr', {}, ...p.columns.map((c) => h('th', { class: added.has(c) ? 'new' : undefined, scope: 'col' }, c)))),
    h('tbody', {}, ...p.rows.map((r) => h('tr', {}, ...r.map((v, j) => h('td', { class: added.has(p.columns[j]) ? 'new' : undefined }, v)))))));
}

function statsTable(p: FeaturesPreview): HTMLElement {
  const heads = ['column', 'count', 'missing', 'mean', 'std', 'min', 'max', 'distinct'];
  return h('table', { class: 'new-columns' },
    h('thead', {}, h('tr', {}, ...heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...p.stats.map((s) => h('tr', { 'data-column': s.name },
      h('td', {}, s.name), h('td', {}, String(s.count)), h('td', {}, String(s.missing)), h('td', {}, fmtNumber(s.mean)), h('td', {}, fmtNumber(s.std)),
      h('td', {}, fmtNumber(s.min)), h('td', {}, fmtNumber(s.max)), h('td', {}, s.distinct === undefined ? '' : String(s.distinct))))));
}

function render(): void {
  const kind = h('select', { id: 'step-type', 'aria-label': 'Step to add' }, ...stepTypes.map((t) => h('option', { value: t }, t)));
  const add = h('button', { id: 'add-step' }, 'Add step');
  add.addEventListener('click', () => {
    steps.push(template(kind.value));
    changed();
  });
  const targets = h('select', { id: 'target', 'aria-label': 'Target column' }, h('option', { value: '' }, '(no target)'),
    ...(preview?.inputs ?? []).map((c) => h('option', { value: c.name, selected: c.name === target }, c.name)));
  targets.addEventListener('change', () => {
    target = targets.value || undefined;
    changed();
  });
  const saveButton = h('button', { id: 'save-spec' }, 'Save as run spec');
  saveButton.addEventListener('click', () => post({ type: 'save', steps, target, train: false }));
  const trainButton = h('button', { id: 'train', class: 'secondary' }, 'Train with these features');
  trainButton.addEventListener('click', () => post({ type: 'save', steps, target, train: true }));
  root.replaceChildren(
    h('h1', {}, 'Engineer features'),
    h('p', { class: 'subtitle' }, file),
    h('div', { class: 'controls' }, h('label', {}, 'Target ', targets), kind, add, saveButton, trainButton),
    h('p', { class: 'hint' }, 'Steps learn from the training rows only when you train; here, from every row. Edit a step\'s JSON in place: run specs hold the same (the editor completes it there).'),
    steps.length ? h('ol', { class: 'steps' }, ...steps.map(stepCard)) : h('p', { class: 'hint' }, 'No steps yet: pick one and press Add step.'),
    status ? h('p', { class: `status ${status.kind}`, role: status.kind === 'error' ? 'alert' : 'status' }, status.text) : '',
    preview ? h('section', { 'aria-label': 'Preview' },
      h('h2', {}, `Preview: the first ${preview.rows.length} of ${preview.totalRows} rows${preview.added.length ? `, ${preview.added.length} new column${preview.added.length > 1 ? 's' : ''} marked` : ''}`),
      previewTable(preview),
      preview.stats.length ? h('h2', {}, 'New columns') : '', preview.stats.length ? statsTable(preview) : '') : '',
  );
  reportAfterPaint(() => post({ type: 'rendered', snapshot: snapshot() }));
}

function snapshot(): FeaturesSnapshot {
  const header = [...root.querySelectorAll<HTMLElement>('table.preview th')].map((th) => `${th.textContent ?? ''}${th.classList.contains('new') ? '*' : ''}`);
  const error = root.querySelector('.status.error')?.textContent ?? undefined;
  return { file, steps: steps.length, header, rows: root.querySelectorAll('table.preview tbody tr').length, ...(error ? { error } : {}) };
}

render();
post({ type: 'ready' });
