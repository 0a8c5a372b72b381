// One timed load + profile of a CSV in this process; prints JSON. bench/profile.mjs runs it in a
// fresh process per run, so that each run starts cold as a user's would.
import { loadCsv } from '../src/core/csv/load';
import { profileFrameParallel } from '../src/core/profile/parallelProfile';

(async () => {
  const file = process.argv[2];
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
