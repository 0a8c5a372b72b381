// Random forest behaviour: determinism, importances, out-of-bag score, validation of saved trees.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { loadCsv } from '../../../src/core/csv/load';
import { trainTestData } from '../../../src/core/ml/dataset';
import type { FitOptions } from '../../../src/core/ml/estimator';
import { binFeatures, binOf } from '../../../src/core/ml/models/forest/binning';
import { RandomForestClassifier, RandomForestRegressor } from '../../../src/core/ml/models/forest/forest';
import { binnedInput, bootstrapCounts, growSeededTree, growTree } from '../../../src/core/ml/models/forest/tree';
import { warmUp, warmUpThread } from '../../../src/core/ml/models/forest/warmUp';
import { matrix } from '../../../src/core/ml/matrix';
import { loadEstimator } from '../../../src/core/ml/registry';
import { idleThreads, terminateIdleThreads, workerScript } from '../../../src/core/threads';
import { referenceData } from '../../referencePipeline';
import { dataset } from '../../support/paths';

describe('random forest', () => {
  let data: ReturnType<typeof trainTestData>;
  before(async () => {
    data = trainTestData(await loadCsv(dataset('penguins.csv')), 'species');
  });

  it('the same seed gives the same model on one thread or two; another seed another model', async () => {
    const one = await new RandomForestClassifier({ nEstimators: 20, nJobs: 1, randomState: 3 }).fit(data.Xtrain, data.ytrain as Int32Array);
    const two = await new RandomForestClassifier({ nEstimators: 20, nJobs: 2, randomState: 3 }).fit(data.Xtrain, data.ytrain as Int32Array);
    assert.deepEqual(two.toJSON().state, one.toJSON().state);
    const other = await new RandomForestClassifier({ nEstimators: 20, nJobs: 1, randomState: 4 }).fit(data.Xtrain, data.ytrain as Int32Array);
    assert.notDeepEqual(other.toJSON().state, one.toJSON().state);
  });

  it('warming a thread up leaves the trees it grows next as they were', () => {
    const job = { input: { ...binnedInput(data.Xtrain, false, true), yClass: data.ytrain as Int32Array, nClasses: 3 }, params: { maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, mtry: 2 }, bootstrap: true };
    const before = [5, 6].map((seed) => growSeededTree(job, seed));
    warmUpThread();
    warmUp({ ...job, bootstrap: false }); // a kind of job this thread had not warmed up for
    assert.deepEqual([5, 6].map((seed) => growSeededTree(job, seed)), before);
  });

  it('bins pack to 1, 2, 4 or 8 bits per feature and read back as the bin holding each value', () => {
    // Columns with 2, 3, 12 and 300 distinct values, then 9 flags: 1 + 2 + 4 + 8 + 9 bits.
    const n = 600, d = 13;
    const X = matrix(n, d);
    for (let i = 0; i < n; i++) {
      const row = [i % 2, (i * 7) % 3 - 1, ((i * 5) % 12) / 4, (i * 37) % 300 + 0.5];
      for (let f = 0; f < 9; f++) row.push((i >> f) & 1);
      X.data.set(row, i * d);
    }
    const { bins, codes, layout } = binFeatures(X);
    assert.deepEqual(Array.from(layout.mask.slice(0, 5)), [1, 3, 15, 255, 1]);
    // 1 + 2 + 4 bits share byte 0, the byte-wide feature takes byte 1, the flags bytes 2 and 3.
    assert.equal(layout.stride, 4);
    assert.deepEqual(Array.from(layout.byte), [0, 0, 0, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3]);
    assert.equal(codes.length, n * layout.stride);
    for (let f = 0; f < d; f++) {
      for (let i = 0; i < n; i++) {
        const v = X.data[i * d + f], b = binOf(codes, layout, i, f);
        assert.ok(bins.lo[f][b] <= v && v <= bins.hi[f][b], `feature ${f} row ${i}: ${v} is not in bin ${b}`);
        if (b > 0) assert.ok(bins.hi[f][b - 1] < v, `feature ${f} row ${i}: ${v} belongs in an earlier bin`);
      }
    }
  });

  it('one-hot groups: runs of 0/1 columns with at most one 1 per row, each with a byte per row naming its member', () => {
    // Columns: a number; a category of 3, one-hot; then three flags that are never 1 together
    // (rows with none are allowed, as with drop-first), the first of which is 1 with the
    // category's first value, so it clashes with that group and starts the next.
    const n = 300, d = 7;
    const X = matrix(n, d);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      X.data.set([i / 7, c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 ? 1 : 0, c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 && i % 2 === 0 ? 1 : 0], i * d);
    }
    const { codes, layout, groups } = binFeatures(X);
    assert.deepEqual(Array.from(groups.group), [-1, 0, 0, 0, 1, 1, 1]);
    assert.deepEqual(Array.from(groups.member), [0, 0, 1, 2, 0, 1, 2]);
    assert.deepEqual(Array.from(groups.size), [3, 3]);
    for (let i = 0; i < n; i++) {
      for (let g = 0; g < 2; g++) {
        const members = [1, 2, 3, 4, 5, 6].filter((f) => groups.group[f] === g);
        const one = members.findIndex((f) => X.data[i * d + f] === 1);
        assert.equal(binOf(codes, layout, i, d + g), one < 0 ? 3 : one, `row ${i}, group ${g}`);
      }
    }
  });

  it('trees grown from one-hot group bytes are the trees grown feature by feature (mpls_stops)', async function () {
    this.timeout(60_000);
    const d = await referenceData('mpls_stops', dataset('mpls_stops.csv'));
    const b = binFeatures(d.Xtrain);
    assert.deepEqual(Array.from(b.groups.size), [2, 8, 8, 4, 5, 87]); // problem, preRace, race, gender, precinct, neighborhood
    const input = { n: d.Xtrain.rows, d: d.Xtrain.cols, codes: b.codes, layout: b.layout, nBins: Int32Array.from(b.bins.hi, (h) => h.length), lo: b.bins.lo, hi: b.bins.hi, yClass: d.ytrain as Int32Array, nClasses: 2 };
    const params = { maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, mtry: 10 };
    for (const seed of [1, 2]) {
      const plain = growTree(input, params, bootstrapCounts(input.n, seed), seed);
      const grouped = growTree({ ...input, groups: b.groups }, params, bootstrapCounts(input.n, seed), seed);
      assert.ok(plain.feature.length > 1000);
      assert.deepEqual(grouped, plain);
    }
  });

  it('trees grown from histograms of each node\'s own classes are the trees grown from all 26 (letter_recognition)', async function () {
    this.timeout(60_000);
    const d = await referenceData('letter_recognition', dataset('letter_recognition.csv'));
    const b = binFeatures(d.Xtrain);
    const input = { n: d.Xtrain.rows, d: d.Xtrain.cols, codes: b.codes, layout: b.layout, nBins: Int32Array.from(b.bins.hi, (h) => h.length), lo: b.bins.lo, hi: b.bins.hi, yClass: d.ytrain as Int32Array, nClasses: 26 };
    let mixed = 0;
    for (const [seed, params] of [[1, { maxDepth: null, minSamplesSplit: 2, minSamplesLeaf: 1, mtry: 4 }], [2, { maxDepth: 12, minSamplesSplit: 2, minSamplesLeaf: 3, mtry: 16 }]] as const) {
      const own = growTree(input, params, bootstrapCounts(input.n, seed), seed);
      const all = growTree({ ...input, allClasses: true }, params, bootstrapCounts(input.n, seed), seed);
      assert.ok(own.feature.length > 900, `${own.feature.length} nodes`);
      mixed += own.value.length / 26;
      assert.deepEqual(own, all);
    }
    assert.ok(mixed > 100, `${mixed} leaves hold several classes`);
  });

  it('seeded forests grow tree for tree as they did before the grower was made faster (pinned digests)', async function () {
    // Digests of the saved state, taken before the per-feature histograms of small nodes: every
    // speed-up of the grower must leave these forests as they were, bit for bit.
    this.timeout(120_000);
    const sha = (m: { toJSON(): { state: unknown } }) => createHash('sha256').update(JSON.stringify(m.toJSON().state)).digest('hex').slice(0, 16);
    const mpls = await referenceData('mpls_stops', dataset('mpls_stops.csv'));
    const letter = await referenceData('letter_recognition', dataset('letter_recognition.csv'));
    const diamonds = trainTestData(await loadCsv(dataset('diamonds.csv')), 'price');
    const classifier = (d: typeof mpls, p: Record<string, unknown>) => new RandomForestClassifier({ nEstimators: 10, nJobs: 1, randomState: 42, ...p }).fit(d.Xtrain, d.ytrain as Int32Array);
    assert.deepEqual({
      mpls: sha(await classifier(mpls, {})),
      mplsLeaf3: sha(await classifier(mpls, { minSamplesLeaf: 3, maxDepth: 12 })),
      letter: sha(await classifier(letter, {})),
      letterLeaf3: sha(await classifier(letter, { minSamplesLeaf: 3 })),
      diamonds: sha(await new RandomForestRegressor({ nEstimators: 5, nJobs: 1, randomState: 42 }).fit(diamonds.Xtrain, diamonds.ytrain as Float64Array)),
    }, { mpls: 'f7f2af20844f003a', mplsLeaf3: 'a77f87fc9102cd74', letter: '77b09c742e8b9d0a', letterLeaf3: 'ee36c8784fde72f6', diamonds: 'da249f1681694769' });
  });

  it('kept worker threads serve the next fit the same, and a cancelled fit leaves the next one whole', async () => {
    const fit = (o: FitOptions = {}) => new RandomForestClassifier({ nEstimators: 20, nJobs: 2, randomState: 3 }).fit(data.Xtrain, data.ytrain as Int32Array, o);
    const first = await fit(), again = await fit();
    assert.deepEqual(again.toJSON().state, first.toJSON().state);
    const ac = new AbortController();
    await assert.rejects(fit({ signal: ac.signal, onProgress: () => ac.abort() }), /cancelled/);
    assert.deepEqual((await fit()).toJSON().state, first.toJSON().state);
    // Threads started before the data is ready (as a session does while it checks for leakage)
    // never saw a job: the fit they then serve is the same.
    await terminateIdleThreads();
    const early = new RandomForestClassifier({ nEstimators: 20, nJobs: 2, randomState: 3 });
    early.prestartThreads(data.Xtrain.rows);
    assert.equal(idleThreads(workerScript('forestWorker')), 2);
    assert.deepEqual((await early.fit(data.Xtrain, data.ytrain as Int32Array)).toJSON().state, first.toJSON().state);
  });

  it('importances sum to one and favour the informative features; out-of-bag accuracy is reported', async () => {
    const m = await new RandomForestClassifier({ nEstimators: 50, oobScore: true }).fit(data.Xtrain, data.ytrain as Int32Array);
    const imp = m.featureImportances;
    assert.ok(Math.abs(imp.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const names = data.preprocessor.state!.outputNames;
    const top = names[imp.indexOf(Math.max(...imp))];
    assert.ok(['bill_length_mm', 'flipper_length_mm', 'bill_depth_mm', 'body_mass_g'].includes(top), top);
    const oob = m.toJSON().state.oobScore!;
    assert.ok(oob > 0.9 && oob <= 1, String(oob));
  });

  it('max_depth and min_samples_leaf shape the trees', async () => {
    const stump = await new RandomForestClassifier({ nEstimators: 5, maxDepth: 1, nJobs: 1 }).fit(data.Xtrain, data.ytrain as Int32Array);
    const saved = stump.toJSON().state.trees;
    for (const t of saved) assert.equal(Buffer.from(t.feature, 'base64').length / 4, 3);
    await assert.rejects(new RandomForestClassifier({ maxDepth: 0 }).fit(data.Xtrain, data.ytrain as Int32Array), /maxDepth must be a whole number ≥ 1 or null \(got 0\)/);
  });

  it('a saved classifier keeps a pure leaf as its class alone, and loads to the same probabilities; forests saved with every leaf\'s values, or every node\'s, still load', async () => {
    const m = await new RandomForestClassifier({ nEstimators: 10, nJobs: 1 }).fit(data.Xtrain, data.ytrain as Int32Array);
    const saved = m.toJSON();
    assert.equal(saved.state.values, 'pure-leaves');
    const expected = m.predictProba(data.Xtest);
    const loaded = loadEstimator(JSON.parse(JSON.stringify(saved)));
    assert.deepEqual(Array.from((loaded as RandomForestClassifier).predictProba(data.Xtest)), Array.from(expected));
    // The same trees in the earlier forms: every leaf's k values ('leaves'), every node's (none).
    const k = saved.state.nClasses;
    const i32 = (b: string) => new Int32Array(new Uint8Array(Buffer.from(b, 'base64')).buffer);
    const f64 = (b: string) => new Float64Array(new Uint8Array(Buffer.from(b, 'base64')).buffer);
    const b64 = (a: Float64Array) => Buffer.from(a.buffer).toString('base64');
    const leavesForm = JSON.parse(JSON.stringify(saved));
    const nodesForm = JSON.parse(JSON.stringify(saved));
    let pure = 0, leaves = 0;
    saved.state.trees.forEach((t, j) => {
      const left = i32(t.left), cls = i32(t.leafClass!), mixed = f64(t.value);
      const perLeaf = new Float64Array(cls.length * k), perNode = new Float64Array(left.length * k);
      for (let i = 0, leaf = 0, at = 0; i < left.length; i++) {
        if (left[i] >= 0) continue;
        const row = cls[leaf] >= 0 ? Float64Array.from({ length: k }, (_, c) => (c === cls[leaf] ? 1 : 0)) : mixed.subarray(at * k, (++at) * k);
        if (cls[leaf] >= 0) pure++;
        perLeaf.set(row, leaf * k);
        perNode.set(row, i * k);
        leaf++;
        leaves++;
      }
      Object.assign(leavesForm.state.trees[j], { value: b64(perLeaf), leafClass: undefined });
      Object.assign(nodesForm.state.trees[j], { value: b64(perNode), leafClass: undefined });
    });
    assert.ok(pure > 0.9 * leaves, `${pure} of ${leaves} leaves pure`);
    leavesForm.state.values = 'leaves';
    delete nodesForm.state.values;
    for (const form of [leavesForm, nodesForm]) {
      assert.deepEqual(Array.from((loadEstimator(JSON.parse(JSON.stringify(form))) as RandomForestClassifier).predictProba(data.Xtest)), Array.from(expected));
    }
    const badClass = JSON.parse(JSON.stringify(saved));
    const cls = i32(badClass.state.trees[0].leafClass);
    cls[0] = k;
    badClass.state.trees[0].leafClass = Buffer.from(cls.buffer).toString('base64');
    assert.throws(() => loadEstimator(badClass), new RegExp(`tree 0 has leaf class ${k} of ${k} classes`));
  });

  it('a tampered saved forest is refused, not run', async () => {
    const m = await new RandomForestClassifier({ nEstimators: 3, nJobs: 1 }).fit(data.Xtrain, data.ytrain as Int32Array);
    const saved = JSON.parse(JSON.stringify(m.toJSON()));
    const bytes = Buffer.from(saved.state.trees[0].left, 'base64');
    const left = new Int32Array(new Uint8Array(bytes).buffer);
    left[0] = 0; // a node pointing at itself would loop forever
    saved.state.trees[0].left = Buffer.from(left.buffer as ArrayBuffer).toString("base64");
    assert.throws(() => loadEstimator(saved), /tree 0 node 0 is malformed/);
    assert.throws(() => loadEstimator({ format: 'pickle' }), /not an ML Workbench model/);
    assert.throws(() => loadEstimator({ ...m.toJSON(), version: 99 }), /version 99/);
  });
});
