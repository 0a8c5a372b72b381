// Memory a fit will take, estimated before it starts, so that a fit that cannot finish is refused
// with what to do instead rather than growing until the machine kills it (a forest on a
// 10,000-class target once reached 11.8 GB). Each model states its own estimate (Model.fitMemory,
// its largest buffers: copies of X, per-class state, caches); this module holds the budget and the
// message. Estimates are upper-side: they count the buffers a fit holds at once, not the garbage
// it leaves, and a test checks them against measured peaks.
import * as os from 'node:os';
import type { Model } from './estimator';

/** What a fit sees: rows, feature columns, and classes (1 for a regressor). */
export interface FitShape {
  rows: number;
  cols: number;
  classes: number;
}

export interface FitMemory {
  bytes: number;
  /** What to change to need less (fewer classes, components, trees …), in the model's words. */
  advice: string;
}

/**
 * A fit's memory: its buffers, plus what any fit takes (the heap growing, compiled code: 16 MB) and
 * each worker thread's own (a V8 isolate and its heap: about 40 MB, measured with the forest).
 */
export const fitBytes = (buffers: number, workerThreads = 0): number => 16 * 2 ** 20 + workerThreads * 40 * 2 ** 20 + buffers;

/**
 * The most a fit (or the fits running at once in a search) may take: half the machine's memory,
 * leaving the rest to the data, the editor and everything else. MLW_MEMORY_BUDGET (bytes, or with
 * a unit: 512MB, 4GB) sets another.
 */
export function fitMemoryBudget(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.MLW_MEMORY_BUDGET?.trim();
  if (set) {
    const m = /^(\d+(?:\.\d+)?)\s*(|B|KB|MB|GB)$/i.exec(set);
    if (!m) throw new Error(`MLW_MEMORY_BUDGET is "${set}": give bytes, or a number with KB, MB or GB (4GB)`);
    const unit = { '': 1, b: 1, kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30 }[m[2].toLowerCase() as '' | 'b' | 'kb' | 'mb' | 'gb'];
    return Number(m[1]) * unit;
  }
  return os.totalmem() / 2;
}

export const formatGB = (bytes: number): string => (bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GB` : `${Math.max(1, Math.ceil(bytes / 2 ** 20))} MB`);

/**
 * Refuses a fit whose estimate is past the budget. `concurrent` fits on `shape` each run at once
 * (a search's folds on worker threads); the message names the shape, the estimate and the budget.
 */
export function checkFitMemory(model: Model, shape: FitShape, concurrent = 1, budget = fitMemoryBudget()): void {
  const { bytes, advice } = model.fitMemory(shape);
  const total = bytes * concurrent;
  if (total <= budget) return;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const what = `${n(shape.rows)} rows × ${n(shape.cols)} features${shape.classes > 1 ? ` and ${n(shape.classes)} classes` : ''}`;
  const times = concurrent > 1 ? ` (${concurrent} fits at once, ${formatGB(bytes)} each)` : '';
  throw new Error(`${model.type}: a fit on ${what} needs about ${formatGB(total)}${times}, more than the ${formatGB(budget)} budget ` +
    `(half this machine's memory, or MLW_MEMORY_BUDGET); ${advice}`);
}
