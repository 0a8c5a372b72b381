// The questions "ML: Train Models…" and "ML: Tune Hyperparameters…" ask, as quick picks: target
// (the one picked in the profile panel, else the last one trained, else a column named
// target/label/class/y, else the last; a column unique on every row is flagged as an identifier),
// task (detected; regression only for numbers), features (all but identifiers, untick to drop),
// models (several at once), test size and folds; then, when the leakage checks find something,
// a summary that offers to drop the columns behind it. Answers are remembered per file, and the
// remembered answer is the pre-selected one next time, so Enter repeats the last run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectTask, peekColumns, PeekedColumn, suggestTarget } from '../../core/csv/peek';
import { DEFAULT_GRIDS, modelDescription, modelName, modelsFor, tunableModels } from '../../core/workflow/models';
import type { ModelKey, TrainSpec, TuneSpec } from '../../core/workflow/spec';
import { profileOptions } from '../config';
import { profileTarget } from '../profile/profilePanel';
import type { LeakageAlert } from '../../core/ml/leakage';
import type { Task } from '../../core/ml/task';

interface Remembered {
  target?: string;
  task?: Task;
  /** Columns unticked at the features question. */
  drop?: string[];
  models?: ModelKey[];
  testSize?: number;
  cv?: number;
  tuneModel?: ModelKey;
}

type Item<T> = vscode.QuickPickItem & { value: T };

const memoryKey = (file: string) => `mlWorkbench.answers:${file}`;

/** Fired as each question is put up (its title), so that tests can answer it once it shows. */
export const questionAsked = new vscode.EventEmitter<string>();

/** A question's title with its step, announced as it is put up. */
function asking(title: string, step: number, total: number): string {
  const full = `${title} (${step}/${total})`;
  questionAsked.fire(full);
  return full;
}

/** One single-choice question; the first item is the active one. Undefined when dismissed. */
async function pick<T>(title: string, placeHolder: string, items: Item<T>[], step: number, total: number): Promise<T | undefined> {
  const chosen = await vscode.window.showQuickPick(items, { title: asking(title, step, total), placeHolder, ignoreFocusOut: true, matchOnDescription: true });
  return chosen?.value;
}

function activeFirst<T>(items: Item<T>[], current: T | undefined): Item<T>[] {
  const i = items.findIndex((x) => x.value === current);
  if (i <= 0) return items;
  return [items[i], ...items.slice(0, i), ...items.slice(i + 1)];
}

/** A column with a different value on every row read: a name or an ID, not something to predict. */
const identifierLike = (c: PeekedColumn, rows: number) => rows >= 20 && c.distinct >= rows && !(c.kind === 'numeric' && !c.integer);

/** What a column holds, in the words the profile uses for it. */
function kindOf(c: PeekedColumn, rows: number): string {
  if (c.kind === 'numeric') return c.integer ? 'whole numbers' : 'numbers';
  return c.distinct > 50 && c.distinct > rows / 2 ? 'text' : 'categories';
}

async function askTarget(title: string, columns: PeekedColumn[], rows: number, preferred: (string | undefined)[], step: number, total: number): Promise<PeekedColumn | undefined> {
  const suggested = preferred.find((name) => name && columns.some((c) => c.name === name)) ?? suggestTarget(columns);
  const items = columns.map((c) => ({
    label: c.name,
    description: `${kindOf(c, rows)}, ${c.distinct}${c.distinct >= 2000 ? '+' : ''} distinct in the first rows${c.name === suggested ? ' · suggested' : ''}`,
    detail: identifierLike(c, rows) ? '$(warning) a different value on every row: an identifier, not something to predict' : undefined,
    value: c,
  }));
  const col = columns.find((c) => c.name === suggested);
  return pick(title, 'Which column should the models predict?', activeFirst(items, col), step, total);
}

async function askTask(title: string, target: PeekedColumn, remembered: Remembered, step: number, total: number) {
  const detected = detectTask(target);
  const items: Item<Task>[] = [
    { label: 'Classification', description: detected === 'classification' ? 'detected' : '', detail: `predict one of ${target.name}'s classes`, value: 'classification' },
    // A column of words cannot be a regression target: it is not offered (yes/no was).
    ...(target.kind === 'numeric' ? [{ label: 'Regression', description: detected === 'regression' ? 'detected' : '', detail: `predict ${target.name} as a number`, value: 'regression' as const }] : []),
  ];
  const current = remembered.target === target.name && remembered.task ? remembered.task : detected;
  return pick(title, `Task for "${target.name}"`, activeFirst(items, current), step, total);
}

