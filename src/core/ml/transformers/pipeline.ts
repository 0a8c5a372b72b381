// The feature steps of a run, in order: each is fitted on the training rows of the frame the steps
// before it made, then every frame (the test split, a CSV to predict) goes through all of them.
// The bundle stores the fitted steps; prediction replays them before the preprocessor.
import type { Frame } from '../../frame';
import type { Target } from '../preprocess';
import { Lag, Rolling } from './history';
import { AnyStep, createStep, loadStep } from './registry';
import type { SavedStep, StepInput } from './step';

const isHistory = (s: AnyStep): s is Lag | Rolling => s instanceof Lag || s instanceof Rolling;

export class FeaturePipeline {
  constructor(readonly steps: AnyStep[]) {}

  /** Steps from a run spec's `features` list, options checked; a step that draws (target encoding's folds) takes the run's seed unless it names its own. */
  static fromSpec(specs: unknown[], o: { seed?: number } = {}): FeaturePipeline {
    return new FeaturePipeline(specs.map((s, i) => {
      const seeded = o.seed !== undefined && s && typeof s === 'object' && (s as { type?: unknown }).type === 'targetEncode' && !Object.hasOwn(s, 'randomState') ? { ...s, randomState: o.seed } : s;
      return createStep(seeded, `features[${i}]`);
    }));
  }

  /** Fitted steps from a bundle, each checked whole. */
  static fromJSON(saved: unknown): FeaturePipeline {
    if (!Array.isArray(saved)) throw new Error('features: not a list of saved steps');
    return new FeaturePipeline(saved.map((s, i) => loadStep(s, `features[${i}]`)));
  }

  /** Fits each step on the training rows and returns the whole frame with every step's columns. */
  fitTransform(frame: Frame, rows: ArrayLike<number>, target?: Target): Frame {
    let out = frame;
    this.steps.forEach((step, i) => {
      try {
        out = step.fitTransform(out, rows, target);
      } catch (e) {
        throw new Error(`features[${i}] (${step.type}): ${(e as Error).message}`);
      }
    });
    return out;
  }

  /**
   * Every step's columns for the frame. With historyGiven (a server's rows, which carry no
   * history), a lag or rolling step whose columns the frame already holds is skipped: the caller
   * computed them from the history it has.
   */
  transform(frame: Frame, o: { historyGiven?: boolean } = {}): Frame {
    let out = frame;
    this.steps.forEach((step, i) => {
      if (o.historyGiven && isHistory(step) && step.outputNames().every((n) => out.columns.some((c) => c.name === n))) return;
      try {
        out = step.transform(out);
      } catch (e) {
        throw new Error(`features[${i}] (${step.type}): ${(e as Error).message}`);
      }
    });
    return out;
  }

  /** The time column of the first step that reads rows' history (lags, rolling windows), if any: the session then splits by time. */
  timeColumn(): string | undefined {
    for (const s of this.steps) if (isHistory(s)) return s.params.orderBy;
    return undefined;
  }

  /** The columns of the steps that read other rows (lags, rolling windows): what a single row cannot give. */
  historyColumns(): string[] {
    return this.steps.filter(isHistory).flatMap((s) => s.outputNames());
  }

  /** The columns the steps add, in order. */
  outputNames(): string[] {
    return this.steps.flatMap((s) => s.outputNames());
  }

  /** The columns the data must hold for the steps: those they read and no step before them made. */
  inputColumns(): StepInput[] {
    const made = new Set<string>();
    const need: StepInput[] = [];
    for (const s of this.steps) {
      for (const c of s.inputColumns()) if (!made.has(c.name) && !need.some((n) => n.name === c.name)) need.push(c);
      for (const c of s.outputNames()) made.add(c);
    }
    return need;
  }

  toJSON(): SavedStep[] {
    return this.steps.map((s) => s.toJSON() as SavedStep);
  }
}
