// Worker thread (see threads.ts, shareOut): fits one candidate on one fold's training rows and
// scores it on the fold's test rows. X and y arrive once per search in SharedArrayBuffers, so each
// item carries only indices and parameters.
import { serveItems } from '../threads';
import { take, takeRows } from './matrix';
import { createEstimator } from './registry';
import { score, Scoring } from './scoring';

/** What every fit of a search shares. */
export interface CvSetup {
  type: string;
  rows: number;
  cols: number;
  X: SharedArrayBuffer;
  y: SharedArrayBuffer;
  yKind: 'class' | 'value';
  scoring: Scoring;
}

/** One candidate on one fold. */
export interface CvFold {
  params: Record<string, unknown>;
  train: Int32Array;
  test: Int32Array;
}

export interface CvResult {
  score: number;
  fitSeconds: number;
}

serveItems<CvSetup, CvFold, CvResult>('cross-validation', async (s, f) => {
  const X = { rows: s.rows, cols: s.cols, data: new Float64Array(s.X) };
  const y = s.yKind === 'class' ? new Int32Array(s.y) : new Float64Array(s.y);
  // Parallelism is across fits here: a forest inside grows on this thread.
  const params = 'nJobs' in createEstimator(s.type).getParams() ? { ...f.params, nJobs: 1 } : f.params;
  const model = createEstimator(s.type, params);
  const t0 = performance.now();
  await model.fit(takeRows(X, f.train), take(y, f.train));
  const fitSeconds = (performance.now() - t0) / 1000;
  return { score: score(s.scoring, model, takeRows(X, f.test), take(y, f.test)), fitSeconds };
});