async function askModels(title: string, task: Task, remembered: Remembered, step: number, total: number): Promise<ModelKey[] | undefined> {
  const available = modelsFor(task);
  const previous = remembered.models?.filter((m) => available.includes(m));
  const selected = new Set<ModelKey>(previous?.length ? previous : ['lr', 'rf']);
  const items = available.map((m) => ({ label: modelName(m, task), description: m, detail: modelDescription(m, task), picked: selected.has(m), value: m }));
  const chosen = await vscode.window.showQuickPick(items, { title: asking(title, step, total), placeHolder: 'Models to train and compare (Space toggles, Enter confirms)', canPickMany: true, ignoreFocusOut: true });
  if (!chosen) return undefined;
  if (chosen.length === 0) {
    void vscode.window.showWarningMessage('ML Workbench: pick at least one model.');
    return undefined;
  }
  return chosen.map((c) => c.value);
}

async function askNumber(title: string, placeHolder: string, options: [number, string][], current: number, step: number, total: number): Promise<number | undefined> {
  const items = options.map(([value, label]) => ({ label, value }));
  return pick(title, placeHolder, activeFirst(items, current), step, total);
}

const TEST_SIZES: [number, string][] = [[0.2, '20% test'], [0.25, '25% test'], [0.3, '30% test'], [0.1, '10% test']];
const FOLDS: [number, string][] = [[5, '5-fold cross-validation'], [3, '3 folds'], [10, '10 folds'], [0, 'No cross-validation (test split only)']];

function columnsOf(uri: vscode.Uri): { columns: PeekedColumn[]; sampleRows: number } {
  const o = profileOptions(uri);
  return peekColumns(uri.fsPath, { delimiter: o.delimiter, missingValues: o.missingValues });
}

/** The file's remembered answers and the first two questions, which training and tuning share. */
async function askTargetAndTask(context: vscode.ExtensionContext, uri: vscode.Uri, title: string, total: number) {
  const remembered = context.workspaceState.get<Remembered>(memoryKey(uri.fsPath), {});
  const { columns, sampleRows } = columnsOf(uri);
  // The target picked in the profile panel is what the user last said they want to predict.
  const target = await askTarget(title, columns, sampleRows, [profileTarget(context, uri.fsPath), remembered.target], 1, total);
  const task = target && (await askTask(title, target, remembered, 2, total));
  return target && task ? { remembered, target, task, columns, sampleRows } : undefined;
}

/**
 * The columns to learn from: every other column, identifiers unticked; what is unticked is
 * dropped (and named in the run). Undefined when dismissed.
 */
async function askFeatures(title: string, columns: PeekedColumn[], rows: number, target: string, remembered: Remembered, step: number, total: number): Promise<string[] | undefined> {
  const others = columns.filter((c) => c.name !== target);
  const dropped = new Set(remembered.target === target && remembered.drop ? remembered.drop : others.filter((c) => identifierLike(c, rows)).map((c) => c.name));
  const items = others.map((c) => ({
    label: c.name, description: kindOf(c, rows), picked: !dropped.has(c.name), value: c.name,
    detail: identifierLike(c, rows) ? 'a different value on every row: an identifier, usually left out' : undefined,
  }));
  const chosen = await vscode.window.showQuickPick(items, { title: asking(title, step, total), placeHolder: 'Features to learn from (Space toggles; unticked columns are dropped)', canPickMany: true, ignoreFocusOut: true });
  if (!chosen) return undefined;
  if (chosen.length === 0) {
    void vscode.window.showWarningMessage('ML Workbench: keep at least one feature column.');
    return undefined;
  }
  const kept = new Set(chosen.map((c) => c.value));
  return others.filter((c) => !kept.has(c.name)).map((c) => c.name);
}

