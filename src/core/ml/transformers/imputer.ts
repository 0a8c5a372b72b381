// Missing values filled, as scikit-learn's SimpleImputer: numbers by the training rows' median,
// mean, most frequent value (the smallest of a tie) or a constant; categories by a constant (the
// usual "missing" category) or the most frequent one (the first in sorted order of a tie). A
// column missing on every training row is filled with the constant (0 for numbers). One departure,
// kept because saved models depend on it: most_frequent on categories that had no missing value
// at training learns nothing (null), and a missing value later encodes as all zeros.
import { quantiles } from '../../profile/stats';
import { oneOf, rule, Rule } from '../params';
import { checkStateSchema, S } from '../savedState';
import { Block, BlockKind, Categories, ColumnStep } from './column';

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

export interface ImputerParams {
  strategy: ImputeStrategy;
  /** The constant: a number for numbers, a category for categories. */
  fillValue: number | string;
}

export interface ImputerState {
  /** The fill of each input column: numbers, or one category (null: leave missing). */
  statistics: (number | string | null)[];
}

const STATE = S.object({ statistics: S.vector({ type: ['number', 'string', 'null'] }, 1) });

function mostFrequentNumber(values: Float64Array): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = NaN, bestCount = -1;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && v < best)) [best, bestCount] = [v, c];
  return best;
}

export class SimpleImputer extends ColumnStep<ImputerParams, ImputerState> {
  readonly type = 'impute';
  readonly version = 1;
  readonly accepts = 'any';

  constructor(params: Partial<ImputerParams> = {}) {
    super({ strategy: 'median', fillValue: 0 }, params);
  }

  protected paramRules(): Rule[] {
    const f = this.params.fillValue;
    return [
      oneOf('strategy', this.params.strategy, ['mean', 'median', 'most_frequent', 'constant']),
      rule(typeof f === 'string' || (typeof f === 'number' && Number.isFinite(f)), 'fillValue', 'a number or a category', f),
    ];
  }

  outputKind(input: 'numbers' | 'categories'): BlockKind {
    return input;
  }

  fit(block: Block): this {
    this.checkParams();
    const { strategy, fillValue } = this.params;
    if (block.kind === 'categories') {
      if (strategy === 'mean' || strategy === 'median') throw new Error(`${this.type}: strategy '${strategy}' needs numbers; column "${block.name}" holds categories`);
      const counts = new Int32Array(block.dictionary.length);
      let missing = 0;
      for (const c of block.codes) c < 0 ? missing++ : counts[c]++;
      let fill: string | null = null;
      if (strategy === 'constant') fill = String(fillValue);
      else if (missing > 0) {
        let best: string | undefined, bestCount = 0;
        counts.forEach((n, c) => {
          const v = block.dictionary[c];
          if (n > bestCount || (n > 0 && n === bestCount && v < best!)) [best, bestCount] = [v, n];
        });
        fill = best ?? String(fillValue);
      }
      this.learned = { statistics: [fill] };
      return this;
    }
    if (block.kind !== 'numbers') throw new Error(`internal: the ${this.type} step reads numbers or categories`);
    const constant = typeof fillValue === 'number' ? fillValue : Number(fillValue);
    this.learned = {
      statistics: block.values.map((values, k) => {
        const present = values.filter((v) => v === v);
        if (present.length === 0) return strategy === 'constant' ? constant : 0; // all missing: a constant feature
        if (strategy === 'median') return quantiles(present.slice(), [0.5])[0];
        if (strategy === 'mean') return present.reduce((a, b) => a + b, 0) / present.length;
        if (strategy === 'constant') {
          if (!Number.isFinite(constant)) throw new Error(`${this.type}: fillValue must be a number for column "${block.names[k]}" (got '${fillValue}')`);
          return constant;
        }
        return mostFrequentNumber(present);
      }),
    };
    return this;
  }

  transform(block: Block): Block {
    const { statistics } = this.state();
    if (block.kind === 'categories') return this.fillCategories(block, statistics[0] as string | null);
    if (block.kind !== 'numbers') throw new Error(`internal: the ${this.type} step reads numbers or categories`);
    // In place: the block is the chain's own (see column.ts).
    block.values.forEach((v, k) => {
      const fill = statistics[k] as number;
      for (let i = 0; i < v.length; i++) if (v[i] !== v[i]) v[i] = fill;
    });
    return block;
  }

  private fillCategories(block: Categories, fill: string | null): Categories {
    if (fill === null) return block;
    let code = block.dictionary.indexOf(fill);
    const dictionary = code < 0 ? [...block.dictionary, fill] : block.dictionary;
    if (code < 0) code = dictionary.length - 1;
    const codes = new Int32Array(block.codes.length);
    for (let i = 0; i < codes.length; i++) codes[i] = block.codes[i] < 0 ? code : block.codes[i];
    return { kind: 'categories', name: block.name, codes, dictionary };
  }

  outputNames(input: string[]): string[] {
    return input;
  }

  stateRules(width: number, kind: 'numbers' | 'categories'): Rule[] {
    const s = this.state().statistics;
    if (kind === 'categories') return [[s.length === 1 && typeof s[0] !== 'number', `a category's fill must be one category or null (got ${JSON.stringify(s)})`]];
    return [
      [s.length === width, `statistics has ${s.length} value${s.length === 1 ? '' : 's'} where ${width} ${width === 1 ? 'is' : 'are'} needed`],
      [s.every((v) => typeof v === 'number'), `the fills of numbers must be numbers (got ${JSON.stringify(s)})`],
    ];
  }

  protected checkedState(saved: unknown): ImputerState {
    checkStateSchema(this.type, STATE, saved);
    return saved as ImputerState;
  }
}
