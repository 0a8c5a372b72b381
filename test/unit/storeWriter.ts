// A process that writes to a run as fast as it can until it is killed: metric points one step at a
// time and a large artifact rewritten over and over (mlflowStore.test.ts kills it mid-write).
import { MlflowStore } from '../../src/core/tracking/mlflowStore';

const [root, runId] = process.argv.slice(2);
const store = new MlflowStore(root);
const big = JSON.stringify({ values: Array.from({ length: 200_000 }, (_, i) => i * 0.5) });
for (let step = 0; ; step++) {
  store.logMetrics(runId, { step_metric: step / 10 }, step);
  store.writeArtifact(runId, 'big.json', big);
  if (step === 0) process.stdout.write('writing\n');
}
