// From a frame to train/test matrices the way the reference scikit-learn workflow does it: drop
// rows without a target (counted), split 80/20 stratified for classes, fit the preprocessing on
// the training rows only, transform both splits.
import type { Frame } from '../frame';
import { Matrix } from './matrix';
import { prepareTarget, Preprocessor, PreprocessParams, DEFAULT_PREPROCESS, Target } from './preprocess';
import { Split, trainTestSplit } from './split';
import { timeOrder } from './transformers/history';
import type { Task } from './task';
import { FeaturePipeline } from './transformers/pipeline';

export interface TrainTestData {
  /** The target column's name. */
  targetName: string;
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
  /**
   * Set when feature steps read rows' history (lags, rolling windows): the rows are split by this
   * time column, the test rows after the training rows, which are in time order, so that
   * cross-validation folds must follow TimeSeriesSplit.
   */
  timeColumn?: string;
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
  const features = FeaturePipeline.fromSpec(o.features ?? [], { seed: o.seed ?? 42 });
  const timeColumn = features.timeColumn();
  const split = timeColumn
    ? timeSplit(frame, target.rows, timeColumn, o.testSize ?? 0.2)
    : trainTestSplit(target.rows.length, { testSize: o.testSize ?? 0.2, seed: o.seed ?? 42, stratify: classify ? (target.y as Int32Array) : undefined });
  const trainRows = Int32Array.from(split.train, (i) => target.rows[i]);
  const testRows = Int32Array.from(split.test, (i) => target.rows[i]);
  // Feature steps learn from the training rows only; every row gets their columns.
  const engineered = features.fitTransform(frame, trainRows, target);
  const preprocessor = new Preprocessor({ ...DEFAULT_PREPROCESS, ...o.preprocess }).fit(engineered, trainRows, [targetName, ...(o.drop ?? [])]);
  const pick = (idx: Int32Array) => (classify ? Int32Array.from(idx, (i) => target.y[i]) : Float64Array.from(idx, (i) => target.y[i]));
  return {
    targetName, target, features, preprocessor, trainRows, testRows, ...(timeColumn ? { timeColumn } : {}),
    Xtrain: preprocessor.transform(engineered, trainRows), Xtest: preprocessor.transform(engineered, testRows),
    ytrain: pick(split.train), ytest: pick(split.test),
  };
}

/**
 * A split by time, as train_test_split(shuffle=False) on rows sorted by the time column (ties in
 * file order): the last ceil(testSize · n) rows are the test rows. Positions index the target's rows.
 */
function timeSplit(frame: Frame, targetRows: Int32Array, timeColumn: string, testSize: number): Split {
  const [ordered] = timeOrder(frame, timeColumn, null, 'time split');
  const position = new Int32Array(frame.rows).fill(-1);
  targetRows.forEach((row, p) => (position[row] = p));
  const inOrder = Int32Array.from(Array.from(ordered).filter((row) => position[row] >= 0), (row) => position[row]);
  const nTest = Math.ceil(testSize * inOrder.length);
  if (nTest < 1 || nTest >= inOrder.length) throw new Error(`${frame.source}: a test share of ${testSize} leaves no rows on one side of the time split`);
  return { train: inOrder.slice(0, inOrder.length - nTest), test: inOrder.slice(inOrder.length - nTest) };
}
