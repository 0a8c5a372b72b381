"""scikit-learn's side of bench:train, on the shared reference pipeline (its load() and prep()):
LogisticRegression(max_iter=1000) and RandomForestClassifier(100, n_jobs=-1): 4 fits (or more, up
to 25, until a second is spent, as our side), the median of those after the first.
    /usr/bin/python3 bench/sklearn_train.py <shared dir> <dataset> [<matrices dir>]
With a matrices dir (Xtr, Xte, ytr, yte as raw float64, shape.json) it fits those instead of
running the reference preprocessing.
"""
import json, os, sys, time, warnings
warnings.filterwarnings('ignore')
shared, name = sys.argv[1], sys.argv[2]
os.environ['DATASETS'] = os.path.join(shared, 'datasets')
sys.path.insert(0, os.path.join(shared, 'reference'))
import bench_sklearn as ref
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
if len(sys.argv) > 3:
    # The matrices our side wrote: the same split and features, so accuracies compare one to one.
    import numpy as np
    d = sys.argv[3]
    cols = json.load(open(os.path.join(d, 'shape.json')))['cols']
    load = lambda n: np.fromfile(os.path.join(d, n), dtype=np.float64)
    Xtr, Xte = load('Xtr').reshape(-1, cols), load('Xte').reshape(-1, cols)
    ytr, yte = load('ytr').astype(int), load('yte').astype(int)
else:
    X, y, cats, _ = ref.load(name)
    Xtr, Xte, ytr, yte, _ = ref.prep(X, y, cats)
out = {'nTrain': len(ytr), 'nFeatures': int(Xtr.shape[1])}
from sklearn.svm import SVC
models = [('lr', lambda: LogisticRegression(max_iter=1000)), ('rf', lambda: RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=-1))]
from sklearn.neural_network import MLPClassifier
if name != 'mpls_stops': models.append(('svc', lambda: SVC()))  # libsvm takes ~280 s there
else:
    # Our fast path's method in scikit-learn: random Fourier features + hinge-loss linear SVM.
    from sklearn.kernel_approximation import RBFSampler
    from sklearn.pipeline import make_pipeline
    from sklearn.svm import LinearSVC
    Xd = Xtr.toarray() if hasattr(Xtr, 'toarray') else Xtr
    gamma = 1.0 / (Xd.shape[1] * Xd.var())
    models.append(('svcApprox', lambda: make_pipeline(RBFSampler(gamma=gamma, n_components=500, random_state=42), LinearSVC(loss='hinge', max_iter=1000))))
# The reference script's MLP, against both of ours (bench/train.mjs pairs it with each).
if not os.environ.get('BENCH_NO_MLP'): models.append(('mlp', lambda: MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=50, random_state=42)))
for key, make in models:
    fit, pred = [], []
    # The rule of our side (bench/trainRun.ts): 4 fits, more (up to 25) until a second is spent;
    # the warm figure is the median of the fits after the first.
    while len(fit) < 4 or (sum(fit) + sum(pred) < 1 and len(fit) < 25):
        t0 = time.perf_counter(); m = make().fit(Xtr, ytr); t1 = time.perf_counter(); p = m.predict(Xte); t2 = time.perf_counter()
        fit.append(t1 - t0); pred.append(t2 - t1)
    # statistics.median averages the middle two of an even count; ours takes the upper one.
    warm = fit[1:] if len(fit) > 1 else fit
    out[key] = {'fitS': sorted(warm)[len(warm) // 2], 'predictS': sorted(pred)[len(pred) // 2], 'firstFitS': fit[0], 'accuracy': float((p == yte).mean()), 'fitRunsS': fit}
print(json.dumps(out))
