// npm run bench:profile: load + profile flights_3m.csv (3M rows, 97 MB unzipped into a temp
// folder) with our engine, with pandas (read_csv + describe(include='all') + corr(), through the
// shared reference script), with polars (nodejs-polars: read_csv, describe and the Pearson matrix,
// then distinct counts and top values too; bench/polarsProfile.mjs) and with DuckDB (SUMMARIZE;
// bench/duckdbProfile.mjs), each a whole process, in the same run on the same machine. Runs
// alternate between the four; medians are reported, with the ratios and each side's peak memory.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, ROOT, ROUNDS, SHARED, unzipFlights } from './flights.mjs';

console.log('unzipping flights_3m.csv.gz into a temp folder');
const { tmp, csv } = await unzipFlights();

const ours = [], pandas = [], rss = [], polars = [], duckdb = [];
let last, pandasCorr;
for (let round = 1; round <= ROUNDS; round++) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'benchProfile.js'), csv], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`our run failed: ${r.stderr}`);
  last = JSON.parse(r.stdout);
  ours.push(last.totalS);
  rss.push(last.maxRssMB);
  // The reference script times read_csv + describe + corr itself (median of its 3 repeats).
  const out = path.join(tmp, `pandas-${round}`);
  const p = spawnSync('/usr/bin/python3', [path.join(SHARED, 'reference', 'bench_sklearn.py'), 'eda'], { env: { ...process.env, DATASETS: tmp, OUT: out }, encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`pandas run failed (apt-get install python3-pandas python3-sklearn): ${p.stderr}`);
  const eda = JSON.parse(fs.readFileSync(path.join(out, 'eda.json'), 'utf8'));
  pandas.push(eda.total_s);
  pandasCorr = eda.corr;
  for (const [script, into] of [['polarsProfile.mjs', polars], ['duckdbProfile.mjs', duckdb]]) {
    const q = spawnSync(process.execPath, [path.join(ROOT, 'bench', script), csv], { encoding: 'utf8' });
    if (q.status !== 0) throw new Error(`${script} failed (npm ci installs nodejs-polars and @duckdb/node-api): ${q.stderr}`);
    into.push(JSON.parse(q.stdout));
  }
  console.log(`round ${round}: polars ${polars[polars.length - 1].seconds.toFixed(3)} s, with distinct counts and top values ${polars[polars.length - 1].panelSeconds.toFixed(3)} s (max RSS ${polars[polars.length - 1].maxRssMB.toFixed(0)} MB); DuckDB ${duckdb[duckdb.length - 1].seconds.toFixed(3)} s (max RSS ${duckdb[duckdb.length - 1].maxRssMB.toFixed(0)} MB)`);
  console.log(`round ${round}: ours ${last.totalS.toFixed(3)} s (load ${last.loadS.toFixed(3)} + profile ${last.profileS.toFixed(3)}, max RSS ${last.maxRssMB.toFixed(0)} MB); pandas ${eda.total_s.toFixed(3)} s`);
}
// Same numbers, not only the same speed: pandas' corr() (rounded to 6 decimals by the script).
const { columns, values } = last.correlations;
let worst = 0;
columns.forEach((a, i) => columns.forEach((b, j) => (worst = Math.max(worst, Math.abs(values[i][j] - pandasCorr[a][b])))));
if (worst > 5e-7) throw new Error(`correlations differ from pandas by ${worst}`);
const result = {
  file: 'flights_3m.csv', rows: last.rows, rounds: ROUNDS, cores: os.cpus().length,
  oursMedianS: median(ours), pandasMedianS: median(pandas), ratio: median(ours) / median(pandas),
  oursPeakRssMB: Math.max(...rss), oursRunsS: ours, pandasRunsS: pandas, corrMaxAbsDiffVsPandas: worst,
  polarsMedianS: median(polars.map((x) => x.seconds)), polarsPanelMedianS: median(polars.map((x) => x.panelSeconds)), ratioVsPolarsPanel: median(ours) / median(polars.map((x) => x.panelSeconds)), ratioVsPolars: median(ours) / median(polars.map((x) => x.seconds)), polarsPeakRssMB: Math.max(...polars.map((x) => x.maxRssMB)),
  duckdbMedianS: median(duckdb.map((x) => x.seconds)), ratioVsDuckdb: median(ours) / median(duckdb.map((x) => x.seconds)), duckdbPeakRssMB: Math.max(...duckdb.map((x) => x.maxRssMB)),
};
console.log(`\nmedian: ours ${result.oursMedianS.toFixed(3)} s, pandas ${result.pandasMedianS.toFixed(3)} s, ratio ${result.ratio.toFixed(2)} (target <= 0.25); our peak memory ${result.oursPeakRssMB.toFixed(0)} MB (target < 1024)`);
console.log(`polars read + describe + Pearson ${result.polarsMedianS.toFixed(3)} s (peak ${result.polarsPeakRssMB.toFixed(0)} MB): ours/polars ${result.ratioVsPolars.toFixed(2)} (target <= 1.0); with distinct counts and top values as the panel shows ${result.polarsPanelMedianS.toFixed(3)} s: ours/that ${result.ratioVsPolarsPanel.toFixed(2)}; DuckDB SUMMARIZE ${result.duckdbMedianS.toFixed(3)} s (peak ${result.duckdbPeakRssMB.toFixed(0)} MB): ours/DuckDB ${result.ratioVsDuckdb.toFixed(2)}`);

