// One polars run for bench:profile, a whole process as ours is: nodejs-polars 0.26 reads the CSV
// (dates parsed), describes every column (count, nulls, mean, std, min, quartiles, max), counts
// distinct values and the most frequent of the strings, and computes the Pearson matrix of the
// numeric columns. Prints the seconds and the max RSS.
import pl from 'nodejs-polars';

const file = process.argv[2];
const t0 = performance.now();
const df = pl.readCSV(file, { tryParseDates: true });
const described = df.describe();
const numeric = df.columns.filter((c) => df.getColumn(c).isNumeric());
const distinct = Object.fromEntries(df.columns.map((c) => [c, df.getColumn(c).nUnique()]));
const top = Object.fromEntries(df.columns.filter((c) => df.getColumn(c).dtype.equals(pl.String)).map((c) => [c, df.getColumn(c).valueCounts(true).head(5).getColumn(c).toArray()]));
const corr = numeric.map((a) => numeric.map((b) => df.select(pl.pearsonCorr(a, b).alias('r')).getColumn('r').get(0)));
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, rows: df.height, described: described.height, distinct, top: Object.keys(top), corr, numeric }) + '\n');
