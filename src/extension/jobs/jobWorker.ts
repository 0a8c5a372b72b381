// Worker thread that runs heavy engine work off the extension host's thread.
import { parentPort } from 'node:worker_threads';
import { profileCsv } from '../../core/jobs/profileCsv';
import { CsvError } from '../../core/csv/errors';
import type { JobMessage, JobRequest } from './protocol';

const send = (m: JobMessage) => parentPort!.postMessage(m);

parentPort!.on('message', async (req: JobRequest) => {
  try {
    if (req.type === 'profile') {
      send({ type: 'progress', stage: 'Reading', fraction: 0 });
      let last = 0;
      const profile = await profileCsv(req.file, {
        ...req.options,
        onProgress: (f) => {
          if (f - last >= 0.05 || f === 1) {
            last = f;
            send({ type: 'progress', stage: 'Reading', fraction: f });
          }
        },
      });
      send({ type: 'result', result: { type: 'profile', profile } });
    }
  } catch (e) {
    send({ type: 'error', message: e instanceof Error ? e.message : String(e), code: e instanceof CsvError ? e.code : undefined });
  }
});
