// Worker thread: fits one candidate on one fold's training rows and scores it on the fold's test
// rows. X and y arrive in SharedArrayBuffers, so tasks carry only indices and parameters.
import { parentPort } from 'node:worker_threads';
import { take, takeRows } from './matrix';
import { createEstimator } from './registry';
import { score, Scoring } from './scoring';

export interface CvTask {
  type: string;
  params: Record<string, unknown>;
  rows: number;
  cols: number;
  X: SharedArrayBuffer;
  y: SharedArrayBuffer;
  yKind: 'class' | 'value';
  train: Int32Array;
  test: Int32Array;
  scoring: Scoring;
}

export interface CvResult {
  score: number;
  fitSeconds: number;
}

parentPort!.on('message', async (t: CvTask) => {
  try {
    const X = { rows: t.rows, cols: t.cols, data: new Float64Array(t.X) };
    const y = t.yKind === 'class' ? new Int32Array(t.y) : new Float64Array(t.y);
    // Parallelism is across tasks here: a forest inside grows on this thread.
    const params = 'nJobs' in createEstimator(t.type).getParams() ? { ...t.params, nJobs: 1 } : t.params;
    const model = createEstimator(t.type, params);
    const t0 = performance.now();
    await model.fit(takeRows(X, t.train), take(y, t.train));
    const fitSeconds = (performance.now() - t0) / 1000;
    const result: CvResult = { score: score(t.scoring, model, takeRows(X, t.test), take(y, t.test)), fitSeconds };
    parentPort!.postMessage({ result });
  } catch (e) {
    parentPort!.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
});
