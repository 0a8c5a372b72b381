"""Writes test/fixtures/sklearn_metrics.json: predictions and what scikit-learn's metrics say of
them, for the metric parity tests. Run with Debian's interpreter (scikit-learn 1.2.1):

    /usr/bin/python3 test/scripts/make_sklearn_metrics_fixture.py [DATASETS_DIR]

Classes are encoded as indices into the sorted labels, as scikit-learn orders them.
"""
import json, os, sys, warnings
import numpy as np
import pandas as pd
from sklearn import metrics as M
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split

warnings.filterwarnings('ignore')
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'datasets')
OUT = os.environ.get('OUT') or os.path.join(HERE, '..', 'fixtures', 'sklearn_metrics.json')
rng = np.random.default_rng(42)

def clf_case(name, y_true, y_pred, proba, labels, auc=True):
    k = len(labels)
    p, r, f, s = M.precision_recall_fscore_support(y_true, y_pred, labels=list(range(k)), zero_division=0)
    case = {
        'name': name, 'labels': labels, 'y_true': [int(v) for v in y_true], 'y_pred': [int(v) for v in y_pred],
        'proba': [[float(x) for x in row] for row in proba],
        'accuracy': M.accuracy_score(y_true, y_pred),
        'confusion_matrix': M.confusion_matrix(y_true, y_pred, labels=list(range(k))).tolist(),
        'per_class': {'precision': p.tolist(), 'recall': r.tolist(), 'f1': f.tolist(), 'support': s.tolist()},
        'log_loss': M.log_loss(y_true, proba, labels=list(range(k))),
    }
    for avg in ('macro', 'weighted'):
        ap, ar, af, _ = M.precision_recall_fscore_support(y_true, y_pred, average=avg, labels=list(range(k)), zero_division=0)
        case[avg] = {'precision': ap, 'recall': ar, 'f1': af}
    if k == 2:
        score = proba[:, 1]
        fpr, tpr, thr = M.roc_curve(y_true, score)
        prec, rec, pthr = M.precision_recall_curve(y_true, score)
        case.update(roc={'fpr': fpr.tolist(), 'tpr': tpr.tolist(), 'thresholds': thr.tolist()}, roc_auc=M.roc_auc_score(y_true, score),
                    pr={'precision': prec.tolist(), 'recall': rec.tolist(), 'thresholds': pthr.tolist()},
                    average_precision=M.average_precision_score(y_true, score))
    elif auc:
        case['roc_auc_ovr_macro'] = M.roc_auc_score(y_true, proba, multi_class='ovr', average='macro', labels=list(range(k)))
    return case

def encode(y):
    labels = sorted(pd.unique(y).astype(str))
    return np.array([labels.index(str(v)) for v in y]), labels

cases = []
# Binary: a logistic regression on breast cancer (real probabilities, few ties).
df = pd.read_csv(os.path.join(DATA, 'sklearn_breast_cancer.csv'))
y, labels = encode(df['target']); X = df.drop(columns=['target']).to_numpy()
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=y, random_state=42)
m = LogisticRegression(max_iter=5000).fit(Xtr, ytr)
cases.append(clf_case('breast_cancer_lr', yte, m.predict(Xte), m.predict_proba(Xte), labels))
# Binary with many tied scores (rounded to one decimal), where curve details matter.
yt = rng.integers(0, 2, 400)
score = np.clip(np.round(0.35 * yt + rng.random(400) * 0.65, 1), 0, 1)
proba = np.column_stack([1 - score, score])
cases.append(clf_case('binary_ties', yt, (score >= 0.5).astype(int), proba, ['neg', 'pos']))
# Multiclass: iris and wine with logistic regression.
for name in ('sklearn_iris.csv', 'sklearn_wine.csv'):
    df = pd.read_csv(os.path.join(DATA, name))
    y, labels = encode(df['target']); X = df.drop(columns=['target']).to_numpy()
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=42)
    m = LogisticRegression(max_iter=5000).fit(Xtr, ytr)
    cases.append(clf_case(name.replace('.csv', '') + '_lr', yte, m.predict(Xte), m.predict_proba(Xte), labels))
# A class that is never predicted and one that never occurs (zero_division=0).
yt = rng.integers(0, 3, 60); yp = np.where(yt == 2, 0, yt)
p4 = rng.random((60, 4)); p4[:, 3] = 0; p4 = p4 / p4.sum(axis=1, keepdims=True)
cases.append(clf_case('never_predicted', yt, yp, p4, ['a', 'b', 'c', 'd'], auc=False))  # AUC undefined: class d has no samples

df = pd.read_csv(os.path.join(DATA, 'sklearn_diabetes.csv'))
y = df['target'].to_numpy(); X = df.drop(columns=['target']).to_numpy()
Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, random_state=42)
pred = LinearRegression().fit(Xtr, ytr).predict(Xte)
regression = {'name': 'diabetes_linear', 'y_true': yte.tolist(), 'y_pred': pred.tolist(),
              'mae': M.mean_absolute_error(yte, pred), 'mse': M.mean_squared_error(yte, pred),
              'rmse': M.mean_squared_error(yte, pred, squared=False), 'r2': M.r2_score(yte, pred)}
import sklearn
with open(OUT, 'w') as f:
    json.dump({'sklearn': sklearn.__version__, 'classification': cases, 'regression': [regression]}, f)
print('wrote', os.path.relpath(OUT))
