// Worker thread: parses one byte range of a CSV file on the fast path (see fastPath.ts), reporting
// the bytes read as it goes; the columns it built are transferred back, not copied.
import { serveRequest } from '../threads';
import { parseRange, RangeJob, RangeResult } from './fastPath';

serveRequest<RangeJob, RangeResult, number>((job, emit) => {
  let pending = 0;
  const result = parseRange(job, (bytes) => {
    pending += bytes;
    if (pending >= 8 << 20) {
      emit(pending);
      pending = 0;
    }
  });
  emit(pending);
  return result;
}, (result) => {
  const transfer: ArrayBuffer[] = [];
  for (const c of result.columns) {
    const arr = c.values ?? c.codes;
    if (arr && !(arr.buffer instanceof SharedArrayBuffer)) transfer.push(arr.buffer as ArrayBuffer);
  }
  return transfer;
});
