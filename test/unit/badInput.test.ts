// The engine on bad input: a clear error or a documented handling each, never a silent NaN.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../../src/core/csv/load';
import { trainTestData } from '../../src/core/ml/dataset';
import { r2 } from '../../src/core/ml/metrics';
import { LogisticRegression, Ridge } from '../../src/core/ml/models/linear';
import { RandomForestClassifier } from '../../src/core/ml/models/forest/forest';
import { SVC } from '../../src/core/ml/models/svm';
import { ApproxSVC } from '../../src/core/ml/models/svmApprox';
import { prepareTarget, Preprocessor } from '../../src/core/ml/preprocess';
import { dataset, tempFile } from './paths';

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
    assert.throws(() => new LogisticRegression({ maxIter: 0, classWeight: 'weird' as never }).fit(X, y), /^Error: LogisticRegression: classWeight must be 'balanced' or null \(got 'weird'\); maxIter must be a whole number ≥ 1 \(got 0\)$/);
    assert.throws(() => new Ridge({ alpha: -1 }).fit(X, Float64Array.from(y)), /^Error: Ridge: alpha must be ≥ 0 \(got -1\)$/);
    await assert.rejects(new SVC({ gamma: -1, kernel: 'poly' as never, nJobs: 0 }).fit(X, y), /^Error: SVC: kernel must be 'rbf' or 'linear' \(got 'poly'\); gamma must be 'scale' or a positive number \(got -1\); nJobs must be -1 \(one per core\) or a whole number ≥ 1 \(got 0\)$/);
    assert.throws(() => new ApproxSVC({ gamma: 0, maxIter: 0 }).fit(X, y), /^Error: ApproxSVC: gamma must be 'scale' or a positive number \(got 0\); maxIter must be a whole number ≥ 1 \(got 0\)$/);
    await assert.rejects(new RandomForestClassifier({ bootstrap: 'yes' as never, maxFeatures: 0 }).fit(X, y), /^Error: RandomForestClassifier: maxFeatures must be 'sqrt', 'log2', a fraction in \(0, 1\], a whole number ≥ 1 or null \(got 0\); bootstrap must be true or false \(got 'yes'\)$/);
  });
});
