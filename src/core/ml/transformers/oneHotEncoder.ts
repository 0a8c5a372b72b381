// One-hot encoding, as scikit-learn's OneHotEncoder(handle_unknown='ignore'): a column per
// category seen in the training rows, in sorted order, named "<col>=<category>"; a category it
// never saw (or a missing value left missing) encodes as all zeros; dropFirst leaves out the first
// category (drop='first'). Its output is each row's slot, written into the matrix as a 1.
import { oneOf, Rule } from '../params';
import { checkStateSchema, S } from '../savedState';
import { Block, BlockKind, ColumnStep, expect } from './column';

export interface OneHotParams {
  dropFirst: boolean;
}

export interface OneHotState {
  categories: string[];
}

const STATE = S.object({ categories: S.vector(S.string) });

export class OneHotEncoder extends ColumnStep<OneHotParams, OneHotState> {
  readonly type = 'oneHot';
  readonly version = 1;
  readonly accepts = 'categories';

  constructor(params: Partial<OneHotParams> = {}) {
    super({ dropFirst: false }, params);
  }

  protected paramRules(): Rule[] {
    return [oneOf('dropFirst', this.params.dropFirst, [true, false])];
  }

  outputKind(): BlockKind {
    return 'slots';
  }

  fit(block: Block): this {
    this.checkParams();
    const b = expect(block, 'categories', this.type);
    const seen = new Uint8Array(b.dictionary.length);
    for (const c of b.codes) if (c >= 0) seen[c] = 1;
    const categories = [...new Set(b.dictionary.filter((_, c) => seen[c]))].sort(); // scikit-learn sorts categories
    this.learned = { categories };
    return this;
  }

  transform(block: Block): Block {
    const { categories } = this.state();
    const b = expect(block, 'categories', this.type);
    const first = this.params.dropFirst ? 1 : 0;
    const index = new Map(categories.map((c, i) => [c, i - first]));
    const slotOfCode = Int32Array.from(b.dictionary, (v) => index.get(v) ?? -1); // one lookup per distinct value
    const slot = new Int32Array(b.codes.length);
    for (let i = 0; i < slot.length; i++) slot[i] = b.codes[i] < 0 ? -1 : slotOfCode[b.codes[i]];
    return { kind: 'slots', names: this.outputNames([b.name]), slot };
  }

  outputNames(input: string[]): string[] {
    return this.state().categories.slice(this.params.dropFirst ? 1 : 0).map((c) => `${input[0]}=${c}`);
  }

  stateRules(width: number, kind: string): Rule[] {
    const c = this.state().categories;
    return [
      [kind === 'categories' && width === 1, 'one-hot encoding reads one column of categories'],
      [new Set(c).size === c.length, 'its categories repeat'],
    ];
  }

  protected checkedState(saved: unknown): OneHotState {
    checkStateSchema(this.type, STATE, saved);
    return saved as OneHotState;
  }
}
