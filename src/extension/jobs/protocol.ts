// Messages between the extension host and its job worker thread.
import type { CsvOptions } from '../../core/csv/options';
import type { ProfileCsvOptions } from '../../core/jobs/profileCsv';
import type { AbMetric, AbReport } from '../../core/monitoring/abReport';
import type { DriftReport } from '../../core/monitoring/drift';
import type { MonitorReport } from '../../core/monitoring/monitor';
import type { MonitorRequest } from '../../core/monitoring/monitorFiles';
import type { LeakageAlert } from '../../core/ml/leakage';
import type { EpochLog } from '../../core/ml/models/mlp/mlp';
import type { Profile } from '../../core/profile/types';
import type { ScaffoldResult, ScaffoldTarget } from '../../core/serving/scaffold';
import type { FeaturesPreview } from '../../core/workflow/features';
import type { EvaluateResult, PredictResult } from '../../core/workflow/predict';
import type { TrainSpec, TuneSpec } from '../../core/workflow/spec';
import type { Progress } from '../../core/workflow/session';
import type { TrainResult } from '../../core/workflow/train';
import type { TuneResult } from '../../core/workflow/tune';

type Csv = Omit<CsvOptions, 'signal' | 'onProgress'>;

export type JobRequest =
  | { type: 'profile'; file: string; options: Omit<ProfileCsvOptions, 'signal' | 'onProgress'> }
  | { type: 'train'; spec: TrainSpec; store: string; sessionId: string; csv: Csv }
  /** The leakage checks of a train spec, before it runs (the quick picks' summary). */
  | { type: 'check'; spec: TrainSpec; csv: Csv }
  | { type: 'tune'; spec: TuneSpec; store: string; sessionId: string; csv: Csv }
  | { type: 'evaluate'; bundle: string; file: string; store: string; sessionId: string; csv: Csv }
  | { type: 'predict'; bundle: string; file: string; out: string; csv: Csv }
  | { type: 'features'; file: string; steps: Record<string, unknown>[]; target?: string; csv: Csv }
  | { type: 'scaffold'; bundle: string; target: ScaffoldTarget; out: string; force: boolean; sampleCsv?: string }
  | { type: 'exportOnnx'; bundle: string; out: string; replace: boolean }
  /** A row of the training file as a client sends it to the served model (the Try it panel's start). */
  | { type: 'servingExample'; bundle: string; csv?: string }
  | { type: 'drift'; reference: string; current: string; store: string; csv: Csv }
  | { type: 'monitor'; request: Omit<MonitorRequest, 'csv'>; csv: Csv }
  | { type: 'abReport'; log: string; labels: { file: string; id: string; column?: string }; metric?: AbMetric; csv: Csv };

export type JobResult =
  | { type: 'profile'; profile: Profile }
  | { type: 'train'; result: TrainResult }
  | { type: 'check'; leakage: LeakageAlert[]; trainRows: number; testRows: number }
  | { type: 'tune'; result: TuneResult }
  | { type: 'evaluate'; result: EvaluateResult }
  | { type: 'predict'; result: PredictResult }
  | { type: 'features'; preview: FeaturesPreview }
  | { type: 'scaffold'; result: ScaffoldResult }
  | { type: 'exportOnnx'; inputs: { name: string; type: string }[]; bytes: number }
  | { type: 'servingExample'; row: Record<string, unknown> }
  | { type: 'drift'; report: DriftReport; runId?: string }
  | { type: 'monitor'; report: MonitorReport }
  | { type: 'abReport'; report: AbReport };

/** Events that are neither progress nor the end: live curves and store changes. */
export type JobEvent =
  | { type: 'epoch'; model: string; runId: string; log: EpochLog }
  | { type: 'runChanged'; runId: string };

/** What the worker reports while it works (threads.ts carries it, then the result or the error). */
export type JobNote = { type: 'progress'; stage: string; fraction?: number; detail?: Progress } | JobEvent;
