"""The whole-process anchor for a fresh `mlw train --models rf`: Python starts, pandas reads the
dataset, the shared reference pipeline prepares it, RandomForestClassifier(100, n_jobs=-1) fits and
predicts the test split, the accuracy is printed. bench/train.mjs times the process from outside.
    /usr/bin/python3 bench/sklearn_rf_process.py <shared dir> <dataset>
"""
import json, os, sys, warnings
warnings.filterwarnings('ignore')
shared, name = sys.argv[1], sys.argv[2]
os.environ['DATASETS'] = os.path.join(shared, 'datasets')
sys.path.insert(0, os.path.join(shared, 'reference'))
import bench_sklearn as ref
from sklearn.ensemble import RandomForestClassifier
X, y, cats, _ = ref.load(name)
Xtr, Xte, ytr, yte, _ = ref.prep(X, y, cats)
m = RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=-1).fit(Xtr, ytr)
print(json.dumps({'accuracy': float((m.predict(Xte) == yte).mean())}))
