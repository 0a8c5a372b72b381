// Builds a throw-away workspace folder with real datasets (from ../shared/datasets, falling back to
// the small copies in test/fixtures/data) and, for tests, the malformed CSV corpus.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATASETS = process.env.MLW_DATASETS || path.resolve(ROOT, '..', 'shared', 'datasets');

export const SAMPLE_DATASETS = ['titanic_survival.csv', 'sklearn_iris.csv', 'penguins.csv', 'letter_recognition.csv', 'diamonds.csv', 'mpls_stops.csv', 'vega_seattle_weather.csv'];

/** Every shared dataset some test reads (the unit, integration and UI suites, and the reference script's). */
export const TEST_DATASETS = [...SAMPLE_DATASETS, 'sklearn_diabetes.csv', 'sklearn_wine.csv', 'sklearn_breast_cancer.csv'];

/** The shared datasets the tests need and lack: checked once before any suite runs. */
export function missingDatasets() {
  return TEST_DATASETS.filter((name) => !fs.existsSync(path.join(DATASETS, name)));
}

/** Copies datasets into dir/data; returns the names copied. */
export function copyDatasets(dir, names = SAMPLE_DATASETS) {
  const data = path.join(dir, 'data');
  fs.mkdirSync(data, { recursive: true });
  const copied = [];
  for (const name of names) {
    const from = [path.join(DATASETS, name), path.join(ROOT, 'test', 'fixtures', 'data', name)].find((p) => fs.existsSync(p));
    if (!from) continue;
    fs.copyFileSync(from, path.join(data, name));
    copied.push(name);
  }
  return copied;
}

export function makeTestWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-ws-'));
  copyDatasets(dir);
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'malformed'), path.join(dir, 'malformed'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'mlWorkbench.csv.raggedRows': 'error' }, null, 2));
  return dir;
}
