// npm run bench:train: our engine and scikit-learn (/usr/bin/python3) side by side in one run, on
// the shared reference pipeline: fit and predict times, accuracy and the ratio ours/scikit-learn,
// per dataset and model; then the reference grid search (8 candidates × 5 folds, letter).
// Both sides fit the same matrices (our preprocessing of the reference pipeline, written to a
// temporary folder), so the accuracies are on one test split and the times on one dataset.
// Warm fit times are medians of the fits after the first (4 fits or more, see trainRun.ts) in each
// of BENCH_ROUNDS (3) rounds, then the median over rounds; 'ratio, fastest fits' compares each
// side's fastest fit of all rounds (a side whose fits take one of two times shows it here: scikit-learn's logistic
// regression on letter_recognition takes 0.8-0.9 s or 3-5 s, the slow fits spending half their
// time in page faults of freshly mapped temporaries); 'ratio, first fits' compares each side's
// first fit in its process, compilation and warm-up included.
// SVC is measured where scikit-learn finishes in reasonable time (not mpls_stops). The MLP twice:
// ours with scikit-learn's settings (like with like), and our default network (dropout 0.2, batch
// 32; on mpls_stops too unless BENCH_NO_TORCH=1 leaves PyTorch out, about ten seconds a fit), each against scikit-learn's.
// BENCH_LIBSVM_JS=1 adds libsvm compiled to WebAssembly (npm libsvm-js) beside our SVC. The seed's
// network is also set against PyTorch 1.13 (bench/torch_mlp.py, python3-torch; BENCH_NO_TORCH=1
// leaves it out), one thread and two, on the same matrices, warm and cold fits apart.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.MLW_SHARED || path.resolve(ROOT, '..', 'shared');
const only = process.argv[2];
/** Runs a command; its result is the JSON of its last output line, or of OUT/<outFile> if named. */
function run(cmd, args, outFile, env = {}) {
  const out = fs.mkdtempSync('/tmp/skl-');
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env, OUT: out } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return JSON.parse(outFile ? fs.readFileSync(path.join(out, outFile), 'utf8') : r.stdout.trim().split('\n').pop());
}
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
/** Per model, the median over rounds of each timing; the accuracy of the first round (fits are seeded). */
function combine(rounds) {
  const out = {};
  for (const key of Object.keys(rounds[0]).filter((k) => typeof rounds[0][k] === 'object')) {
    const runs = rounds.map((r) => r[key]).filter(Boolean);
    out[key] = { accuracy: runs[0].accuracy, rounds: runs.length };
    for (const t of ['fitS', 'predictS', 'firstFitS']) out[key][t] = median(runs.map((r) => r[t]));
    out[key].fastestFitS = Math.min(...runs.flatMap((r) => r.fitRunsS));
  }
  return out;
}
const rows = [];
const torchRuns = {};
const fmt = (x, d = 3) => (typeof x === 'number' ? x.toFixed(d) : String(x));
for (const name of ['titanic_survival', 'letter_recognition', 'mpls_stops']) {
  if (only && only !== name && only !== 'models') continue;
  // Rounds alternate the two sides (ours, scikit-learn, ours, …) so that a slow spell of this
  // shared machine falls on both; each figure is the median over rounds. The MLP, minutes per
  // fit, runs in the first round only.
  const oursRounds = [], theirsRounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const env = round > 0 ? { BENCH_NO_MLP: '1' } : {};
    const matrices = fs.mkdtempSync('/tmp/mlw-bench-');
    // Ours writes its train/test matrices there; scikit-learn fits on them.
    oursRounds.push(run(process.execPath, [path.join(ROOT, 'dist', 'benchTrain.js'), 'models', path.join(SHARED, 'datasets'), name], undefined, { ...env, MATRICES: matrices }));
    theirsRounds.push(run('/usr/bin/python3', [path.join(ROOT, 'bench', 'sklearn_train.py'), SHARED, name, matrices], undefined, env));
    if (round === 0 && oursRounds[0].mlp && !process.env.BENCH_NO_TORCH) torchRuns[name] = run('/usr/bin/python3', [path.join(ROOT, 'bench', 'torch_mlp.py'), matrices]);
    fs.rmSync(matrices, { recursive: true, force: true });
  }
  const ours = combine(oursRounds), theirs = combine(theirsRounds);
  // The seed's network in PyTorch (python3-torch) on the first round's matrices, one thread and two,
  // beside ours: fit seconds warm (the median of the fits after the first) and cold (the first).
  if (torchRuns[name]) {
    const o = oursRounds[0].mlp;
    const warm = o.fitRunsS.length > 1 ? median(o.fitRunsS.slice(1)) : o.fitRunsS[0];
    for (const threads of [1, 2]) {
      const t = torchRuns[name][`threads${threads}`];
      rows.push([name, `MLP seed vs PyTorch 1.13, ${threads} thread${threads > 1 ? 's' : ''} (warm; cold)`, fmt(warm), fmt(t.warmFitS), fmt(warm / t.warmFitS, 2), '', fmt(o.fitRunsS[0] / t.firstFitS, 2), '', '', fmt(o.accuracy, 4), fmt(t.accuracy, 4)]);
      console.log(rows[rows.length - 1].join('  '));
    }
  }
  const labels = { lr: 'LogisticRegression', rf: 'RandomForest(100, all cores)', svc: 'SVC(rbf)', svcApprox: 'ApproxSVC (RFF 500 + linear SVM)', svcLibsvmJs: 'SVC(rbf) by libsvm-js (wasm)', mlpSk: "MLP(64,64), 50 epochs, scikit-learn's settings", mlp: 'MLP(64,64), 50 epochs, ours: dropout 0.2, batch 32' };
  // Both of our MLPs are set against scikit-learn's one (bench/sklearn_train.py), libsvm-js against its SVC.
  const theirKey = (key) => ({ mlpSk: 'mlp', svcLibsvmJs: 'svc' })[key] ?? key;
  for (const key of Object.keys(labels).filter((k) => ours[k] && theirs[theirKey(k)])) {
    const o = ours[key], t = theirs[theirKey(key)];
    rows.push([name, labels[key], fmt(o.fitS), fmt(t.fitS), fmt(o.fitS / t.fitS, 2), fmt(o.fastestFitS / t.fastestFitS, 2), fmt(o.firstFitS / t.firstFitS, 2), fmt(o.predictS), fmt(t.predictS), fmt(o.accuracy, 4), fmt(t.accuracy, 4)]);
    console.log(rows[rows.length - 1].join('  '));
  }
}
// A forest in a fresh process, start-up included: `mlw train --models rf` (read, split, prepare, fit,
// score, record the run) against Python doing the reference pipeline's read, preparation, fit and
// prediction, each process timed from outside, alternating, the median of BENCH_ROUNDS.
if (!only || only === 'models' || only === 'cold') {
  // The reference pipeline's choices: mpls_stops without its id and the two outcome columns.
  const args = { letter_recognition: ['--target', 'lettr'], mpls_stops: ['--target', 'personSearch', '--drop', 'idNum,vehicleSearch,citationIssued'] };
  for (const [name, given] of Object.entries(args)) {
    const ours = [], theirs = [];
    for (let round = 0; round < ROUNDS; round++) {
      const store = fs.mkdtempSync('/tmp/mlw-cold-');
      let t0 = performance.now();
      const o = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', path.join(SHARED, 'datasets', `${name}.csv`), ...given, '--models', 'rf', '--cv', '0', '--store', store, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
      ours.push((performance.now() - t0) / 1000);
      if (o.status !== 0) throw new Error(`mlw train failed: ${o.stderr}`);
      fs.rmSync(store, { recursive: true, force: true });
      t0 = performance.now();
      const t = spawnSync('/usr/bin/python3', [path.join(ROOT, 'bench', 'sklearn_rf_process.py'), SHARED, name], { encoding: 'utf8' });
      theirs.push((performance.now() - t0) / 1000);
      if (t.status !== 0) throw new Error(`scikit-learn failed: ${t.stderr}`);
    }
    rows.push([name, 'RandomForest(100), a fresh process, start-up included', fmt(median(ours)), fmt(median(theirs)), fmt(median(ours) / median(theirs), 2), '', '', '', '', '', '']);
    console.log(rows[rows.length - 1].join('  '));
  }
}
if (!only || only === 'grid') {
  const ours = run(process.execPath, [path.join(ROOT, 'dist', 'benchTrain.js'), 'grid', path.join(SHARED, 'datasets'), '', '1']);
  const theirs = run('/usr/bin/python3', [path.join(SHARED, 'reference', 'bench_sklearn.py'), 'grid'], 'grid.json');
  rows.push(['letter_recognition', 'GridSearch RF 8×5 (refit)', fmt(ours.totalS), fmt(theirs.total_s), fmt(ours.totalS / theirs.total_s, 2), '', '', '', '', fmt(ours.testAccuracy, 4), fmt(theirs.test_accuracy_refit, 4)]);
  console.log(rows[rows.length - 1].join('  '));
}
const header = ['dataset', 'model', 'fit s (ours)', 'fit s (sklearn)', 'ratio', 'ratio, fastest fits', 'ratio, first fits', 'predict s (ours)', 'predict s (sklearn)', 'accuracy (ours)', 'accuracy (sklearn)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
console.log('\n' + [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ')).join('\n'));
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'train.json'), JSON.stringify({ header, rows }, null, 2));
