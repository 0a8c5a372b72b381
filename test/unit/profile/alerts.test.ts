// Every alert fires on a small frame built to trigger it, and not on a clean one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { profileCsv } from '../../../src/core/jobs/profileCsv';
import type { AlertKind } from '../../../src/core/profile/types';
import { loadCsv } from '../../../src/core/csv/load';
import { FeaturePipeline } from '../../../src/core/ml/transformers/pipeline';
import { dataset, tempFile } from '../../support/paths';

function csvWith(rows: number): string {
  const lines = ['id,constant,category,skewed,mostly_missing,empty,zeros,x,x_copy,inf,target'];
  for (let i = 0; i < rows; i++) {
    const skewed = i === 0 ? 1e9 : (i % 5);
    lines.push([i, 'same', `c${i % 60}`, skewed, i % 3 === 0 ? i : '', '', i % 4 === 0 ? 0 : i, i, 2 * i + 1, i === 7 ? 'inf' : i, i % 10 === 0 ? 'rare' : 'common'].join(','));
  }
  lines.push(lines[lines.length - 1]); // one duplicate row
  return lines.join('\n') + '\n';
}

describe('alerts', () => {
  it('each kind fires where it should, naming its columns', async () => {
    const file = tempFile('alerts.csv', csvWith(500));
    try {
      const p = await profileCsv(file, { target: 'target' });
      const by = (k: AlertKind) => p.alerts.filter((a) => a.kind === k).map((a) => a.columns.join('+'));
      assert.deepEqual(by('constant'), ['constant']);
      assert.deepEqual(by('high-cardinality'), ['category']);
      assert.deepEqual(by('skewed'), ['skewed']);
      assert.deepEqual(by('many-missing'), ['mostly_missing']);
      assert.deepEqual(by('all-missing'), ['empty']);
      assert.ok(by('many-zeros').includes('zeros'), by('many-zeros').join());
      assert.ok(by('high-correlation').includes('x+x_copy'), by('high-correlation').join());
      assert.deepEqual(by('infinite-values'), ['inf']);
      assert.deepEqual(by('imbalanced-target'), ['target']);
      assert.deepEqual(by('duplicate-rows'), ['']);
      assert.equal(p.duplicateRows, 1);
      const id = p.columns.find((c) => c.name === 'id')!;
      assert.equal(id.idLike, false, 'one repeated id (the duplicate row) means not unique');
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true });
    }
  });

  it('an ID column is flagged unique and ID-like', async () => {
    const p = await profileCsv(dataset('mpls_stops.csv'));
    const id = p.columns.find((c) => c.name === 'idNum')!;
    assert.equal(id.idLike, true);
    assert.ok(p.alerts.some((a) => a.kind === 'unique' && a.columns[0] === 'idNum'));
  });

  it('alerts suggest a feature step (log1p, target encoding, time features) or a column to drop, and each step runs', async () => {
    const file = tempFile('alerts.csv', csvWith(500));
    const p = await profileCsv(file, { target: 'target' });
    const suggestion = (k: AlertKind) => p.alerts.find((a) => a.kind === k)?.suggestion;
    assert.deepEqual(suggestion('skewed'), { text: 'log1p(skewed) as a feature', step: { type: 'formula', name: 'skewed_log1p', expression: 'log1p(`skewed`)' } });
    assert.deepEqual(suggestion('high-cardinality')?.step, { type: 'targetEncode', columns: ['category'] });
    const mpls = await profileCsv(dataset('mpls_stops.csv'));
    assert.deepEqual(mpls.alerts.find((a) => a.kind === 'unique' && a.columns[0] === 'idNum')?.suggestion?.drop, 'idNum');
    const weather = await profileCsv(dataset('vega_seattle_weather.csv'));
    assert.deepEqual(weather.alerts.find((a) => a.kind === 'datetime')?.suggestion?.step, { type: 'timeFeatures', column: 'date' });
    // The suggested steps are steps: they run on the file they were suggested for.
    const frame = await loadCsv(file);
    const steps = [suggestion('skewed')!.step!];
    const out = FeaturePipeline.fromSpec(steps).fitTransform(frame, Int32Array.from({ length: frame.rows }, (_, i) => i));
    assert.equal(out.columns.at(-1)!.name, 'skewed_log1p');
  });

  it('a clean dataset raises none of the data-quality alerts', async () => {
    const p = await profileCsv(dataset('sklearn_iris.csv'));
    const kinds = new Set(p.alerts.map((a) => a.kind));
    for (const k of ['constant', 'many-missing', 'all-missing', 'unique', 'infinite-values', 'skewed'] as AlertKind[]) assert.ok(!kinds.has(k), k);
  });
});