// Bounded memory: the file ten times over (968 MB), profiled as the panel does (profileCsv reads it
// in chunks, as its columns would not fit the 1 GB budget), against polars reading it whole.
if (process.env.BIG !== '0') {
  const big = path.join(tmp, 'flights_30m.csv');
  const text = fs.readFileSync(csv);
  const body = text.subarray(text.indexOf(10) + 1);
  const out = fs.openSync(big, 'w');
  fs.writeSync(out, text.subarray(0, text.indexOf(10) + 1));
  for (let i = 0; i < 10; i++) fs.writeSync(out, body);
  fs.closeSync(out);
  const bigRounds = Number(process.env.BIG_ROUNDS || 3);
  const oursBig = [], polarsBig = [];
  for (let round = 1; round <= bigRounds; round++) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'benchProfile.js'), big], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`our run on the ten-times file failed: ${r.stderr}`);
    oursBig.push(JSON.parse(r.stdout));
    const q = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'polarsProfile.mjs'), big], { encoding: 'utf8' });
    if (q.status !== 0) throw new Error(`polars on the ten-times file failed: ${q.stderr}`);
    polarsBig.push(JSON.parse(q.stdout));
    const o = oursBig[oursBig.length - 1], p = polarsBig[polarsBig.length - 1];
    console.log(`ten-times file, round ${round}: ours ${o.totalS.toFixed(2)} s, max RSS ${o.maxRssMB.toFixed(0)} MB (${o.bounded ? `${o.bounded.chunks} chunks, ${o.bounded.passes} passes` : 'in memory'}; estimated: ${o.estimates.join(', ') || 'none'}${o.duplicatesEstimated ? ', duplicate rows' : ''}); polars read + describe + Pearson ${p.seconds.toFixed(2)} s, with the panel's extras ${p.panelSeconds.toFixed(2)} s, max RSS ${p.maxRssMB.toFixed(0)} MB`);
  }
  Object.assign(result, {
    bigFileMB: fs.statSync(big).size / (1 << 20), bigRows: oursBig[0].rows,
    bigOursMedianS: median(oursBig.map((x) => x.totalS)), bigOursPeakRssMB: Math.max(...oursBig.map((x) => x.maxRssMB)),
    bigPolarsPanelMedianS: median(polarsBig.map((x) => x.panelSeconds)), bigPolarsPeakRssMB: Math.max(...polarsBig.map((x) => x.maxRssMB)),
    bigEstimated: oursBig[0].estimates, bigDuplicatesEstimated: oursBig[0].duplicatesEstimated,
  });
  console.log(`ten-times file (${result.bigFileMB.toFixed(0)} MB): ours ${result.bigOursMedianS.toFixed(2)} s at peak ${result.bigOursPeakRssMB.toFixed(0)} MB (target < 1024 MB); polars ${result.bigPolarsPanelMedianS.toFixed(2)} s at peak ${result.bigPolarsPeakRssMB.toFixed(0)} MB`);
}
fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'profile.json'), JSON.stringify(result, null, 2));
fs.rmSync(tmp, { recursive: true, force: true });
