// Our side of bench:train: fit and predict times (the first fit apart, then the median of the others:
// `repeats` or more in all, see below) and test scores with the reference pipeline, for one
// dataset; or the reference grid search on letter_recognition.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCsv } from '../src/core/csv/load';
import { trainTestData } from '../src/core/ml/dataset';
import { accuracy } from '../src/core/ml/metrics';
import { gridSearch } from '../src/core/ml/modelSelection';
import { SKLEARN_MLP_SETTINGS } from '../src/core/ml/models/mlp/mlp';
import { createEstimator } from '../src/core/ml/registry';
import { referenceData, ReferenceDataset } from '../test/referencePipeline';
import { LibsvmJsSVC } from './libsvmJs';

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const MAX_REPEATS = 25;

(async () => {
  const [mode, datasets, name, repeats = '4'] = process.argv.slice(2);
  if (mode === 'grid') {
    const frame = await loadCsv(`${datasets}/letter_recognition.csv`);
    const d = trainTestData(frame, 'lettr');
    const times: number[] = [];
    let res;
    for (let r = 0; r < Number(repeats); r++) {
      const t0 = performance.now();
      res = await gridSearch('RandomForestClassifier', { randomState: 42 }, { nEstimators: [50, 100], maxDepth: [10, null], minSamplesLeaf: [1, 4] }, d.Xtrain, d.ytrain, { cv: 5 });
      times.push((performance.now() - t0) / 1000);
    }
    const testAccuracy = accuracy(d.ytest, res!.bestEstimator!.predict(d.Xtest) as Int32Array);
    console.log(JSON.stringify({ totalS: median(times), runsS: times, bestParams: res!.bestParams, bestCv: res!.bestScore, testAccuracy }));
    return;
  }
  const d = await referenceData(name as ReferenceDataset, `${datasets}/${name}.csv`);
  const out: Record<string, unknown> = { nTrain: d.Xtrain.rows, nFeatures: d.Xtrain.cols };
  // scikit-learn's side fits on exactly these matrices: same split, same features.
  const dir = process.env.MATRICES;
  if (dir) {
    const write = (file: string, a: Float64Array | Int32Array) => fs.writeFileSync(path.join(dir, file), Buffer.from(Float64Array.from(a).buffer));
    write('Xtr', d.Xtrain.data);
    write('Xte', d.Xtest.data);
    write('ytr', d.ytrain);
    write('yte', d.ytest);
    fs.writeFileSync(path.join(dir, 'shape.json'), JSON.stringify({ cols: d.Xtrain.cols }));
  }
  const models: [string, string, Record<string, unknown>][] = [['lr', 'LogisticRegression', {}], ['rf', 'RandomForestClassifier', { nEstimators: 100, randomState: 42, nJobs: -1 }]];
  if (name !== 'mpls_stops') models.push(['svc', 'SVC', {}]);
  else models.push(['svcApprox', 'ApproxSVC', {}]); // the fast path; libsvm needs minutes here
  // libsvm compiled to WebAssembly, against scikit-learn's SVC (the row pairs it with 'svc').
  if (process.env.BENCH_LIBSVM_JS && name !== 'mpls_stops') models.push(['svcLibsvmJs', 'libsvm-js', {}]);
  if (!process.env.BENCH_NO_MLP) {
    // Like with like first (scikit-learn's network); then our default network, minutes a fit on mpls_stops.
    models.push(['mlpSk', 'MLPClassifier', { ...SKLEARN_MLP_SETTINGS }]);
    // Our default network (the seed's), about ten seconds a fit on mpls_stops (half a minute before its own kernels): PyTorch's anchor needs it there too.
    if (name !== 'mpls_stops' || process.env.BENCH_MLP_ALL || !process.env.BENCH_NO_TORCH) models.push(['mlp', 'MLPClassifier', {}]);
  }
  for (const [key, type, params] of models) {
    const fit: number[] = [], predict: number[] = [];
    let acc = 0;
    // timeit's rule, the same on scikit-learn's side: at least `repeats` fits, and more (up to
    // MAX_REPEATS) until a second has been spent, so millisecond fits are timed warm, not as
    // the first call's compilation. The first fit is reported apart, and left out of the warm
    // median (with 3 fits, that median had been the slower of the two warm ones).
    for (let r = 0, spent = 0; r < Number(repeats) || (spent < 1 && r < MAX_REPEATS); r++) {
      const m = type === 'libsvm-js' ? new LibsvmJsSVC() : createEstimator(type, params);
      const t0 = performance.now();
      await m.fit(d.Xtrain, d.ytrain as never);
      const t1 = performance.now();
      const p = m.predict(d.Xtest);
      const t2 = performance.now();
      fit.push((t1 - t0) / 1000);
      predict.push((t2 - t1) / 1000);
      spent += (t2 - t0) / 1000;
      acc = accuracy(d.ytest, p);
    }
    // Warm: the fits after the first, whose compilation and warm-up the first pays (firstFitS).
    out[key] = { fitS: median(fit.length > 1 ? fit.slice(1) : fit), predictS: median(predict), firstFitS: fit[0], accuracy: acc, fitRunsS: fit };
  }
  console.log(JSON.stringify(out));
})();
