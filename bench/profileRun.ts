// One timed profile of a CSV in this process, as the panel and the CLI run it (profileCsv: read,
// then profile, or read in chunks when the file would not fit the memory budget); prints JSON.
// bench/profile.mjs runs it in a fresh process per run, so that each run starts cold as a user's would.
import { profileCsv } from '../src/core/jobs/profileCsv';

(async () => {
  const file = process.argv[2];
  const t = performance.now();
  const p = await profileCsv(file);
  const totalS = (performance.now() - t) / 1000;
  const estimates = p.columns.filter((c) => c.distinctError !== undefined || c.quantiles?.method === 'sketch' || c.topMaxUndercount !== undefined).map((c) => c.name);
  process.stdout.write(JSON.stringify({
    rows: p.rows, totalS, loadS: p.timings.loadMs / 1000, profileS: p.timings.profileMs / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024,
    bounded: p.bounded, duplicateRows: p.duplicateRows, duplicatesEstimated: p.duplicateRowsError !== undefined, estimates, correlations: p.correlations,
  }) + '\n');
})();
