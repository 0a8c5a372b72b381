// One DuckDB run for bench:profile, a whole process as ours is: SUMMARIZE of the CSV read by
// read_csv_auto (min, max, approximate distinct count, mean, std, approximate quartiles, null
// share per column). Prints the seconds and the max RSS.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const t0 = performance.now();
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const reader = await con.runAndReadAll(`SUMMARIZE SELECT * FROM read_csv_auto('${file.replace(/'/g, "''")}')`);
const rows = reader.getRowObjects();
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, columns: rows.length }, (_, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n');
