// Metrics against scikit-learn 1.2.1 on the same predictions (test/fixtures/sklearn_metrics.json,
// made by test/scripts/make_sklearn_metrics_fixture.py): equal to 1e-9.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as M from '../../../src/core/ml/metrics';
import fixture from '../../fixtures/sklearn_metrics.json';
import { DATASETS, FIXTURES, ROOT } from '../../support/paths';
import { assertDeepClose } from '../../support/approx';

const TOL = 1e-9;
function close(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b)), `${what}: ${a} vs sklearn ${b}`);
}
function closeAll(a: number[], b: number[], what: string): void {
  assert.equal(a.length, b.length, `${what}: ${a.length} points vs sklearn ${b.length}`);
  a.forEach((v, i) => close(v, b[i], `${what}[${i}]`));
}

type Case = (typeof fixture.classification)[number] & Record<string, unknown>;

describe('metrics equal scikit-learn', () => {
  for (const c of fixture.classification as Case[]) {
    describe(c.name, () => {
      const k = c.labels.length;
      it('accuracy, confusion matrix, classification report', () => {
        close(M.accuracy(c.y_true, c.y_pred), c.accuracy, 'accuracy');
        assert.deepEqual(M.confusionMatrix(c.y_true, c.y_pred, k), c.confusion_matrix);
        const r = M.classificationReport(c.y_true, c.y_pred, c.labels);
        r.classes.forEach((cls, i) => {
          close(cls.precision, c.per_class.precision[i], `precision[${i}]`);
          close(cls.recall, c.per_class.recall[i], `recall[${i}]`);
          close(cls.f1, c.per_class.f1[i], `f1[${i}]`);
          assert.equal(cls.support, c.per_class.support[i]);
        });
        for (const avg of ['macro', 'weighted'] as const) {
          for (const m of ['precision', 'recall', 'f1'] as const) close(r[avg][m], (c[avg] as Record<string, number>)[m], `${avg} ${m}`);
        }
      });

      it('log loss', () => close(M.logLoss(c.y_true, c.proba, k), c.log_loss, 'log_loss'));

      if (k === 2) {
        const positive = c.y_true.map((y) => y === 1);
        const score = c.proba.map((p) => p[1]);
        it('ROC curve and AUC', () => {
          const roc = M.rocCurve(positive, score);
          const e = c.roc as { fpr: number[]; tpr: number[]; thresholds: number[] };
          closeAll(roc.fpr, e.fpr, 'fpr');
          closeAll(roc.tpr, e.tpr, 'tpr');
          closeAll(roc.thresholds, e.thresholds, 'thresholds');
          close(M.rocAuc(positive, score), c.roc_auc as number, 'roc_auc');
        });
        it('precision-recall curve and average precision', () => {
          const pr = M.precisionRecallCurve(positive, score);
          const e = c.pr as { precision: number[]; recall: number[]; thresholds: number[] };
          closeAll(pr.precision, e.precision, 'precision');
          closeAll(pr.recall, e.recall, 'recall');
          closeAll(pr.thresholds, e.thresholds, 'thresholds');
          close(M.averagePrecision(positive, score), c.average_precision as number, 'average_precision');
        });
      } else if ('roc_auc_ovr_macro' in c) {
        it('one-vs-rest macro ROC AUC', () => close(M.rocAucOvrMacro(c.y_true, c.proba, k), c.roc_auc_ovr_macro as number, 'roc_auc_ovr'));
      }
    });
  }

  for (const r of fixture.regression) {
    it(`${r.name}: MAE, MSE, RMSE, R²`, () => {
      close(M.meanAbsoluteError(r.y_true, r.y_pred), r.mae, 'mae');
      close(M.meanSquaredError(r.y_true, r.y_pred), r.mse, 'mse');
      close(M.rootMeanSquaredError(r.y_true, r.y_pred), r.rmse, 'rmse');
      close(M.r2(r.y_true, r.y_pred), r.r2, 'r2');
    });
  }

  it('refuses mismatched or empty inputs instead of returning NaN', () => {
    assert.throws(() => M.accuracy([0, 1], [0]), /2 true values but 1 predictions/);
    assert.throws(() => M.r2([], []), /no samples/);
  });

  it('the committed fixture is what scikit-learn computes today, to the last digits a CPU may change', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-skl-')), 'm.json');
    const run = spawnSync('/usr/bin/python3', [path.join(ROOT, 'test', 'scripts', 'make_sklearn_metrics_fixture.py'), DATASETS], { env: { ...process.env, OUT: out }, encoding: 'utf8' });
    assert.equal(run.status, 0, `make_sklearn_metrics_fixture.py failed (apt-get install python3-sklearn): ${run.stderr}`);
    assertDeepClose(JSON.parse(fs.readFileSync(out, 'utf8')), JSON.parse(fs.readFileSync(path.join(FIXTURES, 'sklearn_metrics.json'), 'utf8')), 1e-12);
  });
});
