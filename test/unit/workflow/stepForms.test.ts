// The Engineer Features panel's step forms come from the run-spec schema: every step type the
// engine knows has one, every option of the schema is on it with the right control.
import * as assert from 'node:assert/strict';
import { STEP_TYPES } from '../../../src/core/ml/transformers/registry';
import { stepForms } from '../../../src/core/workflow/stepForms';

describe('step forms from the run-spec schema', () => {
  it('every step type has a form, its options of the right kinds', () => {
    const forms = stepForms();
    assert.deepEqual(forms.map((f) => f.type).sort(), [...STEP_TYPES].sort());
    const kinds = (type: string) => Object.fromEntries(forms.find((f) => f.type === type)!.options.map((o) => [o.name, o.kind]));
    assert.deepEqual(kinds('bin'), { column: 'column', edges: 'numbers', labels: 'strings', right: 'boolean', includeLowest: 'boolean', strategy: 'choice', nBins: 'integer', encode: 'choice' });
    assert.deepEqual(kinds('rolling'), { column: 'column', window: 'integer', stats: 'choices', orderBy: 'column', groupBy: 'optionalColumn', includeCurrent: 'boolean' });
    assert.deepEqual(kinds('targetEncode'), { columns: 'columns', smooth: 'autoOrNumber', cv: 'integer', shuffle: 'boolean', randomState: 'integer' });
    const rolling = forms.find((f) => f.type === 'rolling')!;
    assert.deepEqual(rolling.options.find((o) => o.name === 'stats')!.values, ['mean', 'sum', 'std', 'min', 'max']);
    assert.deepEqual(rolling.options.filter((o) => o.required).map((o) => o.name), ['column', 'window', 'orderBy'].filter((n) => rolling.options.find((o) => o.name === n)!.required));
    assert.ok(forms.every((f) => f.description.length > 20), 'each form says what its step does');
  });
});
