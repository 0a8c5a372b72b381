// The profile of files at the edges: many numeric columns (the correlation matrix is bounded and
// the strongest pairs of all are kept), very long values (abbreviated wherever shown), shares
// near 0 or 100% (never rounded to the bound), a one-column file (profiled, as pandas reads it).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { abbreviate, formatPercent } from '../../../src/core/format';
import { profileCsv } from '../../../src/core/jobs/profileCsv';
import { summarize } from '../../../src/core/profile/summary';
import { MAX_CORRELATION_COLUMNS } from '../../../src/core/profile/types';
import { dataset, FIXTURES, ROOT, tempFile } from '../../support/paths';

describe('profile bounds', function () {
  this.timeout(60_000);

  it('a share is never rounded to 0 or 100% when it is not (99.99% missing showed as "100.0%")', () => {
    assert.equal(formatPercent(99.99), '>99.9%');
    assert.equal(formatPercent(99.99, 2), '99.99%');
    assert.equal(formatPercent(99.999, 2), '>99.99%');
    assert.equal(formatPercent(0.001), '<0.1%');
    assert.equal(formatPercent(100), '100.0%');
    assert.equal(formatPercent(0), '0.0%');
    assert.equal(formatPercent(12.345), '12.3%');
  });

  it('a column missing on all rows but one: the alert and the summary say ">99.9%", not 100%', async () => {
    const rows = ['x,y'];
    for (let i = 0; i < 20_000; i++) rows.push(`${i},${i === 5 ? 1 : ''}`);
    const p = await profileCsv(tempFile('mostly_missing.csv', rows.join('\n') + '\n'));
    assert.match(p.alerts.find((a) => a.kind === 'many-missing')!.message, /^y has 19999 missing values \(>99\.9%\)$/);
    assert.match(summarize(p), /missing cells: 19999 \(50\.00%\)/, '49.9975% rounds to 50.00%: not a bound');
  });

  it(`more than ${MAX_CORRELATION_COLUMNS} numeric columns: the matrix holds the first ${MAX_CORRELATION_COLUMNS}, the strongest pairs come from all, and the profile says so`, async () => {
    const k = 400;
    const lines = [Array.from({ length: k }, (_, c) => `c${c}`).join(',')];
    for (let r = 0; r < 60; r++) {
      // c399 is c398 doubled plus one: the strongest pair, beyond the matrix's columns.
      const noise = (c: number) => Math.round((Math.sin(r * 12.9898 + c * 78.233) * 43758.5453 % 1) * 1000);
      lines.push(Array.from({ length: k }, (_, c) => (c === 399 ? 2 * noise(398) + 1 : noise(c))).join(','));
    }
    const p = await profileCsv(tempFile('wide.csv', lines.join('\n') + '\n'));
    assert.equal(p.correlations.numericColumns, k);
    assert.equal(p.correlations.columns.length, MAX_CORRELATION_COLUMNS);
    assert.equal(p.correlations.values.length, MAX_CORRELATION_COLUMNS);
    assert.ok(p.correlations.values.every((row) => row.length === MAX_CORRELATION_COLUMNS));
    assert.ok(p.correlations.strongest.length > 0 && p.correlations.strongest.length <= 100);
    const strongest = p.correlations.strongest;
    for (let i = 1; i < strongest.length; i++) assert.ok(Math.abs(strongest[i - 1].r) >= Math.abs(strongest[i].r), 'strongest first');
    assert.ok(strongest.some((s) => s.columns.join() === 'c398,c399' && Math.abs(s.r - 1) < 1e-12), JSON.stringify(strongest[0]));
    assert.ok(p.alerts.some((a) => a.kind === 'high-correlation' && a.columns.join() === 'c398,c399'), 'the alert covers pairs beyond the matrix');
    assert.ok(p.warnings.some((w) => /^correlations: 400 numeric columns; the matrix holds the first 100, and the 100 strongest pairs of all of them are listed$/.test(w)));
    assert.match(summarize(p), /strongest correlations \(of 400 numeric columns\)\n {2}c398 and c399: r = 1\.000/);
    assert.ok(JSON.stringify(p).length < 2_000_000, `${JSON.stringify(p).length} bytes of JSON`);
  });

  it('a field of 100,000 characters is abbreviated in the text summary, the top values and the alerts', async () => {
    const long = 'x'.repeat(100_000);
    const rows = ['a,label'];
    for (let i = 0; i < 50; i++) rows.push(`${i},${i < 45 ? long : 'short'}`);
    const p = await profileCsv(tempFile('long_value.csv', rows.join('\n') + '\n'), { target: 'label' });
    const text = summarize(p);
    assert.ok(text.length < 5000, `${text.length} characters`);
    assert.match(text, new RegExp(`${abbreviate(long, 40)} \\(45\\)`));
    assert.ok(p.alerts.every((a) => a.message.length < 400), 'alerts quote abbreviated values');
  });

  it('a one-column file is profiled with a warning; mlw train then says it needs a feature', async () => {
    const p = await profileCsv(path.join(FIXTURES, 'quirks', 'single-column.csv'));
    assert.equal(p.columnsCount, 1);
    assert.equal(p.rows, 3);
    assert.match(p.warnings[0], /^found a single column: /);
    const f = tempFile('labels_only.csv', ['y', ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 'yes' : 'no'))].join('\n') + '\n');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'train', f, '--target', 'y', '--store', path.join(path.dirname(f), 'mlruns')], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /labels_only\.csv: nothing to learn from: a model needs at least one feature column besides the target "y"/);
  });
});

describe('target by category', () => {
  it("each categorical feature's rows per class equal pandas' crosstab (survival by sex and by class)", async () => {
    const file = dataset('titanic_survival.csv');
    const p = await profileCsv(file, { target: 'survived' });
    const code = `
import sys, json, pandas as pd
d = pd.read_csv(sys.argv[1])
print(json.dumps({c: {str(k): {str(kk): int(vv) for kk, vv in v.items()} for k, v in pd.crosstab(d[c], d.survived).to_dict('index').items()} for c in ['sex', 'passengerClass']}))`;
    const py = spawnSync('/usr/bin/python3', ['-c', code, file], { encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const theirs = JSON.parse(py.stdout);
    const classes = p.target!.classes!.map((c) => c.value);
    for (const feature of ['sex', 'passengerClass']) {
      const ours = p.target!.rates!.find((r) => r.feature === feature)!;
      assert.ok(ours, feature);
      for (const cat of ours.categories) {
        classes.forEach((cls, i) => assert.equal(cat.counts[i], theirs[feature][cat.value][cls] ?? 0, `${feature}=${cat.value}, ${cls}`));
        assert.equal(cat.count, cat.counts.reduce((a, b) => a + b, 0));
      }
      assert.deepEqual(ours.categories.map((c) => c.value).sort(), Object.keys(theirs[feature]).sort());
    }
    assert.ok(!p.target!.rates!.some((r) => r.feature === 'name'), 'free text has no rates');
  });
});
