// Memory estimated before a fit (src/core/ml/memory.ts): each model's estimate is within a factor
// of the peak its fit measures in a fresh process, grows with what the model holds, and a session
// or search past the budget is refused before any run is written, naming the estimate and the fix.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFitMemory, fitMemoryBudget } from '../../../src/core/ml/memory';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { createEstimator } from '../../../src/core/ml/registry';
import { dataset, ROOT } from '../../support/paths';

const MB = 2 ** 20;
const cli = path.join(ROOT, 'dist', 'cli.js');

describe('memory estimated before a fit', () => {
  // Peaks below 256 MB are noise: garbage V8 has not yet collected (typed arrays are freed at its
  // next collection, which comes late on a busy machine) took a 100-tree forest on diabetes' 442
  // rows from 23 MB in one run to 191 MB in another, and logistic regression on letter from 14 MB
  // to 140 MB. So small fits check only that their estimate is not far above that (a forest's
  // trees once counted at their 360 MB cap); ApproxSVC's 5,000 random features (about 330 MB)
  // check both ways.
  const floor = (bytes: number) => Math.max(bytes, 256 * MB);
  const cases: [string, string, string, object][] = [
    ['letter_recognition.csv', 'lettr', 'LogisticRegression', {}],
    ['letter_recognition.csv', 'lettr', 'RandomForestClassifier', {}],
    ['letter_recognition.csv', 'lettr', 'ApproxSVC', { nComponents: 5000, maxIter: 2 }],
    ['letter_recognition.csv', 'lettr', 'SVC', {}],
    ['letter_recognition.csv', 'lettr', 'MLPClassifier', { epochs: 2 }],
    ['diamonds.csv', 'price', 'Ridge', {}],
    ['sklearn_diabetes.csv', 'target', 'RandomForestRegressor', {}],
  ];
  for (const [file, target, type, params] of cases) {
    it(`${type}'s estimate on ${file} is within 4× of the peak its fit takes`, function () {
      this.timeout(180_000);
      const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'test', 'scripts', 'fitMemory.js'), dataset(file), target, type, JSON.stringify(params)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const { estimate, used } = JSON.parse(r.stdout) as { estimate: number; used: number };
      const what = `estimate ${(estimate / MB).toFixed(0)} MB, measured ${(used / MB).toFixed(0)} MB`;
      assert.ok(floor(used) <= 4 * floor(estimate), `under-estimated: ${what}`);
      assert.ok(floor(estimate) <= 4 * floor(used), `over-estimated: ${what}`);
    });
  }

  it('each estimate grows with what its model holds: classes, random features, rows, layers, features', () => {
    const at = (type: string, params: object, shape: { rows: number; cols: number; classes: number }) => createEstimator(type, params as Record<string, unknown>).fitMemory(shape).bytes;
    const base = { rows: 100_000, cols: 50, classes: 10 };
    assert.ok(at('LogisticRegression', {}, { ...base, classes: 10_000 }) > 10 * at('LogisticRegression', {}, base));
    assert.ok(at('ApproxSVC', { nComponents: 50_000 }, base) > 10 * at('ApproxSVC', { nComponents: 500 }, base));
    assert.ok(at('SVC', {}, { ...base, classes: 2, rows: 5000 }) > 3 * at('SVC', {}, { ...base, classes: 2, rows: 2000 }));
    assert.ok(at('MLPClassifier', { hidden: [8192, 8192, 8192] }, base) > 10 * at('MLPClassifier', {}, base));
    assert.ok(at('Ridge', {}, { ...base, cols: 20_000 }) > 10 * at('Ridge', {}, base));
    assert.ok(at('RandomForestClassifier', {}, { ...base, classes: 2000 }) > 10 * at('RandomForestClassifier', {}, base));
  });

  it('a fit past the budget is refused with the estimate, the budget and what to change', () => {
    const lr = createEstimator('LogisticRegression');
    assert.throws(() => checkFitMemory(lr, { rows: 1_000_000, cols: 1000, classes: 5000 }, 1, 4 * 2 ** 30),
      /LogisticRegression: a fit on 1,000,000 rows × 1,000 features and 5,000 classes needs about \d+\.\d GB, more than the 4\.0 GB budget .*predict fewer classes/);
    assert.doesNotThrow(() => checkFitMemory(lr, { rows: 1000, cols: 10, classes: 2 }, 1, 4 * 2 ** 30));
    assert.throws(() => checkFitMemory(createEstimator('MLPClassifier'), { rows: 1000, cols: 10, classes: 2 }, 4, 40 * MB), /4 fits at once/);
  });

  it('the budget is half the machine\'s memory unless MLW_MEMORY_BUDGET says otherwise', () => {
    assert.equal(fitMemoryBudget({}), os.totalmem() / 2);
    assert.equal(fitMemoryBudget({ MLW_MEMORY_BUDGET: '512MB' }), 512 * MB);
    assert.equal(fitMemoryBudget({ MLW_MEMORY_BUDGET: '1.5GB' }), 1.5 * 2 ** 30);
    assert.equal(fitMemoryBudget({ MLW_MEMORY_BUDGET: '1000' }), 1000);
    assert.throws(() => fitMemoryBudget({ MLW_MEMORY_BUDGET: 'lots' }), /MLW_MEMORY_BUDGET is "lots": give bytes/);
  });

  describe('through mlw', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-memory-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const mlw = (env: Record<string, string>, ...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: dir, env: { ...process.env, ...env } });

    it('train is refused before any run is written when a model would pass the budget', () => {
      const r = mlw({ MLW_MEMORY_BUDGET: '1GB' }, 'train', dataset('letter_recognition.csv'), '--target', 'lettr', '--models', 'lr,svm', '--svm-solver', 'approx',
        '--params', '{"svm":{"nComponents":20000}}', '--cv', '0', '--store', path.join(dir, 'train-store'), '--json');
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /ApproxSVC: a fit on 16,000 rows × 16 features and 26 classes needs about 1\.\d GB, more than the 1\.0 GB budget .*fewer random features \(nComponents\)/);
      assert.deepEqual(new MlflowStore(path.join(dir, 'train-store')).listExperiments(), [], 'no run was written');
    });

    it('tune counts the folds that run at once on worker threads', () => {
      const r = mlw({ MLW_MEMORY_BUDGET: '250MB' }, 'tune', dataset('letter_recognition.csv'), '--target', 'lettr', '--model', 'svm', '--svm-solver', 'approx',
        '--grid', '{"nComponents":[3000]}', '--cv', '3', '--store', path.join(dir, 'tune-store'));
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /ApproxSVC: a fit on 10,667 rows × 16 features and 26 classes needs about .*\(2 fits at once, \d+ MB each\)/);
      assert.deepEqual(new MlflowStore(path.join(dir, 'tune-store')).listExperiments(), [], 'no run was written');
    });
  });
});
