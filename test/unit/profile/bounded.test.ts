// The profile in bounded memory (src/core/profile/bounded.ts) against the in-memory profile of the
// same file: while its state fits the budget every figure is the in-memory one; past the budget each
// sketched figure lies within the error the profile states for it, and the profile says which.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { profileCsv } from '../../../src/core/jobs/profileCsv';
import { profileCsvBounded } from '../../../src/core/profile/bounded';
import type { Profile } from '../../../src/core/profile/types';
import { dataset, ROOT, tempFile } from '../../support/paths';

const close = (a: number | undefined, b: number | undefined, rel: number, what: string) => {
  if (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
};

/** Every figure of two profiles equal; floating sums (merged per chunk) to 1e-11 relative. */
function assertSameProfile(chunked: Profile, whole: Profile): void {
  for (const k of ['rows', 'columnsCount', 'duplicateRows', 'missingCells', 'typeCounts', 'warnings'] as const) assert.deepEqual(chunked[k], whole[k], k);
  whole.columns.forEach((w, i) => {
    const c = chunked.columns[i];
    for (const k of ['name', 'type', 'dtype', 'count', 'missing', 'distinct', 'idLike', 'min', 'q25', 'median', 'q75', 'max', 'zeros', 'infinite', 'quantiles', 'histogram', 'top', 'minDate', 'maxDate'] as const) {
      assert.deepEqual(c[k], w[k], `${w.name}.${k}`);
    }
    for (const k of ['mean', 'std', 'skewness'] as const) close(c[k], w[k], 1e-11, `${w.name}.${k}`);
    assert.equal(c.distinctError, undefined);
    assert.equal(c.topMaxUndercount, undefined);
  });
  const cells = (m: { values: (number | null)[][] }) => m.values.flat();
  assert.deepEqual(chunked.correlations.columns, whole.correlations.columns);
  cells(chunked.correlations).forEach((v, i) => close(v ?? NaN, cells(whole.correlations)[i] ?? NaN, 1e-11, `correlation ${i}`));
  assert.deepEqual(chunked.associations.columns, whole.associations.columns);
  cells(chunked.associations).forEach((v, i) => close(v ?? NaN, cells(whole.associations)[i] ?? NaN, 1e-11, `association ${i}`));
  assert.equal(chunked.associations.sampleRows, undefined);
  assert.deepEqual(chunked.alerts, whole.alerts);
  assert.equal(chunked.duplicateRowsError, undefined);
}

describe('profile in bounded memory', function () {
  this.timeout(120_000);

  for (const [name, target, chunk, chunks, chunkBytes, forceGeneralPath] of [
    ['mpls_stops.csv', 'problem', 'quoted fields on the general path: papaparse hands its rows over after each 500', 6, 4096, true],
    ['mpls_stops.csv', 'problem', 'every string quoted: the fast path reads 512 KB byte ranges on two threads', 6, 512 << 10, false],
    ['sklearn_wine.csv', 'target', 'no quotes: the fast path reads 4 KB byte ranges on two threads', 3, 4096, false],
    ['titanic_survival.csv', 'survived', 'quoted fields, a 0/1 target: 4 KB ranges', 10, 4096, false],
    ['vega_seattle_weather.csv', 'weather', 'dates, a string target, 4 KB ranges', 10, 4096, false],
  ] as const) {
    it(`${name} read in chunks (${chunk}) has the in-memory profile's figures, target ${target} included`, async () => {
      const file = dataset(name);
      const whole = await profileCsv(file, { target });
      const chunked = await profileCsvBounded(file, { target, memoryBudgetMB: 4096, chunkBytes, chunkRows: 500, forceGeneralPath });
      assert.ok(chunked.bounded!.chunks >= chunks, `read in ${chunked.bounded!.chunks} chunks`);
      assert.equal(chunked.bounded!.passes, 1, 'the values fit the budget: no second read');
      assertSameProfile(chunked, whole);
      const t = chunked.target!, w = whole.target!;
      assert.deepEqual(t.classes, w.classes);
      close(t.imbalance, w.imbalance, 1e-12, 'imbalance');
      assert.deepEqual(t.boxplots, w.boxplots);
      assert.deepEqual(t.rates, w.rates);
      assert.equal(t.sampleRows, undefined);
    });
  }

  it('past its budget each sketched figure of mpls_stops lies within the error the profile states, and says it is an estimate; the rest stays exact', async () => {
    const file = dataset('mpls_stops.csv');
    const whole = await profileCsv(file, { target: 'problem' });
    const p = await profileCsvBounded(file, { target: 'problem', memoryBudgetMB: 1, chunkRows: 5000 });
    assert.equal(p.bounded!.passes, 2, 'histograms need a second read once the values are not kept');
    const byName = (prof: Profile, n: string) => prof.columns.find((c) => c.name === n)!;
    let sketched = 0;
    for (const w of whole.columns) {
      const c = byName(p, w.name);
      for (const k of ['count', 'missing', 'min', 'max', 'histogram', 'zeros', 'type'] as const) assert.deepEqual(c[k], w[k], `${w.name}.${k}`);
      for (const k of ['mean', 'std', 'skewness'] as const) close(c[k], w[k], 1e-11, `${w.name}.${k}`);
      if (c.distinctError !== undefined) {
        sketched++;
        // 4 standard errors: a miss has odds below 1 in 15,000.
        assert.ok(Math.abs(c.distinct - w.distinct) <= 4 * c.distinctError * w.distinct, `${w.name} distinct ${c.distinct} vs ${w.distinct}`);
      } else assert.equal(c.distinct, w.distinct, `${w.name}.distinct`);
      if (c.quantiles?.method === 'sketch') {
        sketched++;
        // The estimate's rank among the true values is within rankError of each quantile's rank.
        const { values } = await columnValues(file, w.name);
        for (const [q, v] of [[0.25, c.q25], [0.5, c.median], [0.75, c.q75]] as const) {
          const below = values.filter((x) => x < v!).length / values.length, atOrBelow = values.filter((x) => x <= v!).length / values.length;
          assert.ok(below - c.quantiles.rankError! <= q && q <= atOrBelow + c.quantiles.rankError!, `${w.name} q${q}: ${v} ranks ${below}..${atOrBelow}`);
        }
      }
      if (c.topMaxUndercount !== undefined) {
        sketched++;
        for (const t of c.top!) {
          const truth = w.top!.find((x) => x.value === t.value)?.count ?? (await countOf(file, w.name, t.value));
          assert.ok(t.count <= truth && truth - t.count <= c.topMaxUndercount, `${w.name} "${t.value}" ${t.count} vs ${truth}`);
        }
      } else if (c.top) assert.deepEqual(c.top, w.top, `${w.name}.top`);
    }
    assert.ok(sketched >= 3, `figures sketched: ${sketched}`);
    assert.deepEqual(p.target!.classes, whole.target!.classes, 'class counts stay exact');
    assert.ok(p.target!.sampleRows! < p.rows && p.associations.sampleRows === p.target!.sampleRows);
    p.correlations.values.flat().forEach((v, i) => close(v ?? NaN, whole.correlations.values.flat()[i] ?? NaN, 1e-11, `correlation ${i}`));
  });

  it('whole numbers and datetimes on a grid stay exact past the budget for values: quartiles, distinct counts and histograms from a count per value, in one read', async () => {
    const lines = ['n,minute,second,x'];
    const t0 = Date.UTC(2024, 2, 1);
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    for (let i = 0; i < 200_000; i++) {
      const r = (i * 2654435761) % 4294967296 / 4294967296;
      lines.push(`${Math.floor(r * 2000) - 700},${iso(t0 + Math.floor(r * 2880) * 60_000).slice(0, 16)},${iso(t0 + Math.floor((r * 7919) % 1 * 3000) * 1000)},${i % 3}`);
    }
    const file = tempFile('grid.csv', lines.join('\n') + '\n');
    const whole = await profileCsv(file);
    // 2 MB: room for about 5,000 kept values a column (of 200,000) and 3,600 grid points.
    const p = await profileCsvBounded(file, { memoryBudgetMB: 2, chunkBytes: 256 << 10 });
    assert.equal(p.bounded!.passes, 1, 'no second read: every numeric column is counted on its grid');
    for (const name of ['n', 'minute', 'second']) {
      const c = p.columns.find((x) => x.name === name)!, w = whole.columns.find((x) => x.name === name)!;
      assert.deepEqual(c.quantiles, { method: 'exact' }, name);
      for (const k of ['type', 'count', 'distinct', 'min', 'q25', 'median', 'q75', 'max', 'histogram'] as const) assert.deepEqual(c[k], w[k], `${name}.${k}`);
      assert.equal(c.distinctError, undefined, name);
    }
  });

  it('duplicate rows past the budget are estimated within the stated error of the distinct rows', async () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 120_000; i++) lines.push(`${i % 45_000},${(i % 45_000) * 0.5},k${(i % 45_000) % 7}`);
    const file = tempFile('dups.csv', lines.join('\n') + '\n');
    const whole = await profileCsv(file);
    const p = await profileCsvBounded(file, { memoryBudgetMB: 0.1, chunkBytes: 64 << 10 });
    assert.equal(whole.duplicateRows, 75_000);
    assert.ok(p.duplicateRowsError! > 0);
    const distinct = p.rows - whole.duplicateRows;
    assert.ok(Math.abs(p.duplicateRows - whole.duplicateRows) <= 4 * p.duplicateRowsError! * distinct, `${p.duplicateRows} vs ${whole.duplicateRows}`);
  });

  it('columns that turn to text in later chunks, one after another, are widened and the file read again, as the in-memory reader does; a doubled quote past the head moves it to papaparse', async () => {
    const lines = ['n,s,q'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},${i % 3},${i === 40_000 ? '"x, y"' : i === 47_000 ? '"say ""hi"""' : i % 5}`);
    lines[45_000] = '44999,oops,1';
    const file = tempFile('widen.csv', lines.join('\n') + '\n');
    const whole = await profileCsv(file);
    const p = await profileCsvBounded(file, { memoryBudgetMB: 1024, chunkBytes: 16 << 10, chunkRows: 4000 });
    assert.deepEqual(p.columns.map((c) => c.type), whole.columns.map((c) => c.type));
    assert.deepEqual(p.columns.map((c) => c.type), ['numeric', 'categorical', 'categorical']);
    assertSameProfile(p, whole);
  });

  it('a ragged row deep in the file stops the chunked read with the message the in-memory reader gives, naming the line', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 30_000; i++) lines.push(i === 25_000 ? '1,2,3' : `${i},${i}`);
    const file = tempFile('ragged.csv', lines.join('\n') + '\n');
    const whole = await profileCsv(file).catch((e: Error) => e.message);
    const chunked = await profileCsvBounded(file, { memoryBudgetMB: 1024, chunkBytes: 8 << 10 }).catch((e: Error) => e.message);
    assert.match(String(whole), /line 25002/);
    assert.equal(chunked, whole);
  });

  it('mlw profile --memory-budget reads a file too large for it in chunks: the JSON through a pipe says so, exit 0', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'profile', dataset('mpls_stops.csv'), '--json', '--memory-budget', '64'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.equal(r.status, 0, r.stderr);
    const p = JSON.parse(r.stdout) as Profile;
    assert.equal(p.bounded!.budgetMB, 64);
    assert.equal(p.rows, 51_920);
    const text = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'profile', dataset('mpls_stops.csv'), '--memory-budget', '64'], { encoding: 'utf8' });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /^read in \d+ chunks?: its columns would not fit the 64 MB memory budget; figures marked ≈ are estimates/m);
    assert.match(text.stdout, /^idNum +categorical +51920 +0 +≈ 5\d{4} /m);
    assert.match(text.stdout, /^note: distinct values of idNum are a HyperLogLog estimate, ±0\.41% standard error$/m);
    const bad = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'profile', dataset('mpls_stops.csv'), '--memory-budget', 'lots'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--memory-budget is in MB/);
  });
});

/** A column's non-missing values, from the in-memory reader (the truth the sketches are held to). */
async function columnValues(file: string, name: string): Promise<{ values: number[] }> {
  const { loadCsv } = await import('../../../src/core/csv/load');
  const frame = await loadCsv(file);
  const col = frame.columns.find((c) => c.name === name)!;
  if (col.kind !== 'numeric' && col.kind !== 'datetime') throw new Error(`${name} is not numeric`);
  return { values: Array.from(col.values).filter((v) => v === v).sort((a, b) => a - b) };
}

async function countOf(file: string, name: string, value: string): Promise<number> {
  const { loadCsv } = await import('../../../src/core/csv/load');
  const frame = await loadCsv(file);
  const col = frame.columns.find((c) => c.name === name)!;
  if (col.kind !== 'categorical' && col.kind !== 'text') throw new Error(`${name} holds no strings`);
  const code = col.dictionary.indexOf(value);
  return col.codes.filter((c) => c === code).length;
}

