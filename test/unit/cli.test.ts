// mlw as a user runs it: the built dist/cli.js in a child process.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { dataset, FIXTURES, ROOT } from './paths';

const cli = path.join(ROOT, 'dist', 'cli.js');
const mlw = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('mlw profile', () => {
  it('prints a readable summary', () => {
    const r = mlw('profile', dataset('titanic_survival.csv'), '--target', 'survived');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /1309 rows × 5 columns/);
    assert.match(r.stdout, /age\s+1046\s+263\s+29\.8811/);
    assert.match(r.stdout, /target survived: classification/);
    assert.match(r.stdout, /no: 809, yes: 500/);
  });

  it('--json gives the panel data with the documented keys', () => {
    const r = mlw('profile', dataset('penguins.csv'), '--target', 'species', '--json');
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout);
    assert.equal(p.rows, 344);
    for (const k of ['rows', 'columns', 'alerts', 'correlations']) assert.ok(k in p, k);
    const bill = p.columns.find((c: { name: string }) => c.name === 'bill_length_mm');
    for (const k of ['name', 'type', 'missing', 'distinct', 'mean', 'std', 'min', 'q25', 'median', 'q75', 'max']) assert.ok(k in bill, k);
    assert.equal(bill.missing, 2);
    assert.equal(p.target.task, 'classification');
    assert.deepEqual(p.target.classes.map((c: { value: string }) => c.value), ['Adelie', 'Gentoo', 'Chinstrap']);
    assert.ok(p.target.boxplots.length >= 4);
  });

  it('fails with one line naming the file on bad input', () => {
    const f = path.join(FIXTURES, 'malformed', 'ragged-short-row.csv');
    const r = mlw('profile', f);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`^mlw: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, line 4: `));
  });

  it('names the columns when the target is wrong', () => {
    const r = mlw('profile', dataset('sklearn_iris.csv'), '--target', 'species');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no column named "species" to use as target \(columns: sepal length \(cm\), .*target\)/);
  });

  it('usage errors exit 2', () => {
    assert.equal(mlw('profile').status, 2);
    assert.equal(mlw('frobnicate').status, 2);
    assert.equal(mlw('profile', 'x.csv', '--bogus').status, 2);
    assert.equal(mlw('--help').status, 0);
  });
});
