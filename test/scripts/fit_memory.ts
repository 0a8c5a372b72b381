// Fits one model in this process and prints, as JSON, the model's memory estimate for the fit
// (memory.ts) beside the peak memory the fit took: the process's peak RSS (workers included)
// above its RSS just before the fit. Run by test/unit/ml/memory.test.ts, one fresh process per
// model, so that one fit's garbage does not count against another's.
//   node dist/test/scripts/fitMemory.js <csv> <target> <type> '<params json>'
import { loadCsv } from '../../src/core/csv/load';
import { trainTestData } from '../../src/core/ml/dataset';
import { fitShape } from '../../src/core/ml/modelSelection';
import { createEstimator } from '../../src/core/ml/registry';

(async () => {
  const [csv, target, type, params] = process.argv.slice(2);
  const data = trainTestData(await loadCsv(csv), target, {});
  const model = createEstimator(type, JSON.parse(params ?? '{}'));
  const shape = fitShape(data.Xtrain, data.ytrain, model.task === 'classification');
  const estimate = model.fitMemory(shape).bytes;
  const before = process.memoryUsage().rss;
  const peakBefore = process.resourceUsage().maxRSS * 1024;
  await model.fit(data.Xtrain, data.ytrain);
  // Scored on the test rows too, as a session does (the estimates count the test rows' outputs).
  model.predict(data.Xtest);
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ type, shape, estimate, before, peakBefore, peak, used: peak - before }) + '\n');
  process.exit(0);
})().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});
