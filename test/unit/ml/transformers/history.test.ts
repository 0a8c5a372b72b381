// Lags and rolling windows equal pandas, live: rows ordered by time (a stable sort, missing times
// last), within each group (a missing key in none), lag k = shift(k), a window of the previous w
// rows = shift(1).rolling(w), or rolling(w) with includeCurrent. On a shuffled file of three stores
// with tied and missing times and values, and on seattle_weather. A session with them splits and
// folds by time.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../../src/core/csv/load';
import type { Frame, NumericColumn } from '../../../../src/core/frame';
import { trainTestData } from '../../../../src/core/ml/dataset';
import { crossValScore } from '../../../../src/core/ml/modelSelection';
import { timeSeriesSplit } from '../../../../src/core/ml/split';
import { Lag, Rolling, ROLLING_STATS } from '../../../../src/core/ml/transformers/history';
import { dataset, tempFile } from '../../../support/paths';
import { python } from '../../../support/python';

const PANDAS = `
import json, sys
import pandas as pd
a = json.load(sys.stdin)
df = pd.read_csv(a['file'], parse_dates=[a['orderBy']])
df['_i'] = range(len(df))
df = df.sort_values([a['orderBy'], '_i'], kind='stable', na_position='last')
g = df.groupby(a['groupBy'])[a['column']] if a['groupBy'] else df[a['column']]
out = {}
for k in a['lags']:
    out[f"{a['column']}_lag_{k}"] = g.shift(k)
for stat in a['stats']:
    shift = 0 if a['includeCurrent'] else 1
    f = lambda s: getattr(s.shift(shift).rolling(a['window']), stat)()
    out[f"{a['column']}_rolling_{a['window']}_{stat}"] = g.transform(f) if a['groupBy'] else f(df[a['column']])
res = {}
for name, s in out.items():
    s = s.set_axis(df['_i']).sort_index()
    res[name] = [None if pd.isna(v) else float(v) for v in s]
print(json.dumps(res))
`;

/** Three stores' daily sales, rows shuffled, with a tied date, a missing date, a missing store and missing sales. */
function storesCsv(): string {
  let s = 7;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const rows: string[] = [];
  for (const store of ['north', 'south', 'east']) {
    for (let d = 1; d <= 40; d++) {
      const day = `2024-${String(1 + Math.floor((d - 1) / 28)).padStart(2, '0')}-${String(((d - 1) % 28) + 1).padStart(2, '0')}`;
      const sales = rand() < 0.05 ? '' : (100 + 50 * rand()).toFixed(2);
      rows.push(`${rand() < 0.02 ? '' : store},${rand() < 0.02 ? '' : day},${sales}`);
      if (d === 10) rows.push(`${store},${day},${(90 + 10 * rand()).toFixed(2)}`); // a tie on the same day
    }
  }
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return ['store,date,sales', ...rows].join('\n') + '\n';
}

describe('lags and rolling windows', () => {
  function compare(frame: Frame, file: string, o: { column: string; orderBy: string; groupBy: string | null; lags: number[]; window: number; includeCurrent: boolean }) {
    const lag = new Lag({ column: o.column, orderBy: o.orderBy, groupBy: o.groupBy, lags: o.lags }).fit(frame);
    const rolling = new Rolling({ column: o.column, orderBy: o.orderBy, groupBy: o.groupBy, window: o.window, stats: [...ROLLING_STATS], includeCurrent: o.includeCurrent }).fit(frame);
    const out = rolling.transform(lag.transform(frame));
    const ref = python<Record<string, (number | null)[]>>(PANDAS, { file, ...o, stats: ROLLING_STATS });
    for (const [name, values] of Object.entries(ref)) {
      const ours = (out.columns.find((c) => c.name === name) as NumericColumn).values;
      values.forEach((v, i) => {
        if (v === null) assert.ok(Number.isNaN(ours[i]), `${name} row ${i}: ours ${ours[i]}, pandas missing`);
        else assert.ok(Math.abs(ours[i] - v) <= 1e-9 * Math.max(1, Math.abs(v)), `${name} row ${i}: ours ${ours[i]}, pandas ${v}`);
      });
    }
  }

  it('within groups, in time order, equal pandas\' groupby shift and shift(1).rolling(w)', async () => {
    const file = tempFile('stores.csv', storesCsv());
    const frame = await loadCsv(file);
    compare(frame, file, { column: 'sales', orderBy: 'date', groupBy: 'store', lags: [1, 3], window: 4, includeCurrent: false });
    compare(frame, file, { column: 'sales', orderBy: 'date', groupBy: 'store', lags: [2], window: 3, includeCurrent: true });
  });

  it('without groups, on seattle_weather', async () => {
    const file = dataset('vega_seattle_weather.csv');
    compare(await loadCsv(file), file, { column: 'temp_max', orderBy: 'date', groupBy: null, lags: [1, 7], window: 7, includeCurrent: false });
  });

  it('a session with them splits by time: every test row after every training row, the training rows in time order, TimeSeriesSplit folds', async () => {
    const frame = await loadCsv(dataset('vega_seattle_weather.csv'));
    const data = trainTestData(frame, 'weather', { drop: ['date'], features: [{ type: 'lag', column: 'temp_max', lags: [1], orderBy: 'date' }, { type: 'rolling', column: 'precipitation', window: 3, orderBy: 'date' }] });
    assert.equal(data.timeColumn, 'date');
    const date = frame.columns.find((c) => c.name === 'date')! as { values: Float64Array };
    const lastTrain = Math.max(...Array.from(data.trainRows, (r) => date.values[r]));
    assert.ok(Array.from(data.testRows).every((r) => date.values[r] > lastTrain));
    assert.ok(Array.from(data.trainRows).every((r, i) => i === 0 || date.values[r] >= date.values[data.trainRows[i - 1]]));
    assert.equal(data.testRows.length, Math.ceil(0.2 * frame.rows));
    const scores = await crossValScore('LogisticRegression', {}, data.Xtrain, data.ytrain, { cv: 3, timeOrdered: true });
    assert.equal(scores.length, 3);
  });

  it('its folds are scikit-learn\'s TimeSeriesSplit', () => {
    for (const [n, k] of [[103, 4], [50, 3], [12, 5]]) {
      const ref = python<{ train: number[]; test: number[] }[]>(`
import json, sys
import numpy as np
from sklearn.model_selection import TimeSeriesSplit
n, k = json.load(sys.stdin)
print(json.dumps([{'train': tr.tolist(), 'test': te.tolist()} for tr, te in TimeSeriesSplit(n_splits=k).split(np.zeros(n))]))
`, [n, k]);
      assert.deepEqual(timeSeriesSplit(n, k).map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) })), ref, `n ${n}, k ${k}`);
    }
  });
});