export async function askTrainSpec(context: vscode.ExtensionContext, uri: vscode.Uri): Promise<TrainSpec | undefined> {
  const title = `Train models on ${path.basename(uri.fsPath)}`;
  const first = await askTargetAndTask(context, uri, title, 6);
  if (!first) return undefined;
  const { remembered, target, task, columns, sampleRows } = first;
  const drop = await askFeatures(title, columns, sampleRows, target.name, remembered, 3, 6);
  if (!drop) return undefined;
  const models = await askModels(title, task, remembered, 4, 6);
  if (!models) return undefined;
  const testSize = await askNumber(title, 'Share of rows held out for the test metrics (stratified for classes)', TEST_SIZES, remembered.testSize ?? 0.2, 5, 6);
  if (testSize === undefined) return undefined;
  const cv = await askNumber(title, 'Cross-validation on the training split', FOLDS, remembered.cv ?? 5, 6, 6);
  if (cv === undefined) return undefined;
  await context.workspaceState.update(memoryKey(uri.fsPath), { ...remembered, target: target.name, task, drop, models, testSize, cv });
  return { kind: 'train', data: uri.fsPath, target: target.name, task, ...(drop.length ? { drop } : {}), models, testSize, cv, seed: 42 };
}

export async function askTuneSpec(context: vscode.ExtensionContext, uri: vscode.Uri): Promise<TuneSpec | undefined> {
  const title = `Tune hyperparameters on ${path.basename(uri.fsPath)}`;
  const first = await askTargetAndTask(context, uri, title, 4);
  if (!first) return undefined;
  const { remembered, target, task } = first;
  const items = tunableModels(task).map((m) => ({ label: modelName(m, task), description: m, detail: `grid ${JSON.stringify(DEFAULT_GRIDS[m])}`, value: m }));
  const model = await pick(title, 'Model to tune (grid search; edit the grid in a run spec file for more)', activeFirst(items, remembered.tuneModel), 3, 4);
  if (!model) return undefined;
  const cv = await askNumber(title, 'Folds for each candidate', FOLDS.filter(([k]) => k >= 2), remembered.cv && remembered.cv >= 2 ? remembered.cv : 5, 4, 4);
  if (cv === undefined) return undefined;
  await context.workspaceState.update(memoryKey(uri.fsPath), { ...remembered, target: target.name, task, tuneModel: model, cv });
  return { kind: 'tune', data: uri.fsPath, target: target.name, task, model, grid: DEFAULT_GRIDS[model], cv, seed: 42 };
}

/**
 * The summary after the questions when the leakage checks found something: train anyway, or drop
 * the columns an alert names and train. Undefined when dismissed. Each alert is also recorded on
 * the session's run (its tags) and shown in the results panel, whatever is chosen here.
 */
export async function confirmLeaks(spec: TrainSpec, alerts: LeakageAlert[], split: { trainRows: number; testRows: number }): Promise<TrainSpec | undefined> {
  const title = `Train models on ${path.basename(spec.data)}: ${alerts.length} possible leak${alerts.length === 1 ? '' : 's'}`;
  questionAsked.fire(title);
  type Choice = vscode.QuickPickItem & { drop?: string[] };
  const droppable = alerts.filter((a) => a.drop?.length);
  const items: Choice[] = [
    { label: '$(play) Train anyway', description: `${spec.models.join(', ')} on ${split.trainRows} training rows, ${split.testRows} test rows`, detail: 'the alerts are recorded on the run and shown in its results panel' },
    ...(droppable.length ? [{ label: 'Drop and train', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...droppable.map((a): Choice => ({ label: `$(trash) Drop ${a.drop!.map((c) => `"${c}"`).join(', ')} and train`, detail: a.message, drop: a.drop })),
    ...(droppable.length > 1 ? [{ label: `$(trash) Drop all ${[...new Set(droppable.flatMap((a) => a.drop!))].length} and train`, drop: [...new Set(droppable.flatMap((a) => a.drop!))] }] : []),
    ...(alerts.length > droppable.length ? [{ label: 'Also found', kind: vscode.QuickPickItemKind.Separator }] : []),
    ...alerts.filter((a) => !a.drop?.length).map((a): Choice => ({ label: `$(warning) ${a.kind}`, detail: a.message })),
  ];
  const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: 'Possible leakage found before training: a model can look better here than it will be on new rows', ignoreFocusOut: true, matchOnDetail: true });
  if (!chosen) return undefined;
  if (!chosen.drop) return spec;
  const drop = [...new Set([...(spec.drop ?? []), ...chosen.drop])];
  return { ...spec, drop };
}
