// Runs scikit-learn (Debian's /usr/bin/python3) on exactly our train/test matrices, passed as raw
// float64 files, so that a comparison differs only by the model.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TrainTestData } from '../../src/core/ml/dataset';

export function sklearnScores(data: TrainTestData, models: Record<string, string>): Record<string, number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-skl-'));
  const write = (name: string, a: Float64Array | Int32Array) => fs.writeFileSync(path.join(dir, name), Buffer.from(Float64Array.from(a).buffer));
  write('Xtr', data.Xtrain.data);
  write('Xte', data.Xtest.data);
  write('ytr', data.ytrain);
  write('yte', data.ytest);
  const classify = data.target.task === 'classification';
  const code = `
import json, sys, warnings
import numpy as np
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import accuracy_score, r2_score
warnings.filterwarnings('ignore')
d, cols, classify, models = sys.argv[1], int(sys.argv[2]), sys.argv[3] == '1', json.loads(sys.argv[4])
load = lambda n: np.fromfile(f'{d}/{n}', dtype=np.float64)
Xtr, Xte = load('Xtr').reshape(-1, cols), load('Xte').reshape(-1, cols)
ytr, yte = load('ytr'), load('yte')
if classify: ytr, yte = ytr.astype(int), yte.astype(int)
out = {}
for key, expr in models.items():
    m = eval(expr).fit(Xtr, ytr)
    out[key] = accuracy_score(yte, m.predict(Xte)) if classify else r2_score(yte, m.predict(Xte))
print(json.dumps(out))`;
  try {
    const r = spawnSync('/usr/bin/python3', ['-c', code, dir, String(data.Xtrain.cols), classify ? '1' : '0', JSON.stringify(models)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `scikit-learn failed (apt-get install python3-sklearn): ${r.stderr}`);
    return JSON.parse(r.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
