// The engine on bad input: a clear error or a documented handling each, never a silent NaN.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import { r2 } from '../../../src/core/ml/metrics';
import { LogisticRegression, Ridge } from '../../../src/core/ml/models/linear';
import { RandomForestClassifier } from '../../../src/core/ml/models/forest/forest';
import { SVC } from '../../../src/core/ml/models/svm';
import { ApproxSVC } from '../../../src/core/ml/models/svmApprox';
import { prepareTarget, Preprocessor } from '../../../src/core/ml/preprocess';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { train } from '../../../src/core/workflow/train';
import { tune } from '../../../src/core/workflow/tune';
import { dataset, tempFile } from '../../support/paths';

async function frameOf(csv: string) {
  const file = tempFile('bad.csv', csv);
  try {
    return await loadCsv(file);
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true });
  }
}

describe('bad input to the engine', () => {
  it('a target with missing values: those rows are dropped, with a count in the message', async () => {
    const data = trainTestData(await loadCsv(dataset('mpls_stops.csv')), 'personSearch', { drop: ['idNum'] });
    assert.equal(data.target.dropped, 8221);
    assert.match(data.target.warning!, /^8221 of 51920 rows have no value for the target "personSearch" and were left out$/);
    assert.equal(data.Xtrain.rows + data.Xtest.rows, 51920 - 8221);
  });

  it('a target with one class, or missing everywhere, is refused by name', async () => {
    const f = await frameOf('x,y\n1,a\n2,a\n3,a\n');
    assert.throws(() => prepareTarget(f, 'y'), /the target "y" has a single class \("a"\)/);
    const g = await frameOf('x,y\n1,\n2,\n3,\n');
    assert.throws(() => prepareTarget(g, 'y'), /the target "y" is missing on every row/);
    assert.throws(() => prepareTarget(g, 'nope'), /column "nope" is missing/);
  });

  it('constant and all-missing features become constant zeros, not NaN', async () => {
    const f = await frameOf('const,empty,x,y\n5,,1,a\n5,,2,b\n5,,3,a\n5,,4,b\n');
    const X = new Preprocessor().fitTransform(f, [0, 1, 2, 3], ['y']);
    assert.ok(X.data.every(Number.isFinite));
    const names = new Preprocessor().fit(f, [0, 1, 2, 3], ['y']).state!.outputNames;
    for (const c of ['const', 'empty']) for (let i = 0; i < 4; i++) assert.equal(X.data[i * X.cols + names.indexOf(c)], 0);
  });

  it('infinite numbers are refused naming the column; NaN is imputed', async () => {
    const f = await frameOf('x,y\n1,a\ninf,b\n3,a\n4,b\n');
    assert.throws(() => new Preprocessor().fit(f, [0, 1, 2, 3], ['y']), /column "x" holds an infinite value/);
    const g = await frameOf('x,y\n1,a\nNaN,b\n3,a\n4,b\n');
    const X = new Preprocessor().fitTransform(g, [0, 1, 2, 3], ['y']);
    assert.ok(X.data.every(Number.isFinite));
  });

  it('more features than rows still fits (L2 keeps it defined)', async () => {
    const n = 6, d = 40;
    const X = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, (_, i) => Math.sin(i * 1.7)) };
    const y = Int32Array.from({ length: n }, (_, i) => i % 2);
    const lr = new LogisticRegression().fit(X, y);
    assert.ok(lr.predictProba(X).every(Number.isFinite));
    assert.ok(new Ridge({ alpha: 1 }).fit(X, Float64Array.from(y)).predict(X).every(Number.isFinite));
    const rf = await new RandomForestClassifier({ nEstimators: 5, nJobs: 1 }).fit(X, y);
    assert.equal(rf.predict(X).length, n);
  });

  it('a predict frame with a missing column names it; extra columns are ignored', async () => {
    const f = await frameOf('a,b,y\n1,x,0\n2,y,1\n3,x,0\n4,y,1\n');
    const pre = new Preprocessor().fit(f, [0, 1, 2, 3], ['y']);
    const extra = await frameOf('a,b,c,y\n1,x,9,0\n');
    assert.equal(pre.transform(extra).cols, pre.state!.outputNames.length);
    const missing = await frameOf('a,y\n1,0\n2,1\n');
    assert.throws(() => pre.transform(missing), /column "b" is missing \(the model was trained with it\)/);
    const wrongType = await frameOf('a,b,y\nfoo,x,0\nbar,y,1\n');
    assert.throws(() => pre.transform(wrongType), /column "a" was numeric at training but holds text here/);
  });

  it('metrics never return a silent NaN', () => {
    assert.equal(r2([3, 3, 3], [3, 3, 3]), 1);
    assert.equal(r2([3, 3, 3], [1, 2, 3]), 0);
    assert.throws(() => r2([], []), /no samples/);
  });

  it('parameters out of range are refused before fitting, every broken rule named in one message', async () => {
    const d = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    const X = d.Xtrain, y = d.ytrain as Int32Array;
    assert.throws(() => new LogisticRegression({ maxIter: 0, classWeight: 'weird' as never }).fit(X, y), /^Error: LogisticRegression: classWeight must be 'balanced' or null \(got 'weird'\); maxIter must be a whole number from 1 to 1,000,000 \(got 0\)$/);
    assert.throws(() => new Ridge({ alpha: -1 }).fit(X, Float64Array.from(y)), /^Error: Ridge: alpha must be ≥ 0 \(got -1\)$/);
    await assert.rejects(new SVC({ gamma: -1, kernel: 'poly' as never, nJobs: 0 }).fit(X, y), /^Error: SVC: kernel must be 'rbf' or 'linear' \(got 'poly'\); gamma must be 'scale' or a positive number \(got -1\); nJobs must be -1 \(one per core\) or a whole number ≥ 1 \(got 0\)$/);
    assert.throws(() => new ApproxSVC({ gamma: 0, maxIter: 0 }).fit(X, y), /^Error: ApproxSVC: gamma must be 'scale' or a positive number \(got 0\); maxIter must be a whole number ≥ 1 \(got 0\)$/);
    await assert.rejects(new RandomForestClassifier({ bootstrap: 'yes' as never, maxFeatures: 0 }).fit(X, y), /^Error: RandomForestClassifier: maxFeatures must be 'sqrt', 'log2', a fraction in \(0, 1\], a whole number ≥ 1 or null \(got 0\); bootstrap must be true or false \(got 'yes'\)$/);
  });
});

