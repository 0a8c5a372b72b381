// Binning equals its references, live: pandas' cut with explicit edges and labels (right and
// include_lowest both ways), and scikit-learn's KBinsDiscretizer's edges and bins for the uniform,
// quantile and kmeans strategies, learned on training rows and applied to the others.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../../src/core/csv/load';
import type { Column, Frame, NumericColumn, StringColumn } from '../../../../src/core/frame';
import { Bin } from '../../../../src/core/ml/transformers/binning';
import { createStep } from '../../../../src/core/ml/transformers/registry';
import { dataset } from '../../../support/paths';
import { python } from '../../../support/python';

const added = (f: Frame, name: string): Column => f.columns.find((c) => c.name === name)!;

describe('binning', () => {
  let titanic: Frame, diamonds: Frame;
  before(async () => {
    titanic = await loadCsv(dataset('titanic_survival.csv'));
    diamonds = await loadCsv(dataset('diamonds.csv'));
  });

  for (const [right, includeLowest] of [[true, false], [true, true], [false, false], [false, true]]) {
    it(`explicit edges and labels equal pd.cut (right=${right}, include_lowest=${includeLowest})`, () => {
      const edges = [0, 18, 35, 50, 80];
      const labels = ['Young', 'Adult', 'Middle', 'Senior'];
      const step = new Bin({ column: 'age', edges, labels, right, includeLowest });
      const all = Int32Array.from({ length: titanic.rows }, (_, i) => i);
      const col = added(step.fitTransform(titanic, all), 'age_bin') as StringColumn;
      const ref = python<(string | null)[]>(`
import json, sys
import pandas as pd
a = json.load(sys.stdin)
s = pd.cut(pd.read_csv(a['file'])['age'], bins=a['edges'], labels=a['labels'], right=a['right'], include_lowest=a['includeLowest'])
print(json.dumps([None if pd.isna(v) else str(v) for v in s]))
`, { file: dataset('titanic_survival.csv'), edges, labels, right, includeLowest });
      ref.forEach((v, i) => assert.equal(col.codes[i] < 0 ? null : col.dictionary[col.codes[i]], v, `row ${i}`));
    });
  }

  for (const strategy of ['uniform', 'quantile', 'kmeans'] as const) {
    it(`${strategy} bins equal scikit-learn's KBinsDiscretizer: edges learned on the training rows, bins of the others`, () => {
      const train = Int32Array.from({ length: 30000 }, (_, i) => i);
      const step = new Bin({ column: 'carat', strategy, nBins: 6 }).fit(diamonds, train);
      const bins = (added(step.transform(diamonds), 'carat_bin') as NumericColumn).values;
      const ref = python<{ edges: number[]; bins: number[] }>(`
import json, sys, warnings
import numpy as np
import pandas as pd
from sklearn.preprocessing import KBinsDiscretizer
warnings.filterwarnings('ignore')
a = json.load(sys.stdin)
x = pd.read_csv(a['file'])[['carat']].to_numpy()
kb = KBinsDiscretizer(n_bins=a['nBins'], encode='ordinal', strategy=a['strategy']).fit(x[:a['train']])
print(json.dumps({'edges': [float(e) for e in kb.bin_edges_[0]], 'bins': [int(b) for b in kb.transform(x)[:, 0]]}))
`, { file: dataset('diamonds.csv'), nBins: 6, strategy, train: 30000 });
      const edges = (step.toJSON().state as { edges: number[] }).edges;
      assert.equal(edges.length, ref.edges.length);
      edges.forEach((e, i) => assert.ok(Math.abs(e - ref.edges[i]) <= 1e-9 * Math.max(1, Math.abs(e)), `edge ${i}: ours ${e}, scikit-learn ${ref.edges[i]}`));
      let differ = 0;
      ref.bins.forEach((b, i) => (differ += bins[i] === b ? 0 : 1));
      assert.equal(differ, 0, `${differ} of ${ref.bins.length} rows in another bin`);
    });
  }

  it('onehot gives the bin as a category, which the preprocessor one-hot encodes; options out of place are named', () => {
    const all = Int32Array.from({ length: diamonds.rows }, (_, i) => i);
    const col = added(new Bin({ column: 'carat', strategy: 'uniform', nBins: 3, encode: 'onehot' }).fitTransform(diamonds, all), 'carat_bin');
    assert.equal(col.kind, 'categorical');
    assert.deepEqual((col as StringColumn).dictionary, ['0', '1', '2']);
    assert.throws(() => createStep({ type: 'bin', column: 'age', edges: [0, 10], labels: ['a', 'b'] }), /labels must be 1 distinct names, one per bin/);
    assert.throws(() => createStep({ type: 'bin', column: 'age', edges: [10, 0] }), /edges must be at least two increasing numbers/);
    assert.throws(() => createStep({ type: 'bin', column: 'age', labels: ['a'] }), /labels need edges/);
    assert.throws(() => new Bin({ column: 'sex' }).fit(titanic, all), /column "sex" holds categorical values; binning needs numbers/);
  });
});
