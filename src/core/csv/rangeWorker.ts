// Worker thread: parses one byte range of a CSV file on the fast path (see fastPath.ts).
import { parentPort } from 'node:worker_threads';
import { parseRange, RangeJob } from './fastPath';

parentPort!.on('message', (job: RangeJob) => {
  try {
    let pending = 0;
    const result = parseRange(job, (bytes) => {
      pending += bytes;
      if (pending >= 8 << 20) {
        parentPort!.postMessage({ type: 'progress', bytes: pending });
        pending = 0;
      }
    });
    const transfer: ArrayBuffer[] = [];
    for (const c of result.columns) {
      const arr = c.values ?? c.codes;
      if (arr && !(arr.buffer instanceof SharedArrayBuffer)) transfer.push(arr.buffer as ArrayBuffer);
    }
    parentPort!.postMessage({ type: 'progress', bytes: pending });
    parentPort!.postMessage({ type: 'done', result }, transfer);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
});
