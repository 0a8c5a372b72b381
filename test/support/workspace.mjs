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

/**
 * What \`npm start\` opens: the datasets, a README that says what to try (the first thing shown: a
 * newcomer once met an empty editor and a collapsed data folder) and a run spec to repeat.
 */
export function makeSampleWorkspace(workspace) {
  const copied = copyDatasets(workspace);
  fs.writeFileSync(path.join(workspace, 'README.md'), [
    '# ML Workbench sample workspace', '',
    'Things to try, in order:', '',
    '1. **Explore**: in the Explorer, open `data/`, right-click `titanic_survival.csv` → **ML: Profile CSV**. Pick `survived` as the target to see survival by sex and class.',
    '2. **Train**: right-click the same file → **ML: Train Models…** and answer the questions (Enter keeps the suggestion). The results panel fills in as each model finishes.',
    '3. **Track**: open the **ML Workbench** view in the activity bar; every run is there, also in `mlruns/` (MLflow\'s layout). Select two runs → **Compare Runs**.',
    '4. **Repeat**: `titanic.mlrun.json` is a run spec; right-click it → **ML: Train Models…** runs it again. The editor completes and checks its fields.',
    '5. **Use the model**: right-click a model run → **Predict with Model…** or **Evaluate Model…**.', '',
    `Datasets here: ${copied.join(', ')} (copied from ../shared/datasets or test/fixtures/data).`, '',
    'The same engine runs in a terminal: `node dist/cli.js help` in the ML Workbench clone.', '',
  ].join('\n'));
  // A run spec to repeat and commit; written once, so the user's edits survive restarts.
  const spec = path.join(workspace, 'titanic.mlrun.json');
  if (!fs.existsSync(spec) && copied.includes('titanic_survival.csv')) {
    fs.writeFileSync(spec, JSON.stringify({ $schema: '../schemas/run-spec.schema.json', kind: 'train', data: 'data/titanic_survival.csv', target: 'survived', drop: ['name'], models: ['lr', 'rf', 'svm', 'mlp'], testSize: 0.2, cv: 5, seed: 42 }, null, 2) + '\n');
  }
  return copied;
}

/** The user settings \`npm start\` adds: the workspace's README is the first screen. */
export const SAMPLE_SETTINGS = { 'workbench.startupEditor': 'readme', 'git.openRepositoryInParentFolders': 'never' };

export function makeTestWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-ws-'));
  copyDatasets(dir);
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'malformed'), path.join(dir, 'malformed'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'mlWorkbench.csv.raggedRows': 'error' }, null, 2));
  return dir;
}
