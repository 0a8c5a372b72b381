// One polars run for bench:profile, a whole process as ours is (nodejs-polars 0.26). The anchor the
// performance issue names: read_csv (dates parsed) + describe + the Pearson matrix of the numeric
// columns (`seconds`). Then what else our panel shows, distinct counts and the commonest values of
// the strings (`panelSeconds`, the two together). Prints both and the max RSS.
import pl from 'nodejs-polars';

const file = process.argv[2];
const t0 = performance.now();
const df = pl.readCSV(file, { tryParseDates: true });
const described = df.describe();
const numeric = df.columns.filter((c) => df.getColumn(c).isNumeric());
const corr = numeric.map((a) => numeric.map((b) => df.select(pl.pearsonCorr(a, b).alias('r')).getColumn('r').get(0)));
const t1 = performance.now();
const distinct = Object.fromEntries(df.columns.map((c) => [c, df.getColumn(c).nUnique()]));
const top = Object.fromEntries(df.columns.filter((c) => df.getColumn(c).dtype.equals(pl.String)).map((c) => [c, df.getColumn(c).valueCounts(true).head(5).getColumn(c).toArray()]));
const t2 = performance.now();
process.stdout.write(JSON.stringify({ seconds: (t1 - t0) / 1000, panelSeconds: (t2 - t0) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, rows: df.height, described: described.height, distinct, top: Object.keys(top), corr, numeric }) + '\n');
