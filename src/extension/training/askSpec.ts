// The questions "ML: Train Models…" and "ML: Tune Hyperparameters…" ask, as quick picks: target
// (a column named target/label/class/y is suggested, else the last), task (detected, can be
// changed), models (several at once), test size and folds. Answers are remembered per file, and
// the remembered answer is the pre-selected one next time, so Enter repeats the last run.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { detectTask, peekColumns, PeekedColumn, suggestTarget } from '../../core/csv/peek';
import { modelName } from '../../core/workflow/models';
import type { ModelKey, TrainSpec, TuneSpec } from '../../core/workflow/spec';
import { profileOptions } from '../config';
import type { Task } from '../../core/ml/task';

interface Remembered {
  target?: string;
  task?: Task;
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

async function askTarget(title: string, columns: PeekedColumn[], remembered: Remembered, step: number, total: number): Promise<PeekedColumn | undefined> {
  const suggested = remembered.target && columns.some((c) => c.name === remembered.target) ? remembered.target : suggestTarget(columns);
  const items = columns.map((c) => ({
    label: c.name,
    description: `${c.kind === 'numeric' ? (c.integer ? 'whole numbers' : 'numbers') : 'text'}, ${c.distinct}${c.distinct >= 2000 ? '+' : ''} distinct in the first rows${c.name === suggested ? ' · suggested' : ''}`,
    value: c,
  }));
  const col = columns.find((c) => c.name === suggested);
  return pick(title, 'Which column should the models predict?', activeFirst(items, col), step, total);
}

async function askTask(title: string, target: PeekedColumn, remembered: Remembered, step: number, total: number) {
  const detected = detectTask(target);
  const items: Item<Task>[] = [
    { label: 'Classification', description: detected === 'classification' ? 'detected' : '', detail: `predict one of ${target.name}'s classes`, value: 'classification' },
    { label: 'Regression', description: detected === 'regression' ? 'detected' : '', detail: `predict ${target.name} as a number`, value: 'regression' },
  ];
  const current = remembered.target === target.name && remembered.task ? remembered.task : detected;
  return pick(title, `Task for "${target.name}"`, activeFirst(items, current), step, total);
}

async function askModels(title: string, task: Task, remembered: Remembered, step: number, total: number): Promise<ModelKey[] | undefined> {
  const available: ModelKey[] = task === 'classification' ? ['lr', 'rf', 'svm', 'mlp'] : ['lr', 'rf', 'mlp'];
  const previous = remembered.models?.filter((m) => available.includes(m));
  const selected = new Set<ModelKey>(previous?.length ? previous : ['lr', 'rf']);
  const detail: Record<ModelKey, string> = {
    lr: task === 'classification' ? 'L2 logistic regression (L-BFGS), multinomial for several classes' : 'ordinary least squares',
    rf: '100 trees, grown in parallel worker threads',
    svm: 'RBF kernel; above 10,000 training rows the fast path (random Fourier features + linear SVM)',
    mlp: 'TensorFlow.js: Dense(64) → Dense(64), dropout 0.2, Adam, 50 epochs; live loss curve',
  };
  const items = available.map((m) => ({ label: modelName(m, task), description: m, detail: detail[m], picked: selected.has(m), value: m }));
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

function columnsOf(uri: vscode.Uri): PeekedColumn[] {
  const o = profileOptions(uri);
  return peekColumns(uri.fsPath, { delimiter: o.delimiter, missingValues: o.missingValues }).columns;
}

/** The file's remembered answers and the first two questions, which training and tuning share. */
async function askTargetAndTask(context: vscode.ExtensionContext, uri: vscode.Uri, title: string, total: number) {
  const remembered = context.workspaceState.get<Remembered>(memoryKey(uri.fsPath), {});
  const target = await askTarget(title, columnsOf(uri), remembered, 1, total);
  const task = target && (await askTask(title, target, remembered, 2, total));
  return target && task ? { remembered, target, task } : undefined;
}

export async function askTrainSpec(context: vscode.ExtensionContext, uri: vscode.Uri): Promise<TrainSpec | undefined> {
  const title = `Train models on ${path.basename(uri.fsPath)}`;
  const first = await askTargetAndTask(context, uri, title, 5);
  if (!first) return undefined;
  const { remembered, target, task } = first;
  const models = await askModels(title, task, remembered, 3, 5);
  if (!models) return undefined;
  const testSize = await askNumber(title, 'Share of rows held out for the test metrics (stratified for classes)', TEST_SIZES, remembered.testSize ?? 0.2, 4, 5);
  if (testSize === undefined) return undefined;
  const cv = await askNumber(title, 'Cross-validation on the training split', FOLDS, remembered.cv ?? 5, 5, 5);
  if (cv === undefined) return undefined;
  await context.workspaceState.update(memoryKey(uri.fsPath), { ...remembered, target: target.name, task, models, testSize, cv });
  return { kind: 'train', data: uri.fsPath, target: target.name, task, models, testSize, cv, seed: 42 };
}

/** The grids offered for tuning, per model: scikit-learn users' usual first searches. */
export const DEFAULT_GRIDS: Record<ModelKey, Record<string, unknown[]>> = {
  lr: { C: [0.01, 0.1, 1, 10, 100] },
  rf: { nEstimators: [50, 100], maxDepth: [10, null], minSamplesLeaf: [1, 4] },
  svm: { C: [0.1, 1, 10], gamma: ['scale', 0.01, 0.1] },
  mlp: { learningRate: [0.001, 0.003], dropout: [0.2, 0.4] },
};

export async function askTuneSpec(context: vscode.ExtensionContext, uri: vscode.Uri): Promise<TuneSpec | undefined> {
  const title = `Tune hyperparameters on ${path.basename(uri.fsPath)}`;
  const first = await askTargetAndTask(context, uri, title, 4);
  if (!first) return undefined;
  const { remembered, target, task } = first;
  // Linear regression has no hyperparameter to tune, and the SVM is for classification only.
  const available: ModelKey[] = task === 'classification' ? ['rf', 'lr', 'svm', 'mlp'] : ['rf', 'mlp'];
  const items = available.map((m) => ({ label: modelName(m, task), description: m, detail: `grid ${JSON.stringify(DEFAULT_GRIDS[m])}`, value: m }));
  const model = await pick(title, 'Model to tune (grid search; edit the grid in a run spec file for more)', activeFirst(items, remembered.tuneModel), 3, 4);
  if (!model) return undefined;
  const cv = await askNumber(title, 'Folds for each candidate', FOLDS.filter(([k]) => k >= 2), remembered.cv && remembered.cv >= 2 ? remembered.cv : 5, 4, 4);
  if (cv === undefined) return undefined;
  await context.workspaceState.update(memoryKey(uri.fsPath), { ...remembered, target: target.name, task, tuneModel: model, cv });
  return { kind: 'tune', data: uri.fsPath, target: target.name, task, model, grid: DEFAULT_GRIDS[model], cv, seed: 42 };
}
