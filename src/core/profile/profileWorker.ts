// Worker thread for parallelProfile.ts: duplicate rows, correlations and some columns' statistics.
import { serveRequest } from '../threads';
import { duplicateRows } from './distinct';
import type { WorkerJob, WorkerResult } from './parallelProfile';
import { numericCorrelations, profileColumn } from './profile';

serveRequest<WorkerJob, WorkerResult>((job) => {
  const scratch = new Float64Array(Math.min(job.rows, job.exactQuantileLimit));
  const columns = job.profileColumns.map((i): [number, ReturnType<typeof profileColumn>] =>
    [i, profileColumn(job.columns[i], job.rows, job.exactQuantileLimit, job.topValues, job.sketchSize, scratch)]);
  return { duplicateRows: duplicateRows(job.columns, job.rows), correlations: job.correlations ? numericCorrelations({ columns: job.columns }) : undefined, columns };
});
