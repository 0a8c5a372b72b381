"""An independent NumPy reference of scikit-learn's TargetEncoder (1.3; 1.4's one-vs-rest for
multiclass targets), written from its documentation because Debian's scikit-learn (1.2.1) lacks it.

    S_i = λ_i · mean(y | category i) + (1 − λ_i) · mean(y),  λ_i = n_i / (n_i + m)
    m = smooth, or for smooth="auto" m = σ_i² / σ² (σ_i² the variance of y within category i,
    σ² that of all y; population variances), which gives λ_i = n_i σ² / (n_i σ² + σ_i²).

Training rows are encoded out of fold: StratifiedKFold (classes) or KFold (regression) with
shuffle and the seed, each fold's rows with encodings learned from the other folds. Other rows
get the encoding learned from all training rows; categories it never saw get mean(y). A missing
value is a category of its own. Reads JSON on stdin, prints per output its value for every row.
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold, StratifiedKFold


def learn(codes, y, n_categories, smooth):
    """Encoding per category code from rows (codes, y); a category without rows gets mean(y)."""
    mean = y.mean()
    variance = y.var()
    out = np.full(n_categories, mean)
    for c in range(n_categories):
        yc = y[codes == c]
        n = len(yc)
        if n == 0:
            continue
        if smooth == "auto":
            within = ((yc - yc.mean()) ** 2).mean()
            denominator = n * variance + within
            lam = n * variance / denominator if denominator > 0 else np.nan
            out[c] = mean if np.isnan(lam) else lam * yc.mean() + (1 - lam) * mean
        else:
            out[c] = (yc.sum() + smooth * mean) / (n + smooth)
    return out, mean


def main():
    a = json.load(sys.stdin)
    df = pd.read_csv(a["file"], keep_default_na=True)
    train = np.array(a["train"], dtype=int)
    target = df[a["target"]]
    if a["task"] == "regression":
        outputs, ys = [""], [target.to_numpy(dtype=float)]
        strata = None
    else:
        labels = sorted(target.dropna().astype(str).unique())
        t = target.astype(str).to_numpy()
        if len(labels) == 2:
            outputs, ys = [""], [(t == labels[1]).astype(float)]
        else:
            outputs, ys = labels, [(t == label).astype(float) for label in labels]
        strata = np.array([labels.index(v) for v in t[train]])
    if strata is None:
        folds = KFold(a["cv"], shuffle=True, random_state=a["seed"]).split(train)
    else:
        folds = StratifiedKFold(a["cv"], shuffle=True, random_state=a["seed"]).split(train, strata)
    folds = list(folds)
    result = {}
    for column in a["columns"]:
        values = df[column].astype(object).where(df[column].notna(), None).to_numpy()
        cats = sorted({v for v in values[train] if v is not None}) + ([None] if any(v is None for v in values[train]) else [])
        index = {c: i for i, c in enumerate(cats)}
        codes = np.array([index.get(v, -1) for v in values])
        for output, y in zip(outputs, ys):
            full, mean = learn(codes[train], y[train], len(cats), a["smooth"])
            encoded = np.array([full[c] if c >= 0 else mean for c in codes])
            for fit_pos, enc_pos in folds:
                rows_fit, rows_enc = train[fit_pos], train[enc_pos]
                fold_enc, _ = learn(codes[rows_fit], y[rows_fit], len(cats), a["smooth"])
                encoded[rows_enc] = fold_enc[codes[rows_enc]]
            name = f"{column}_te" if output == "" else f"{column}_te_{output}"
            result[name] = [float(v) for v in encoded]
    print(json.dumps(result))


main()
