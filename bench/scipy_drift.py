# scipy's side of `npm run bench:drift`: the same tests on the same columns (raw float64 files that
# bench/driftRun.ts wrote): wasserstein_distance over the reference's std for the numbers,
# jensenshannon (base 2) of the category counts; the time of the tests alone, medians of ROUNDS.
import json, sys, time
import numpy as np
from scipy.stats import wasserstein_distance
from scipy.spatial.distance import jensenshannon

d, rounds = sys.argv[1], int(sys.argv[2])
load = lambda side, name: np.fromfile(f'{d}/{side}_{name}.f64', dtype='<f8')
cols = {f'x{f}': (load('reference', f'x{f}'), load('current', f'x{f}')) for f in range(16)}
cats = {f'c{f}': (load('reference', f'c{f}'), load('current', f'c{f}'), 5 + f * 5) for f in range(4)}
times, out = [], {}
for _ in range(rounds):
    t0 = time.perf_counter()
    for name, (r, c) in cols.items():
        out[name] = wasserstein_distance(r, c) / np.std(r)
    for name, (r, c, k) in cats.items():
        out[name] = jensenshannon(np.bincount(r.astype(int), minlength=k), np.bincount(c.astype(int), minlength=k), base=2)
    times.append(time.perf_counter() - t0)
print(json.dumps({'seconds': sorted(times)[len(times) // 2], 'all': times, 'distances': {k: float(v) for k, v in out.items()}}))
