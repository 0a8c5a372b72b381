// Column arithmetic equals pandas' df.eval, live, on diamonds (and a name in backquotes with a
// missing value); a result that is not finite becomes missing. The parser's errors name the
// position; nothing is evaluated as code: a name that is JavaScript is just a missing column.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../../src/core/csv/load';
import type { Frame, NumericColumn } from '../../../../src/core/frame';
import { Formula, parseFormula } from '../../../../src/core/ml/transformers/formula';
import { createStep } from '../../../../src/core/ml/transformers/registry';
import { dataset, tempFile } from '../../../support/paths';
import { python } from '../../../support/python';

const PANDAS = `
import json, sys
import numpy as np
import pandas as pd
a = json.load(sys.stdin)
df = pd.read_csv(a['file'])
out = {}
for e in a['expressions']:
    v = df.eval(e, engine='python').replace([np.inf, -np.inf], np.nan)
    out[e] = [None if pd.isna(x) else float(x) for x in v]
print(json.dumps(out))
`;

describe('column arithmetic', () => {
  async function compare(file: string, expressions: string[]) {
    const frame: Frame = await loadCsv(file);
    const ref = python<Record<string, (number | null)[]>>(PANDAS, { file, expressions });
    expressions.forEach((expression, k) => {
      const step = new Formula({ name: `f${k}`, expression }).fit(frame);
      const ours = (step.transform(frame).columns.at(-1) as NumericColumn).values;
      ref[expression].forEach((v, i) => {
        if (v === null) assert.ok(Number.isNaN(ours[i]), `${expression} row ${i}: ours ${ours[i]}, pandas missing`);
        else assert.ok(Math.abs(ours[i] - v) <= 1e-12 * Math.max(1, Math.abs(v)), `${expression} row ${i}: ours ${ours[i]}, pandas ${v}`);
      });
    });
  }

  it('equals pandas\' df.eval: operators, precedence, functions; x / 0 missing', async () => {
    await compare(dataset('diamonds.csv'), ['price / carat', 'log1p(price) - log1p(carat) * 2', '-depth ** 2 / (table - 55)', 'sqrt(abs(x - y)) + exp(-carat)', '2 ** 3 ** 2 + x', '(x + y) * (z - .5e1) / 1e3']);
  });

  it('a name in backquotes, and a missing input', async () => {
    const file = tempFile('fares.csv', 'fare per head,party size\n10.5,2\n,3\n7,0\n');
    await compare(file, ['`fare per head` * `party size`', '`fare per head` / `party size`']);
  });

  it('errors name where the expression goes wrong; no text ever runs as code', async () => {
    assert.throws(() => parseFormula('price / (carat'), /expression "price \/ \(carat": a closing "\)" expected at character 15/);
    assert.throws(() => parseFormula('price +'), /the expression ends where a value is expected at character 8/);
    assert.throws(() => parseFormula('price ; 1'), /";" where an operator is expected at character 7/);
    assert.throws(() => createStep({ type: 'formula', name: 'f', expression: 'eval(price)' }), /unknown function "eval" \(known: log1p, log, exp, sqrt, abs\)/);
    const frame = await loadCsv(dataset('diamonds.csv'));
    assert.throws(() => new Formula({ name: 'f', expression: 'constructor * 2' }).fit(frame), /column "constructor" is missing \(the formula step reads it\)/);
    assert.throws(() => new Formula({ name: 'f', expression: 'cut * 2' }).fit(frame), /column "cut" holds categorical values; expression "cut \* 2" needs numbers/);
  });
});
