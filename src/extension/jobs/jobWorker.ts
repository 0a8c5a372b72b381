// Worker thread that runs heavy engine work off the extension host's thread: profiling, training,
// tuning, evaluation, batch prediction, drift checks, log monitoring and A/B reports. The host stops it by
// terminating the thread.
import { CsvError } from '../../core/csv/errors';
import { profileCsv } from '../../core/jobs/profileCsv';
import { abReportFiles } from '../../core/monitoring/abReport';
import { checkDrift } from '../../core/monitoring/check';
import { runMonitor } from '../../core/monitoring/monitorFiles';
import { exampleRow, scaffold } from '../../core/serving/scaffold';
import { exportOnnxFile } from '../../core/serving/onnx';
import { MlflowStore } from '../../core/tracking/mlflowStore';
import { previewFeatures } from '../../core/workflow/features';
import { evaluateCsv, predictCsv } from '../../core/workflow/predict';
import { prepareData, Progress, SessionHooks } from '../../core/workflow/session';
import { train } from '../../core/workflow/train';
import { tune } from '../../core/workflow/tune';
import { serveRequest, ThreadFailed } from '../../core/threads';
import type { JobNote, JobRequest, JobResult } from './protocol';

type Send = (n: JobNote) => void;

function describe(p: Progress): string {
  const parts = [p.model ? `${p.model.toUpperCase()}: ${p.stage}` : p.stage];
  if (p.epoch !== undefined) parts.push(`epoch ${p.epoch}${p.epochs ? ` of ${p.epochs}` : ''}`);
  else if (p.fold !== undefined && p.folds) parts.push(`${p.fold} of ${p.folds} fits`);
  return parts.join(', ');
}

function hooks(send: Send, sessionId: string, csv: SessionHooks['csv']): SessionHooks {
  return {
    sessionId,
    csv,
    onProgress: (p) => send({ type: 'progress', stage: describe(p), fraction: p.fraction, detail: p }),
    onEpoch: (model, runId, log) => send({ type: 'epoch', model, runId, log }),
    onRunChanged: (runId) => send({ type: 'runChanged', runId }),
  };
}

async function run(req: JobRequest, send: Send): Promise<JobResult> {
  switch (req.type) {
    case 'profile': {
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
      return { type: 'profile', profile };
    }
    case 'train':
      return { type: 'train', result: await train(req.spec, new MlflowStore(req.store), hooks(send, req.sessionId, req.csv)) };
    case 'check': {
      const { data, leakage } = await prepareData(req.spec, hooks(send, '', req.csv));
      return { type: 'check', leakage: leakage(), trainRows: data.trainRows.length, testRows: data.testRows.length };
    }
    case 'tune':
      return { type: 'tune', result: await tune(req.spec, new MlflowStore(req.store), hooks(send, req.sessionId, req.csv)) };
    case 'evaluate':
      send({ type: 'progress', stage: 'Scoring', fraction: 0 });
      return { type: 'evaluate', result: await evaluateCsv(req.bundle, req.file, { store: new MlflowStore(req.store), csv: req.csv, sessionId: req.sessionId }) };
    case 'features':
      send({ type: 'progress', stage: 'Engineering features', fraction: 0 });
      return { type: 'features', preview: await previewFeatures(req.file, req.steps, { target: req.target, csv: req.csv }) };
    case 'scaffold':
      send({ type: 'progress', stage: 'Writing the serving folder', fraction: 0 });
      // The worker runs from dist/, beside the cli.js that the node target copies.
      return { type: 'scaffold', result: await scaffold(req.bundle, { target: req.target, out: req.out, force: req.force, mlwDir: __dirname, sampleCsv: req.sampleCsv }) };
    case 'exportOnnx': {
      send({ type: 'progress', stage: 'Writing the ONNX graph', fraction: 0 });
      const exported = await exportOnnxFile(req.bundle, req.out, { replace: req.replace });
      return { type: 'exportOnnx', inputs: exported.inputs, bytes: exported.bytes.length };
    }
    case 'drift': {
      send({ type: 'progress', stage: 'Comparing columns', fraction: 0 });
      const { report, runId } = await checkDrift(req.reference, req.current, { store: req.store, csv: req.csv });
      return { type: 'drift', report, ...(runId ? { runId } : {}) };
    }
    case 'monitor': {
      send({ type: 'progress', stage: 'Reading the prediction log', fraction: 0 });
      const { report } = await runMonitor({ ...req.request, csv: req.csv });
      return { type: 'monitor', report };
    }
    case 'abReport': {
      send({ type: 'progress', stage: 'Reading the prediction log', fraction: 0 });
      return { type: 'abReport', report: await abReportFiles(req.log, req.labels, { csv: req.csv, ...(req.metric ? { metric: req.metric } : {}) }) };
    }
    case 'servingExample':
      return { type: 'servingExample', row: await exampleRow(req.bundle, req.csv) };
    case 'predict':
      send({ type: 'progress', stage: 'Predicting', fraction: 0 });
      return { type: 'predict', result: await predictCsv(req.bundle, req.file, req.out, { csv: req.csv }) };
  }
}

serveRequest<JobRequest, JobResult, JobNote>(async (req, send) => {
  try {
    return await run(req, send);
  } catch (e) {
    // A CSV error's code (a file the user must fix) crosses to the host's message.
    throw e instanceof CsvError ? new ThreadFailed(e.message, e.code) : e;
  }
});
