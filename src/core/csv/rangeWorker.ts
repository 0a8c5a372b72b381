// Worker thread: parses one byte range of a CSV file on the fast path (see fastPath.ts), reporting
// the bytes read as it goes; the columns it built are transferred back, not copied.
import { serveRequest } from '../threads';
import { rangeTransfer, readRange } from './fastPath';

serveRequest(readRange, rangeTransfer);
