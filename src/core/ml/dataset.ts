// From a frame to train/test matrices the way the reference scikit-learn workflow does it: drop
// rows without a target (counted), split 80/20 stratified for classes, fit the preprocessing on
// the training rows only, transform both splits.
import type { Frame } from '../frame';
import { Matrix } from './matrix';
import { prepareTarget, Preprocessor, PreprocessParams, DEFAULT_PREPROCESS, Target } from './preprocess';
import { trainTestSplit } from './split';
import type { Task } from './task';
import { FeaturePipeline } from './transformers/pipeline';

export interface TrainTestData {
  target: Target;
  /** The feature steps, fitted on the training rows (none unless asked for). */
  features: FeaturePipeline;
  preprocessor: Preprocessor;
  Xtrain: Matrix;
  Xtest: Matrix;
  ytrain: Int32Array | Float64Array;
  ytest: Int32Array | Float64Array;
  /** Frame rows of each split. */
  trainRows: Int32Array;
  testRows: Int32Array;
}

export interface TrainTestOptions {
  drop?: string[];
  testSize?: number;
  seed?: number;
  task?: Task;
  preprocess?: Partial<PreprocessParams>;
  /** Feature steps from a run spec, fitted on the training rows before the preprocessor. */
  features?: Record<string, unknown>[];
}

export function trainTestData(frame: Frame, targetName: string, o: TrainTestOptions = {}): TrainTestData {
  const target = prepareTarget(frame, targetName, o.task);
  const classify = target.task === 'classification';
  const split = trainTestSplit(target.rows.length, { testSize: o.testSize ?? 0.2, seed: o.seed ?? 42, stratify: classify ? (target.y as Int32Array) : undefined });
  const trainRows = Int32Array.from(split.train, (i) => target.rows[i]);
  const testRows = Int32Array.from(split.test, (i) => target.rows[i]);
  // Feature steps learn from the training rows only; every row gets their columns.
  const features = FeaturePipeline.fromSpec(o.features ?? [], { seed: o.seed ?? 42 });
  const engineered = features.fitTransform(frame, trainRows, target);
  const preprocessor = new Preprocessor({ ...DEFAULT_PREPROCESS, ...o.preprocess }).fit(engineered, trainRows, [targetName, ...(o.drop ?? [])]);
  const pick = (idx: Int32Array) => (classify ? Int32Array.from(idx, (i) => target.y[i]) : Float64Array.from(idx, (i) => target.y[i]));
  return {
    target, features, preprocessor, trainRows, testRows,
    Xtrain: preprocessor.transform(engineered, trainRows), Xtest: preprocessor.transform(engineered, testRows),
    ytrain: pick(split.train), ytest: pick(split.test),
  };
}
