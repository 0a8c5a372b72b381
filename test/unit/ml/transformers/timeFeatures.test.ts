// Time features equal pandas' dt accessors, live, on times that catch calendar arithmetic out:
// before 1970, leap days, the last day of a year, a missing value; and on seattle_weather's dates.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../../src/core/csv/load';
import type { NumericColumn } from '../../../../src/core/frame';
import { TIME_FIELDS, TimeFeatures } from '../../../../src/core/ml/transformers/timeFeatures';
import { dataset, tempFile } from '../../../support/paths';
import { python } from '../../../support/python';

const PANDAS = `
import json, sys
import numpy as np
import pandas as pd
a = json.load(sys.stdin)
t = pd.to_datetime(pd.read_csv(a['file'])[a['column']])
d = t.dt
cols = {'year': d.year, 'month': d.month, 'day': d.day, 'dayofweek': d.dayofweek, 'weekend': (d.dayofweek >= 5).astype(float).where(t.notna()),
        'hour': d.hour, 'minute': d.minute, 'dayofyear': d.dayofyear}
for name, period in [('month', 12), ('dayofweek', 7), ('hour', 24)]:
    cols[name + '_sin'] = np.sin(2 * np.pi * cols[name] / period)
    cols[name + '_cos'] = np.cos(2 * np.pi * cols[name] / period)
print(json.dumps({k: [None if pd.isna(v) else float(v) for v in cols[k]] for k in a['fields']}))
`;

describe('time features', () => {
  async function compare(file: string, column: string) {
    const frame = await loadCsv(file);
    const step = new TimeFeatures({ column }).fit(frame);
    const out = step.transform(frame);
    const ref = python<Record<string, (number | null)[]>>(PANDAS, { file, column, fields: TIME_FIELDS });
    for (const f of TIME_FIELDS) {
      const ours = (out.columns.find((c) => c.name === `${column}_${f}`) as NumericColumn).values;
      ref[f].forEach((v, i) => {
        if (v === null) assert.ok(Number.isNaN(ours[i]), `${f} row ${i}: ours ${ours[i]}, pandas missing`);
        else assert.ok(Math.abs(ours[i] - v) <= 1e-12, `${f} row ${i}: ours ${ours[i]}, pandas ${v}`);
      });
    }
    return { frame, step };
  }

  it('every field equals pandas\' dt accessors, before 1970, on leap days and year ends, with a missing time', async () => {
    const file = tempFile('times.csv', ['t,y', '1969-12-31 23:59:00,1', '1900-02-28 06:30:00,0', '2000-02-29 12:00:00,1', '2024-12-31 18:45:00,0', ',1',
      '2023-01-01 00:00:00,0', '2021-03-14 01:59:00,1', '1970-01-01 00:00:00,0', '2100-03-01 23:00:00,1'].join('\n') + '\n');
    const { step } = await compare(file, 't');
    assert.deepEqual(step.outputNames().slice(0, 3), ['t_year', 't_month', 't_day']);
  });

  it('on seattle_weather\'s dates, as pandas gives them', async () => {
    await compare(dataset('vega_seattle_weather.csv'), 'date');
  });

  it('a column that is not dates is named', async () => {
    const frame = await loadCsv(dataset('vega_seattle_weather.csv'));
    assert.throws(() => new TimeFeatures({ column: 'weather' }).fit(frame), /column "weather" holds categorical values; time features need dates or times/);
    assert.throws(() => new TimeFeatures({ column: 'date', features: ['week'] as never }).checkParams(), /features must be a list of distinct fields from year, month/);
  });
});
