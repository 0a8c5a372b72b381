// The Engineer Features panel: a list of feature steps, each a form of its options (made from the
// run-spec schema, which the host also checks them by, as the editor does): columns picked from
// the file's, choices, numbers, switches. Steps are added from a template made for this file's
// columns, moved and removed; each shows its run-spec JSON too. A preview of the first rows with the new columns marked, and a small profile
// of each new column; Save writes a run spec beside the CSV, Train trains with it.
import type { FeaturesHostMessage, FeaturesPreview, FeaturesSnapshot, FeaturesViewMessage, FeaturesViewState, StepFormView } from '../contract';
import { currentState, VIEW_STATE_VERSION } from '../contract';
import { reportAfterPaint } from '../shared/afterPaint';
import { fmtNumber, h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';

const vscode = vscodeApi<FeaturesViewState, FeaturesViewMessage>();
const root = document.getElementById('root')!;
const post = (m: FeaturesViewMessage) => vscode.postMessage(m);

let file = '';
let forms: StepFormView[] = [];
let steps: Record<string, unknown>[] = [];
let target: string | undefined;
/** The step kind chosen to add: kept when a preview arriving redraws the panel (it was reset to the first). */
let stepType: string | undefined;
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
    forms = m.forms;
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

type StepOptionView = StepFormView['options'][number];

/** A list typed as text ("1, 7"), or undefined when a part is not of the kind. */
function parseList(text: string, numbers: boolean): (string | number)[] | undefined {
  const parts = text.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
  if (!numbers) return parts;
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v)) ? values : undefined;
}

/** One option's control, bound to the step: a change sets the option (or removes it when left empty) and previews again. */
function optionControl(step: Record<string, unknown>, o: StepOptionView, i: number): HTMLElement {
  const id = `step-${i}-${o.name}`;
  const value = step[o.name];
  const set = (v: unknown) => {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && !o.required)) delete step[o.name];
    else step[o.name] = v;
    changed();
  };
  const invalid = (el: HTMLElement, why: string) => {
    el.classList.add('invalid');
    status = { kind: 'error', text: `step ${i + 1}, ${o.name}: ${why}` };
    render();
  };
  const columns = (preview?.inputs ?? []).map((c) => c.name);
  const withCurrent = (names: string[], current: unknown) => (typeof current === 'string' && !names.includes(current) ? [current, ...names] : names);
  let control: HTMLElement;
  switch (o.kind) {
    case 'column':
    case 'optionalColumn':
    case 'choice': {
      const values = o.kind === 'choice' ? o.values ?? [] : withCurrent(columns, value);
      const chosen = value ?? (o.kind === 'choice' ? o.default : undefined);
      const select = h('select', { id, name: o.name },
        ...(o.kind === 'optionalColumn' || (o.kind === 'column' && value === undefined) ? [h('option', { value: '' }, o.kind === 'optionalColumn' ? '(none)' : '(pick a column)')] : []),
        ...values.map((v) => h('option', { value: v, selected: v === chosen }, v)));
      select.addEventListener('change', () => set(select.value === '' ? (o.kind === 'optionalColumn' ? null : undefined) : select.value));
      control = select;
      break;
    }
    case 'columns': {
      const current = Array.isArray(value) ? value.map(String) : [];
      const select = h('select', { id, name: o.name, multiple: true, size: Math.min(6, Math.max(2, columns.length)) },
        ...[...new Set([...current, ...columns])].map((v) => h('option', { value: v, selected: current.includes(v) }, v)));
      select.addEventListener('change', () => set([...select.selectedOptions].map((x) => x.value)));
      control = select;
      break;
    }
    case 'choices': {
      const current = new Set(Array.isArray(value) ? value.map(String) : Array.isArray(o.default) ? o.default.map(String) : []);
      control = h('span', { class: 'choices', id, role: 'group' }, ...(o.values ?? []).map((v) => {
        const box = h('input', { type: 'checkbox', name: o.name, value: v, checked: current.has(v) });
        box.addEventListener('change', () => {
          if (box.checked) current.add(v);
          else current.delete(v);
          set((o.values ?? []).filter((x) => current.has(x)));
        });
        return h('label', { class: 'choice' }, box, v);
      }));
      break;
    }
    case 'boolean': {
      const box = h('input', { id, type: 'checkbox', name: o.name, checked: Boolean(value ?? o.default) });
      box.addEventListener('change', () => set(box.checked));
      control = box;
      break;
    }
    default: {
      const text = Array.isArray(value) ? value.join(', ') : value === undefined || value === null ? '' : String(value);
      const numeric = o.kind === 'integer' || o.kind === 'number';
      const input = h('input', {
        id, name: o.name, type: numeric ? 'number' : 'text', value: text, step: o.kind === 'integer' ? 1 : 'any', spellcheck: false,
        placeholder: o.default !== undefined ? `${Array.isArray(o.default) ? o.default.join(', ') : String(o.default)} (default)` : o.kind === 'numbers' || o.kind === 'strings' ? 'a, b, c' : '',
      });
      input.addEventListener('change', () => {
        const t = input.value.trim();
        if (t === '') return set(undefined);
        if (numeric) {
          const v = Number(t);
          return Number.isFinite(v) && (o.kind === 'number' || Number.isInteger(v)) ? set(v) : invalid(input, `${t} is not ${o.kind === 'integer' ? 'a whole number' : 'a number'}`);
        }
        if (o.kind === 'autoOrNumber') return t === 'auto' ? set('auto') : Number.isFinite(Number(t)) ? set(Number(t)) : invalid(input, 'type auto or a number');
        if (o.kind === 'numbers' || o.kind === 'strings') {
          const list = parseList(t, o.kind === 'numbers');
          return list ? set(list) : invalid(input, 'type numbers separated by commas');
        }
        set(input.value);
      });
      control = input;
    }
  }
  return h('div', { class: 'option', title: o.description ?? '' }, h('label', { for: id }, o.required ? `${o.name} *` : o.name), control);
}

function stepCard(step: Record<string, unknown>, i: number): HTMLElement {
  const form = forms.find((f) => f.type === step.type);
  const button = (label: string, act: () => void, disabled = false) => {
    const b = h('button', { class: 'secondary', disabled }, label);
    b.addEventListener('click', act);
    return b;
  };
  const move = (by: number) => () => {
    [steps[i], steps[i + by]] = [steps[i + by], steps[i]];
    changed();
  };
  return h('li', { class: 'step', 'data-step': i, 'data-type': String(step.type) },
    h('div', { class: 'step-head' }, h('strong', {}, `${i + 1}. ${String(step.type)}`),
      button('Up', move(-1), i === 0), button('Down', move(1), i === steps.length - 1), button('Remove', () => {
        steps.splice(i, 1);
        changed();
      })),
    form ? h('p', { class: 'hint' }, form.description) : h('p', { class: 'status error' }, `unknown step type ${JSON.stringify(step.type)}`),
    form ? h('div', { class: 'options' }, ...form.options.map((o) => optionControl(step, o, i))) : '',
    h('details', { class: 'step-json' }, h('summary', {}, 'As in a run spec'), h('code', {}, JSON.stringify(step))));
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
  const kind = h('select', { id: 'step-type', 'aria-label': 'Step to add' }, ...forms.map((f) => h('option', { value: f.type, title: f.description, selected: f.type === stepType }, f.type)));
  kind.addEventListener('change', () => (stepType = kind.value));
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
    h('p', { class: 'hint' }, 'Steps learn from the training rows only when you train; here, from every row. Hover an option for what it does; a run spec holds the same steps (the editor completes them there).'),
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
