"""PyTorch 1.13's side of bench:train for the seed's own network (Debian's python3-torch):
Linear(64)-ReLU-Dropout(0.2) twice, then Linear(classes); cross-entropy, Adam(lr 1e-3), batch 32,
shuffled each epoch, 50 epochs, float32, on the matrices our side wrote (the same split and
features). Per thread count (1 and 2): the first fit in the process (cold) and the median of the
warm ones, seconds, and the test accuracy.
    /usr/bin/python3 bench/torch_mlp.py <matrices dir> [fits per thread count, 3]
"""
import json, os, sys, time
import numpy as np
import torch

d = sys.argv[1]
fits = int(sys.argv[2]) if len(sys.argv) > 2 else 3
cols = json.load(open(os.path.join(d, 'shape.json')))['cols']
load = lambda n: np.fromfile(os.path.join(d, n), dtype=np.float64)
Xtr = torch.from_numpy(load('Xtr').reshape(-1, cols).astype(np.float32))
Xte = torch.from_numpy(load('Xte').reshape(-1, cols).astype(np.float32))
ytr = torch.from_numpy(load('ytr').astype(np.int64))
yte = load('yte').astype(np.int64)
classes = int(max(ytr.max().item(), yte.max()) + 1)


def fit(seed):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(cols, 64), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(64, classes))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = Xtr.shape[0]
    net.train()
    for _ in range(50):
        order = torch.randperm(n)
        for i in range(0, n, 32):
            idx = order[i:i + 32]
            opt.zero_grad()
            loss = loss_fn(net(Xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
    net.eval()
    return net


out = {}
for threads in (1, 2):
    torch.set_num_threads(threads)
    times, acc = [], None
    for k in range(fits):
        t0 = time.perf_counter()
        net = fit(42 + k)
        times.append(time.perf_counter() - t0)
        with torch.no_grad():
            acc = float((net(Xte).argmax(1).numpy() == yte).mean())
    warm = sorted(times[1:])[len(times[1:]) // 2] if len(times) > 1 else times[0]
    out[f'threads{threads}'] = {'firstFitS': times[0], 'warmFitS': warm, 'fitRunsS': times, 'accuracy': acc}
print(json.dumps(out))
