// The Try it panel: one control per field of the served model's request (numbers, true/false,
// categories with the known ones offered, times), filled in from a row of the training data; Predict
// sends the row through the host to the server's /predict and shows the answer: the prediction,
// each class's probability as a bar, warnings (an unseen category) and problems (a 422 names each
// field). Below, the curl line of the same request, to copy into a terminal.
import type { TryItField, TryItHostMessage, TryItSnapshot, TryItViewMessage } from '../contract';
import { reportAfterPaint } from '../shared/afterPaint';
import { h } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';

const vscode = vscodeApi<never, TryItViewMessage>();
const root = document.getElementById('root')!;
const post = (m: TryItViewMessage) => vscode.postMessage(m);

let init: Extract<TryItHostMessage, { type: 'init' }> | undefined;
let row: Record<string, unknown> = {};
let answer: { status: number; body: unknown; ms: number } | undefined;
let error: string | undefined;
let busy = false;

window.addEventListener('message', (e: MessageEvent<TryItHostMessage>) => {
  const m = e.data;
  if (m.type === 'init') {
    init = m;
    row = { ...m.example };
    predict(); // the example's answer at once
  } else if (m.type === 'answer') [answer, error, busy] = [m, undefined, false];
  else if (m.type === 'error') [error, busy] = [m.message, false];
  render();
});

function predict(): void {
  busy = true;
  post({ type: 'predict', row });
}

const curl = () => `curl -s -X POST ${init?.url ?? ''}/predict -H 'Content-Type: application/json' -d '${JSON.stringify(row).replace(/'/g, "'\\''")}'`;

function control(f: TryItField): HTMLElement {
  const id = `field-${f.name}`;
  const value = row[f.name];
  let input: HTMLInputElement | HTMLSelectElement;
  if (f.kind === 'boolean') {
    input = h('select', { id, name: f.name }, ...[['', '(missing)'], ['true', 'true'], ['false', 'false']].map(([v, label]) => h('option', { value: v, selected: String(value ?? '') === v }, label)));
    input.addEventListener('change', () => (row[f.name] = input.value === '' ? null : input.value === 'true'));
  } else {
    input = h('input', {
      id, name: f.name, type: f.kind === 'numeric' ? 'number' : 'text', step: 'any', value: value === null || value === undefined ? '' : String(value),
      placeholder: f.kind === 'datetime' ? '2024-05-01T13:45:00Z' : '(missing)', list: f.categories?.length ? `${id}-known` : undefined, spellcheck: false,
    });
    input.addEventListener('change', () => {
      const t = input.value.trim();
      row[f.name] = t === '' ? null : f.kind === 'numeric' ? Number(t) : input.value;
    });
  }
  const known = f.categories?.length ? h('datalist', { id: `${id}-known` }, ...f.categories.map((c) => h('option', { value: c }))) : '';
  const kind = f.history ? 'number, from earlier rows' : f.kind === 'categorical' && f.categories ? `category (${f.categories.length} known)` : f.kind;
  return h('div', { class: 'field' }, h('label', { for: id }, f.name, h('span', { class: 'kind' }, kind)), input, known);
}

function result(): HTMLElement | string {
  if (error) return h('p', { class: 'status error', role: 'alert' }, error);
  if (!answer) return h('p', { class: 'status busy' }, 'Asking the server…');
  const body = answer.body as { predictions?: { prediction: string | number; probabilities?: Record<string, number> }[]; warnings?: string[]; problems?: { row: number; field: string; problem: string }[]; error?: string };
  if (answer.status !== 200) {
    return h('section', { class: 'answer failed', 'data-status': answer.status },
      h('p', { class: 'status error', role: 'alert' }, `${answer.status}: ${body.error ?? 'refused'}`),
      body.problems ? h('ul', {}, ...body.problems.map((p) => h('li', {}, h('code', {}, p.field), `: ${p.problem}`))) : '');
  }
  const p = body.predictions?.[0];
  const probabilities = Object.entries(p?.probabilities ?? {}).sort((a, b) => b[1] - a[1]);
  return h('section', { class: 'answer', 'data-status': answer.status, 'aria-live': 'polite' },
    h('p', { class: 'prediction' }, 'Prediction: ', h('strong', { id: 'prediction' }, String(p?.prediction ?? '')), h('span', { class: 'ms' }, ` (${answer.ms.toFixed(1)} ms)`)),
    probabilities.length ? h('table', { class: 'probabilities' }, h('tbody', {}, ...probabilities.map(([c, v]) => h('tr', { 'data-class': c },
      h('th', { scope: 'row' }, c), h('td', { class: 'bar-cell' }, h('meter', { min: 0, max: 1, value: v, 'aria-label': `${c}: ${(100 * v).toFixed(1)}%` })), h('td', { class: 'num' }, `${(100 * v).toFixed(1)}%`))))) : '',
    ...(body.warnings ?? []).map((w) => h('p', { class: 'status warning' }, w)));
}

function render(): void {
  if (!init) return;
  const send = h('button', { id: 'predict', disabled: busy }, busy ? 'Predicting…' : 'Predict');
  send.addEventListener('click', predict);
  const reset = h('button', { class: 'secondary' }, 'Back to the example row');
  reset.addEventListener('click', () => {
    row = { ...init!.example };
    predict();
    render();
  });
  const copy = h('button', { class: 'secondary' }, 'Copy curl');
  copy.addEventListener('click', () => void navigator.clipboard?.writeText(curl()));
  root.replaceChildren(
    h('h1', {}, `Try it: ${init.model.name}`),
    h('p', { class: 'subtitle' }, `${init.url} · version ${init.model.version}${init.model.runId ? ` · run ${init.model.runId}` : ''}`),
    h('div', { class: 'fields' }, ...init.fields.map(control)),
    h('div', { class: 'controls' }, send, reset),
    result(),
    h('h2', {}, 'The same request from a terminal'),
    h('pre', { class: 'curl' }, h('code', { id: 'curl' }, curl())), copy,
  );
  reportAfterPaint(() => post({ type: 'rendered', snapshot: snapshot() }));
}

function snapshot(): TryItSnapshot {
  const status = root.querySelector('.answer')?.getAttribute('data-status');
  return {
    fields: root.querySelectorAll('.field').length, ...(status ? { status: Number(status) } : {}),
    ...(root.querySelector('#prediction') ? { prediction: root.querySelector('#prediction')!.textContent ?? '' } : {}),
    probabilities: root.querySelectorAll('table.probabilities tr').length, curl: root.querySelector('#curl')?.textContent ?? '',
  };
}

post({ type: 'ready' });
