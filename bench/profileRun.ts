// One timed load + profile of a CSV in this process; prints JSON. bench/profile.mjs runs it in a
// fresh process per run, so that each run starts cold as a user's would. With `product` after the
// file: profileCsv as the panel and the CLI call it, which reads a file too large for the memory
// budget in chunks (the ten-times file's row of bench:profile).
import { profileCsv } from '../src/core/jobs/profileCsv';
import { loadCsv } from '../src/core/csv/load';
import { profileFrameParallel } from '../src/core/profile/parallelProfile';

(async () => {
  const file = process.argv[2];
  if (process.argv[3] === 'product') {
    const t = performance.now();
    const p = await profileCsv(file);
    const seconds = (performance.now() - t) / 1000;
    const estimates = p.columns.filter((c) => c.distinctError !== undefined || c.quantiles?.method === 'sketch' || c.topMaxUndercount !== undefined).map((c) => c.name);
    process.stdout.write(JSON.stringify({ rows: p.rows, totalS: seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, bounded: p.bounded, duplicateRows: p.duplicateRows, duplicatesEstimated: p.duplicateRowsError !== undefined, estimates, correlations: p.correlations }) + '\n');
    return;
  }
  const t0 = performance.now();
  const frame = await loadCsv(file);
  const t1 = performance.now();
  const profile = await profileFrameParallel(frame);
  const t2 = performance.now();
  const out = {
    rows: profile.rows,
    loadS: (t1 - t0) / 1000,
    profileS: (t2 - t1) / 1000,
    totalS: (t2 - t0) / 1000,
    path: frame.info.path,
    threads: frame.info.threads,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    correlations: profile.correlations,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
})();
