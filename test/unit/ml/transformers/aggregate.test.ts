// Group aggregations equal pandas, live: on a whole file, df.groupby(key)[col].transform(stat) for
// every statistic; learned on training rows, the training rows' groups given to every row by key
// (an unseen or missing key missing). On diamonds and penguins (missing values in key and column).
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../../src/core/csv/load';
import type { Frame, NumericColumn } from '../../../../src/core/frame';
import { Aggregate, AGGREGATE_STATS } from '../../../../src/core/ml/transformers/aggregate';
import { dataset } from '../../../support/paths';
import { python } from '../../../support/python';

const PANDAS = `
import json, sys
import pandas as pd
a = json.load(sys.stdin)
df = pd.read_csv(a['file'])
train = df.iloc[a['train']] if a['train'] is not None else df
out = {}
for stat in a['stats']:
    per_key = train.groupby(a['key'])[a['column']].agg(stat)
    out[stat] = [None if pd.isna(v) else float(v) for v in df[a['key']].map(per_key)]
print(json.dumps(out))
`;

describe('group aggregations', () => {
  let diamonds: Frame, penguins: Frame;
  before(async () => {
    diamonds = await loadCsv(dataset('diamonds.csv'));
    penguins = await loadCsv(dataset('penguins.csv'));
  });

  function compare(frame: Frame, file: string, key: string, column: string, stats: readonly string[], train?: Int32Array) {
    const rows = train ?? Int32Array.from({ length: frame.rows }, (_, i) => i);
    const step = new Aggregate({ groupBy: key, column, stats: stats as never }).fit(frame, rows);
    const out = step.transform(frame);
    const ref = python<Record<string, (number | null)[]>>(PANDAS, { file: dataset(file), key, column, stats, train: train ? Array.from(train) : null });
    for (const stat of stats) {
      const ours = (out.columns.find((c) => c.name === `${column}_${stat}_by_${key}`) as NumericColumn).values;
      ref[stat].forEach((v, i) => {
        if (v === null) assert.ok(Number.isNaN(ours[i]), `${stat} row ${i}: ours ${ours[i]}, pandas missing`);
        else assert.ok(Math.abs(ours[i] - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${stat} row ${i}: ours ${ours[i]}, pandas ${v}`);
      });
    }
  }

  it('on a whole file every statistic equals df.groupby(key)[col].transform(stat)', () => {
    compare(diamonds, 'diamonds.csv', 'cut', 'price', AGGREGATE_STATS);
    compare(diamonds, 'diamonds.csv', 'color', 'carat', ['mean', 'std', 'nunique']);
  });

  it('with missing keys and values (penguins): a missing key is no group, missing values are skipped', () => {
    compare(penguins, 'penguins.csv', 'sex', 'body_mass_g', AGGREGATE_STATS);
    compare(penguins, 'penguins.csv', 'island', 'sex', ['count', 'nunique']);
  });

  it('learned on the training rows, applied to every row by its key (an unseen key missing)', () => {
    // The first 100 rows of diamonds have no IF grade: the IF rows after them get no value.
    compare(diamonds, 'diamonds.csv', 'clarity', 'price', ['mean', 'max', 'count'], Int32Array.from({ length: 100 }, (_, i) => i));
    const step = new Aggregate({ groupBy: 'clarity', column: 'price' }).fit(diamonds, Int32Array.from({ length: 100 }, (_, i) => i));
    const clarity = diamonds.columns.find((c) => c.name === 'clarity')!;
    const ifRow = clarity.kind === 'categorical' ? Array.from(clarity.codes).findIndex((c) => clarity.dictionary[c] === 'IF') : -1;
    assert.ok(ifRow > 100 && Number.isNaN((step.transform(diamonds).columns.at(-1) as NumericColumn).values[ifRow]));
  });

  it('a statistic that needs numbers on a text column is refused, naming both', () => {
    const all = Int32Array.from({ length: penguins.rows }, (_, i) => i);
    assert.throws(() => new Aggregate({ groupBy: 'island', column: 'sex', stats: ['mean'] }).fit(penguins, all), /column "sex" holds categorical values; mean need numbers \(count and nunique do not\)/);
  });
});
