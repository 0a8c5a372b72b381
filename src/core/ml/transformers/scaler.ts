// Standard scaling, as scikit-learn's StandardScaler: each column less its training mean, over its
// training standard deviation (ddof 0; 1 where a column is constant). It follows the imputer, so
// it learns from the imputed values, as in a scikit-learn Pipeline.
import { oneOf, Rule } from '../params';
import { checkStateSchema, S } from '../savedState';
import { Block, BlockKind, ColumnStep, expect } from './column';

export interface ScalerParams {
  withMean: boolean;
  withStd: boolean;
}

export interface ScalerState {
  mean: number[];
  scale: number[];
}

const STATE = S.object({ mean: S.vector(S.number, 1), scale: S.vector({ type: 'number', exclusiveMinimum: 0 }, 1) });

export class StandardScaler extends ColumnStep<ScalerParams, ScalerState> {
  readonly type = 'scale';
  readonly version = 1;
  readonly accepts = 'numbers';

  constructor(params: Partial<ScalerParams> = {}) {
    super({ withMean: true, withStd: true }, params);
  }

  protected paramRules(): Rule[] {
    return [oneOf('withMean', this.params.withMean, [true, false]), oneOf('withStd', this.params.withStd, [true, false])];
  }

  outputKind(): BlockKind {
    return 'numbers';
  }

  fit(block: Block): this {
    this.checkParams();
    const b = expect(block, 'numbers', this.type);
    const mean: number[] = [], scale: number[] = [];
    for (const values of b.values) {
      // Sums in row order, missing values left out (there are none after the imputer).
      let m = 0, n = 0;
      for (const v of values) if (v === v) (m += v), n++;
      m = n ? m / n : 0;
      let ss = 0;
      for (const v of values) if (v === v) ss += (v - m) ** 2;
      const std = n ? Math.sqrt(ss / n) : 0;
      mean.push(this.params.withMean ? m : 0);
      scale.push(this.params.withStd && std > 0 ? std : 1);
    }
    this.learned = { mean, scale };
    return this;
  }

  transform(block: Block): Block {
    const { mean, scale } = this.state();
    const b = expect(block, 'numbers', this.type);
    // In place: the block is the chain's own (see column.ts).
    b.values.forEach((v, k) => {
      const m = mean[k], s = scale[k];
      for (let i = 0; i < v.length; i++) v[i] = (v[i] - m) / s;
    });
    return b;
  }

  outputNames(input: string[]): string[] {
    return input;
  }

  stateRules(width: number, kind: string): Rule[] {
    const s = this.state();
    return [
      [kind === 'numbers', 'a scaler reads numbers'],
      [s.mean.length === width, `mean has ${s.mean.length} value${s.mean.length === 1 ? '' : 's'} where ${width} ${width === 1 ? 'is' : 'are'} needed`],
      [s.scale.length === width, `scale has ${s.scale.length} value${s.scale.length === 1 ? '' : 's'} where ${width} ${width === 1 ? 'is' : 'are'} needed`],
    ];
  }

  protected checkedState(saved: unknown): ScalerState {
    checkStateSchema(this.type, STATE, saved);
    return saved as ScalerState;
  }
}
