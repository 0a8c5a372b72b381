// Worker thread for parallelProfile.ts: duplicate rows, then the shared tasks (correlations,
// numeric columns' statistics) that the calling thread has not taken yet.
import { serveRequest } from '../threads';
import { duplicateRows } from './distinct';
import { claimTasks, WorkerJob, WorkerResult } from './parallelProfile';

serveRequest<WorkerJob, WorkerResult>((job) => {
  const duplicates = duplicateRows(job.columns, job.rows);
  const claimed = claimTasks(job, new Float64Array(Math.min(job.rows, job.exactQuantileLimit)));
  return { duplicateRows: duplicates, correlations: claimed.correlations, columns: [...claimed.columns] };
});
