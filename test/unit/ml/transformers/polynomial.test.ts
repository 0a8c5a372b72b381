// Polynomial features equal scikit-learn's PolynomialFeatures, live: the added terms' names
// (get_feature_names_out, less the inputs it keeps) and values, for several degrees and options,
// on penguins' measurements; a choice past the column cap is refused with what to change.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../../src/core/csv/load';
import type { Frame, NumericColumn } from '../../../../src/core/frame';
import { PolynomialFeatures } from '../../../../src/core/ml/transformers/polynomial';
import { createStep } from '../../../../src/core/ml/transformers/registry';
import { dataset } from '../../../support/paths';
import { python } from '../../../support/python';

describe('polynomial features', () => {
  let frame: Frame;
  const columns = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm'];
  before(async () => {
    frame = await loadCsv(dataset('penguins.csv'));
  });

  for (const [degree, interactionOnly, includeBias] of [[2, false, false], [3, false, true], [3, true, false]] as const) {
    it(`degree ${degree}${interactionOnly ? ', interactions only' : ''}${includeBias ? ', with bias' : ''}: the names and values of scikit-learn's PolynomialFeatures`, () => {
      const step = new PolynomialFeatures({ columns, degree, interactionOnly, includeBias });
      const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
      const out = step.fitTransform(frame, all);
      const added = out.columns.slice(frame.columns.length) as NumericColumn[];
      const ref = python<{ names: string[]; rows: number[]; values: number[][] }>(`
import json, sys
import pandas as pd
from sklearn.preprocessing import PolynomialFeatures
a = json.load(sys.stdin)
df = pd.read_csv(a['file'])[a['columns']]
present = df.dropna()
pf = PolynomialFeatures(degree=a['degree'], interaction_only=a['interactionOnly'], include_bias=a['includeBias'])
Z = pf.fit_transform(present.to_numpy())
names = list(pf.get_feature_names_out(a['columns']))
keep = [i for i, n in enumerate(names) if n not in a['columns']]
print(json.dumps({'names': [names[i] for i in keep], 'rows': [int(i) for i in present.index], 'values': [[float(v) for v in Z[:, i]] for i in keep]}))
`, { file: dataset('penguins.csv'), columns, degree, interactionOnly, includeBias });
      assert.deepEqual(added.map((c) => c.name), ref.names);
      assert.deepEqual(step.outputNames(), ref.names);
      ref.values.forEach((values, k) => {
        values.forEach((v, j) => {
          const ours = added[k].values[ref.rows[j]];
          assert.ok(Math.abs(ours - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${ref.names[k]} row ${ref.rows[j]}: ours ${ours}, scikit-learn ${v}`);
        });
      });
      // A row with a missing input has its terms missing (imputed later, as any numeric column).
      const missingRow = (frame.columns.find((c) => c.name === 'bill_length_mm') as NumericColumn).values.findIndex((v) => Number.isNaN(v));
      assert.ok(missingRow >= 0);
      assert.ok(added.filter((c) => c.name !== '1').every((c) => Number.isNaN(c.values[missingRow])));
    });
  }

  it('a choice that would add more than 1,000 columns is refused, saying what to change', () => {
    const many = Array.from({ length: 40 }, (_, i) => `x${i}`);
    assert.throws(() => createStep({ type: 'polynomial', columns: many, degree: 3 }, 'features[0]'),
      /features\[0\]: polynomial: degree 3 on 40 columns adds 12,300 columns, past the 1,000 a step may add; choose fewer columns, a lower degree, or interactionOnly/);
    assert.doesNotThrow(() => createStep({ type: 'polynomial', columns: many.slice(0, 10), degree: 3 }));
  });

  it('a text column, an unknown option or a missing column is named', () => {
    const all = Int32Array.from({ length: frame.rows }, (_, i) => i);
    assert.throws(() => new PolynomialFeatures({ columns: ['species'] }).fit(frame), /column "species" holds categorical values; polynomial features need numbers/);
    assert.throws(() => new PolynomialFeatures({ columns: ['nope'] }).fit(frame), /column "nope" is missing \(the polynomial step reads it\)/);
    assert.throws(() => createStep({ type: 'polynomial', columns: ['a'], degre: 2 }), /unknown option "degre"/);
    assert.throws(() => createStep({ type: 'constructor' }), /unknown step type "constructor"/);
    void all;
  });

  it('its saved state loads back, and a tampered one is refused', () => {
    const step = new PolynomialFeatures({ columns, degree: 2 }).fit(frame);
    const saved = JSON.parse(JSON.stringify(step.toJSON()));
    const again = new PolynomialFeatures(saved.params).restoreSaved(saved.state);
    assert.deepEqual(again.outputNames(), step.outputNames());
    assert.throws(() => new PolynomialFeatures(saved.params).restoreSaved({ ...saved.state, powers: saved.state.powers.slice(1) }), /names has 6 values where 5 are needed|powers/);
  });
});