describe('work that cannot finish is refused before it starts', function () {
  this.timeout(120_000);
  const tmpStore = () => new MlflowStore(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-limits-')), 'mlruns'));
  /** A CSV whose `id` names each row, and whose `label` has `k` classes of `per` rows each. */
  const classesCsv = (k: number, per: number) => {
    const rows = ['id,x,z,label'];
    for (let i = 0; i < k * per; i++) rows.push(`row${i},${(i * 7919) % 1000},${(i * 104729) % 997},c${i % k}`);
    return tempFile('classes.csv', rows.join('\n') + '\n');
  };

  it('a classification target that names rows (an ID picked by mistake) is refused, and no run is written', async () => {
    const f = classesCsv(10, 100);
    const frame = await loadCsv(f);
    assert.throws(() => prepareTarget(frame, 'id'), /the target "id" has 1,000 classes in 1,000 rows, most of them a class of their own: it looks like an identifier, not something to predict\. Pick another target$/);
    assert.throws(() => prepareTarget(frame, 'x', 'classification'), /the target "x" has 1,000 classes in 1,000 rows.*Pick another target, or train a regression if it is a quantity$/);
    assert.equal(prepareTarget(frame, 'label').labels!.length, 10, 'ten classes of a hundred rows are classes');
    const store = tmpStore();
    await assert.rejects(train({ kind: 'train', data: f, target: 'id', models: ['rf'] }, store), /looks like an identifier/);
    assert.deepEqual(store.listExperiments(), []);
  });

  it('a forest whose trees could not be saved (classes × trees) is refused before the first tree', async () => {
    // A leaf per class in each of 10,000 trees: 1,999 nodes each, at least 458 MB.
    const d = trainTestData(await loadCsv(classesCsv(1000, 6)), 'label');
    const t0 = Date.now();
    await assert.rejects(new RandomForestClassifier({ nEstimators: 10_000 }).fit(d.Xtrain, d.ytrain as Int32Array),
      /^Error: RandomForestClassifier: 10000 trees for 1000 classes need at least 458 MB \(a leaf per class in every tree\), more than the 360 MB a saved model holds; use fewer trees \(nEstimators\) or a smaller maxDepth, or predict fewer classes$/);
    assert.ok(Date.now() - t0 < 5000, 'refused from the counts, not after growing');
  });

  it('a forest that passes the size a saved model holds while it grows stops with what to change', async () => {
    // 2,000 classes drawn at random, leaves of 5 rows or more: each leaf holds several classes
    // and keeps 2,000 fractions, about 20 MB a tree, far past the least size (one such leaf a tree).
    const rows = ['a,b,label'];
    const hash = (i: number, m: number) => (Math.imul(i, m) >>> 0);
    for (let i = 0; i < 20_000; i++) rows.push(`${hash(i, 0x9e3779b1) % 6007},${hash(i, 0x85ebca6b) % 5003},c${hash(i, 0xc2b2ae35) % 2000}`);
    const d = trainTestData(await loadCsv(tempFile('noise.csv', rows.join('\n') + '\n')), 'label');
    await assert.rejects(new RandomForestClassifier({ nEstimators: 100, minSamplesLeaf: 5, nJobs: 1 }).fit(d.Xtrain, d.ytrain as Int32Array),
      /^Error: RandomForestClassifier: the first \d+ of 100 trees already take 36\d MB, more than the 360 MB a saved model holds; use fewer trees \(nEstimators\), a smaller maxDepth or a larger minSamplesLeaf$/);
  });

  it('parameters past their caps are refused by name (1e9 trees aborted V8; 1e9 epochs ran for ever)', async () => {
    const d = trainTestData(await loadCsv(dataset('sklearn_iris.csv')), 'target');
    await assert.rejects(new RandomForestClassifier({ nEstimators: 1e9 }).fit(d.Xtrain, d.ytrain as Int32Array), /^Error: RandomForestClassifier: nEstimators must be a whole number from 1 to 10,000 \(got 1000000000\)$/);
    assert.throws(() => new LogisticRegression({ maxIter: 1e9 }).fit(d.Xtrain, d.ytrain as Int32Array), /maxIter must be a whole number from 1 to 1,000,000/);
    assert.throws(() => new ApproxSVC({ nComponents: 1e7 }).fit(d.Xtrain, d.ytrain as Int32Array), /nComponents must be a whole number from 1 to 100,000/);
    // 200 classes of 3 rows: not an identifier, but 19,900 one-vs-one pairs.
    const X = { rows: 600, cols: 2, data: Float64Array.from({ length: 1200 }, (_, i) => Math.sin(i)) };
    const many = Int32Array.from({ length: 600 }, (_, i) => i % 200);
    await assert.rejects(new SVC().fit(X, many), /^Error: SVC: 200 classes make 19,900 one-vs-one pairs, past the 10,000 an SVC fits; use logistic regression or a random forest, or predict fewer classes$/);
  });

  it('a grid past the size a search runs, a candidate its fit would refuse, or a range low > high is refused before any run', async () => {
    const store = tmpStore();
    const iris = dataset('sklearn_iris.csv');
    const base = { kind: 'tune' as const, data: iris, target: 'target', model: 'rf' as const, cv: 5 };
    const big = { nEstimators: Array.from({ length: 200 }, (_, i) => i + 1), maxDepth: Array.from({ length: 100 }, (_, i) => i + 1), minSamplesLeaf: Array.from({ length: 100 }, (_, i) => i + 1) };
    await assert.rejects(tune({ ...base, grid: big }, store), /^Error: the grid has 2,000,000 candidates, 10,000,000 fits with 5 folds, past the 10,000 a search runs: give fewer values per parameter, or sample the space with a random search \(space and nIter\)$/);
    await assert.rejects(tune({ ...base, grid: { nEstimators: [10, 1e9] } }, store), /RandomForestClassifier: nEstimators must be a whole number from 1 to 10,000 \(got 1000000000\)/);
    await assert.rejects(tune({ ...base, model: 'lr', space: { C: { low: 100, high: 0.01, log: true } }, nIter: 5 }, store), /^Error: space: "C" has low 100 above high 0.01$/);
    await assert.rejects(tune({ ...base, model: 'lr', space: { C: { low: 0, high: 1, log: true } }, nIter: 5 }, store), /"C" is log-uniform, so low must be positive \(got 0\)/);
    await assert.rejects(tune({ ...base, space: { maxDepth: { low: 2.2, high: 2.8, integer: true } }, nIter: 5 }, store), /"maxDepth" holds no whole number between 2.2 and 2.8/);
    await assert.rejects(tune({ ...base, model: 'lr', space: { C: [0.1] }, nIter: 5000 }, store), /the random search has 5,000 candidates, 25,000 fits/);
    assert.deepEqual(store.listExperiments(), [], 'no run was written');
  });
});

describe('features that name rows', () => {
  it('a categorical column with a different value on most rows is left out as an identifier, and said; one of many repeats is kept', async () => {
    const rows = ['ticket,port,x,y'];
    for (let i = 0; i < 400; i++) rows.push(`T-${1000 + i},${['S', 'C', 'Q'][i % 3]},${i % 17},${i % 2 ? 'yes' : 'no'}`);
    const frame = await loadCsv(tempFile('tickets.csv', rows.join('\n') + '\n'));
    const pre = new Preprocessor().fit(frame, Int32Array.from({ length: 400 }, (_, i) => i), ['y']);
    assert.deepEqual(pre.state!.outputNames, ['x', 'port=C', 'port=Q', 'port=S'], 'no column per ticket');
    assert.deepEqual(pre.state!.ignored.find((i) => i.column === 'ticket'), { column: 'ticket', reason: 'identifier-like: 400 distinct values in 400 rows; drop it, or encode it yourself' });
  });
});
