// Worker thread for profileCsv: it reads a byte range of the CSV first (as csvWorker does), then
// takes the profile's worker share (parallelProfile.ts) on the same thread, which saves starting a
// thread while the other reads (65 ms of CPU and 12 MB of fresh memory here). profileFrameParallel
// alone starts it for the profile's share only.
import { serveRequest } from '../threads';
import { rangeTransfer, readRange, RangeJob, RangeResult } from '../csv/fastPath';
import { workerShare, WorkerJob, WorkerResult } from './parallelProfile';

serveRequest<RangeJob | WorkerJob, RangeResult | WorkerResult, number>(
  (job, emit) => ('tasks' in job ? workerShare(job) : readRange(job, emit)),
  (result) => ('lines' in result ? rangeTransfer(result) : []),
);
