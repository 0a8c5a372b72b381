// One process of `npm run bench:features` (ours): read flights_3m.csv, then the feature steps the
// issue names (time features of date; lags 1 and 7 and a 7-row rolling mean of delay, by origin in
// date order; the mean delay by origin), fitted on every row. Prints the times and a checksum of
// the new columns as JSON.
import { loadCsv } from '../src/core/csv/load';
import type { Frame, NumericColumn } from '../src/core/frame';
import { FeaturePipeline } from '../src/core/ml/transformers/pipeline';

export const STEPS = [
  { type: 'timeFeatures', column: 'date', features: ['year', 'month', 'day', 'dayofweek', 'hour', 'month_sin', 'month_cos'] },
  { type: 'lag', column: 'delay', lags: [1, 7], orderBy: 'date', groupBy: 'origin' },
  { type: 'rolling', column: 'delay', window: 7, stats: ['mean'], orderBy: 'date', groupBy: 'origin' },
  { type: 'aggregate', groupBy: 'origin', column: 'delay', stats: ['mean'] },
];

(async () => {
  const t0 = performance.now();
  const frame = await loadCsv(process.argv[2]);
  const t1 = performance.now();
  const pipeline = FeaturePipeline.fromSpec(STEPS);
  const all = new Int32Array(frame.rows);
  for (let i = 0; i < all.length; i++) all[i] = i;
  // Step by step, each step's time (the pipeline's fitTransform, unrolled).
  const steps: Record<string, number> = {};
  let out: Frame = frame;
  for (const step of pipeline.steps) {
    const s0 = performance.now();
    out = step.fitTransform(out, all);
    steps[step.type] = (performance.now() - s0) / 1000;
  }
  const t2 = performance.now();
  const added = out.columns.slice(frame.columns.length) as NumericColumn[];
  const sums: Record<string, number> = {};
  for (const c of added) {
    let s = 0;
    for (const v of c.values) if (v === v) s += v;
    sums[c.name] = s;
  }
  process.stdout.write(JSON.stringify({ loadS: (t1 - t0) / 1000, featuresS: (t2 - t1) / 1000, totalS: (t2 - t0) / 1000, steps, maxRssMB: process.resourceUsage().maxRSS / 1024, sums }) + '\n');
})();
