// Worker thread for profileCsv: it reads a byte range of the CSV first (as csvWorker does), then
// takes the profile's worker share (parallelProfile.ts) on the same thread, which saves starting a
// thread while the other reads (65 ms of CPU and 12 MB of fresh memory here). profileFrameParallel
// alone starts it for the profile's share only.
//
// Between the two jobs, while the other thread merges the ranges (25 ms on flights_3m), this one
// touches the pages of the duplicate-row count's array of pairs (RangeJob.prepareScratch), which
// that count would otherwise fault in itself first (24 MB, about 80 ms here): the same work, done
// while the thread would wait.
import { serveRequest } from '../threads';
import { rangeTransfer, readRange, RangeJob, RangeResult } from '../csv/fastPath';
import { workerShare, WorkerJob, WorkerResult } from './parallelProfile';

let zeros: Int32Array | undefined;

serveRequest<RangeJob | WorkerJob, RangeResult | WorkerResult, number>(
  (job, emit) => {
    if ('tasks' in job) {
      const given = zeros;
      zeros = undefined;
      return workerShare(job, given);
    }
    const result = readRange(job, emit);
    const n = job.prepareScratch;
    // After the result is sent (serveRequest posts it before this runs). The estimate of the rows
    // is close (see estimateLines): 2% more room, and the last 4% left untouched, so that no page
    // is touched for nothing.
    if (n) setImmediate(() => {
      zeros = new Int32Array(Math.ceil(n * 1.02));
      zeros.fill(0, 0, Math.floor(n * 0.96));
    });
    return result;
  },
  (result) => ('lines' in result ? rangeTransfer(result) : []),
);
