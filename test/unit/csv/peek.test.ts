// The quick look at a CSV behind the training quick picks: columns, the suggested target and the
// detected task agree with what training decides from the whole file.
import * as assert from 'node:assert/strict';
import { loadCsv } from '../../../src/core/csv/load';
import { detectTask, peekColumns, suggestTarget } from '../../../src/core/csv/peek';
import { prepareTarget } from '../../../src/core/ml/preprocess';
import { dataset, tempFile } from '../../support/paths';

describe('peekColumns, suggestTarget, detectTask', () => {
  it('suggests a column named target/label/class/y, else the last one', () => {
    assert.equal(suggestTarget(peekColumns(dataset('sklearn_iris.csv')).columns), 'target');
    assert.equal(suggestTarget(peekColumns(dataset('titanic_survival.csv')).columns), 'passengerClass');
    assert.equal(suggestTarget(peekColumns(tempFile('a.csv', 'a,Label,b\n1,x,2\n')).columns), 'Label');
  });

  it('detects the same task as training does on the whole file', async () => {
    for (const [file, target] of [['sklearn_iris.csv', 'target'], ['titanic_survival.csv', 'survived'], ['diamonds.csv', 'price'], ['sklearn_diabetes.csv', 'target'], ['penguins.csv', 'species']]) {
      const col = peekColumns(dataset(file)).columns.find((c) => c.name === target)!;
      const frame = await loadCsv(dataset(file));
      assert.equal(detectTask(col), prepareTarget(frame, target).task, `${file} ${target}`);
    }
  });

  it('names the file when it cannot be read', () => {
    assert.throws(() => peekColumns('/nope/missing.csv'), /missing\.csv.*file not found/);
    assert.throws(() => peekColumns(tempFile('e.csv', '')), /e\.csv.*empty/);
  });
});
