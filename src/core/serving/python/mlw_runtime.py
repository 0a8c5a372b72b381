"""ML Workbench's model runtime for Python: predicts with a bundle.json using NumPy alone.

Written by `mlw scaffold --target fastapi`. A bundle is data (JSON): the feature steps, the
preprocessing (imputer, scaler, one-hot encoder, date parts per column) and the model. This file
reads that data and computes what ML Workbench computes, in the same order, so that predictions
agree with `mlw predict` (labels identical; probabilities to about 1e-9, the MLP's to 1e-5 as it
runs in float32). Nothing in a bundle is executed. Lag and rolling columns are read from the
request: one row carries no history.
"""
import base64
import json
import math
import re

import numpy as np

BUNDLE_FORMAT = "ml-workbench-bundle"
READS_BUNDLE_VERSION = 2


class BundleError(Exception):
    """The bundle cannot be used here (a newer format, or a part this runtime does not know)."""


class RowProblems(Exception):
    """Rows that do not fit the model's input: [{row, field, problem}], as mlw serve's 422."""

    def __init__(self, problems):
        super().__init__("; ".join(f'row {p["row"]}, "{p["field"]}": {p["problem"]}' for p in problems[:20]))
        self.problems = problems


# --- values ---------------------------------------------------------------------------------
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def _leap(y):
    return (y % 4 == 0 and y % 100 != 0) or y % 400 == 0


def days_from_civil(y, m, d):
    y -= 1 if m <= 2 else 0
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_datetime(text):
    """Epoch milliseconds of an ISO 8601 date or time (UTC unless it has an offset), or None."""
    t = text.strip()
    m = DATE_RE.match(t)
    if not m:
        return None
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    if mo < 1 or mo > 12 or d < 1 or d > (29 if mo == 2 and _leap(y) else DAYS_IN_MONTH[mo - 1]):
        return None
    hh, mi, ss = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
    if hh > 23 or mi > 59 or ss > 59:
        return None
    ms = math.floor(float("0." + m[7]) * 1000 + 1e-6) if m[7] else 0
    offset = 0
    if m[8] and m[8] != "Z":
        sign = -1 if m[8][0] == "-" else 1
        digits = m[8][1:].replace(":", "")
        offset = sign * (int(digits[:2]) * 60 + int(digits[2:4]))
    return float(days_from_civil(y, mo, d) * 86400000 + ((hh * 60 + mi - offset) * 60 + ss) * 1000 + ms)


def calendar(ms):
    """Calendar fields of a UTC epoch-ms time, as pandas' dt accessors (Monday 0, day of year from 1)."""
    days = math.floor(ms / 86400000)
    dayofweek = ((days + 3) % 7 + 7) % 7
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy_march = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy_march + 2) // 153
    day = doy_march - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (1 if month <= 2 else 0)
    ms_of_day = ms - days * 86400000
    before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month - 1] + (1 if _leap(year) and month > 2 else 0)
    return {
        "year": year, "month": month, "day": day, "dayofweek": dayofweek, "weekend": 1 if dayofweek >= 5 else 0,
        "hour": math.floor(ms_of_day / 3600000), "minute": math.floor((ms_of_day % 3600000) / 60000), "dayofyear": before + day,
    }


def js_number_text(v):
    """A number as JavaScript's String(v) writes it (how ML Workbench names a numeric category)."""
    if v == int(v) and abs(v) < 1e21:
        return str(int(v))
    return repr(float(v)).replace("e-0", "e-").replace("e+0", "e+")


class Frame:
    """Columns by name: numbers as float64 arrays (NaN missing), categories as lists of str or None."""

    def __init__(self, n):
        self.n = n
        self.columns = {}
        self.kinds = {}

    def numbers(self, name):
        if self.kinds.get(name) != "number":
            raise BundleError(f'column "{name}" holds categories where numbers are needed')
        return self.columns[name]

    def categories(self, name):
        col = self.columns[name]
        if self.kinds[name] == "category":
            return col
        return [None if math.isnan(v) else js_number_text(v) for v in col]

    def add(self, name, values, kind):
        self.columns[name] = values
        self.kinds[name] = kind


# --- feature steps (replayed before the preprocessing) ----------------------------------------
def _step_time_features(step, frame):
    p = step["params"]
    t = frame.numbers(p["column"])
    cycles = {"month": 12, "dayofweek": 7, "hour": 24}
    rows = [calendar(ms) if not math.isnan(ms) else None for ms in t]
    for f, name in zip(p["features"], step["state"]["names"]):
        m = re.match(r"^(month|dayofweek|hour)_(sin|cos)$", f)
        if m:
            trig = math.sin if m[2] == "sin" else math.cos
            period = cycles[m[1]]
            values = [trig(2 * math.pi * c[m[1]] / period) if c else math.nan for c in rows]
        else:
            values = [c[f] if c else math.nan for c in rows]
        frame.add(name, np.array(values, dtype=np.float64), "number")


def _step_polynomial(step, frame):
    inputs = [frame.numbers(c) for c in step["params"]["columns"]]
    for powers, name in zip(step["state"]["powers"], step["state"]["names"]):
        factors = [j for j, power in enumerate(powers) for _ in range(power)]
        if not factors:
            frame.add(name, np.ones(frame.n), "number")
            continue
        out = inputs[factors[-1]].copy()
        for k in range(len(factors) - 2, -1, -1):
            out = inputs[factors[k]] * out
        frame.add(name, out, "number")


def _step_bin(step, frame):
    p, edges = step["params"], step["state"]["edges"]
    x = frame.numbers(p["column"])

    def bin_of(v):
        if math.isnan(v):
            return math.nan
        if p["edges"] is not None:
            if p["includeLowest"] and v == edges[0]:
                return 0
            for b in range(len(edges) - 1):
                lo, hi = edges[b], edges[b + 1]
                if (v > lo and v <= hi) if p["right"] else (v >= lo and v < hi):
                    return b
            return math.nan
        xs = v + (1e-8 + 1e-5 * abs(v))
        b = 0
        for j in range(1, len(edges) - 1):
            if xs >= edges[j]:
                b = j
        return min(max(b, 0), len(edges) - 2)

    bins = [bin_of(v) for v in x]
    name = f'{p["column"]}_bin'
    labels = p["labels"] if p["labels"] is not None else ([str(b) for b in range(len(edges) - 1)] if p["encode"] == "onehot" and p["edges"] is None else None)
    if labels is None:
        frame.add(name, np.array(bins, dtype=np.float64), "number")
    else:
        frame.add(name, [None if isinstance(b, float) and math.isnan(b) else labels[int(b)] for b in bins], "category")


def _step_target_encode(step, frame):
    s = step["state"]
    for c in s["columns"]:
        index = {cat: i for i, cat in enumerate(c["categories"])}
        codes = [index.get(v, -1) for v in frame.categories(c["column"])]
        for k, output in enumerate(s["outputs"]):
            name = f'{c["column"]}_te' if output == "" else f'{c["column"]}_te_{output}'
            frame.add(name, np.array([c["means"][k] if code < 0 else c["encodings"][k][code] for code in codes], dtype=np.float64), "number")


def _step_aggregate(step, frame):
    p, s = step["params"], step["state"]
    index = {key: i for i, key in enumerate(s["keys"])}
    keys = frame.categories(p["groupBy"])
    for stat, values in zip(p["stats"], s["values"]):
        out = []
        for key in keys:
            j = index.get(key, -1) if key is not None else -1
            v = values[j] if j >= 0 else None
            out.append(math.nan if v is None else v)
        frame.add(f'{p["column"]}_{stat}_by_{p["groupBy"]}', np.array(out, dtype=np.float64), "number")


FORMULA_FUNCTIONS = {"log1p": np.log1p, "log": np.log, "exp": np.exp, "sqrt": np.sqrt, "abs": np.abs}


def _evaluate(e, frame):
    op = e["op"]
    if op == "num":
        return np.full(frame.n, e["value"], dtype=np.float64)
    if op == "col":
        return frame.numbers(e["name"]).copy()
    if op == "neg":
        return -_evaluate(e["arg"], frame)
    if op == "call":
        return FORMULA_FUNCTIONS[e["fn"]](_evaluate(e["arg"], frame))
    a, b = _evaluate(e["left"], frame), _evaluate(e["right"], frame)
    with np.errstate(all="ignore"):
        return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}[op](a, b)


def _step_formula(step, frame):
    if "parsed" not in step:
        raise BundleError(f'the formula step "{step["params"]["name"]}" has no parsed expression (write the scaffold again with mlw scaffold)')
    with np.errstate(all="ignore"):
        frame.add(step["params"]["name"], _evaluate(step["parsed"], frame), "number")


def _step_history(step, frame):
    # Lags and rolling windows read earlier rows: a request carries their columns (checked as input).
    pass


STEPS = {
    "timeFeatures": _step_time_features, "polynomial": _step_polynomial, "bin": _step_bin, "targetEncode": _step_target_encode,
    "aggregate": _step_aggregate, "formula": _step_formula, "lag": _step_history, "rolling": _step_history,
}


def history_columns(step):
    p = step["params"]
    if step["type"] == "lag":
        return [f'{p["column"]}_lag_{k}' for k in p["lags"]]
    if step["type"] == "rolling":
        return [f'{p["column"]}_rolling_{p["window"]}_{s}' for s in p["stats"]]
    return []


# --- the preprocessing: a pipeline of column steps per input column -----------------------------
def _column_block(frame, column):
    if column["kind"] == "categorical":
        return "categories", [frame.categories(column["column"])]
    return "numbers", [frame.numbers(column["column"])]


def _apply_column_steps(column, frame):
    kind, block = _column_block(frame, column)
    for step in column["steps"]:
        t, s, p = step["type"], step["state"], step["params"]
        if t == "dateParts":
            rows = [calendar(ms) if not math.isnan(ms) else None for ms in block[0]]
            block = [np.array([c[part] if c else math.nan for c in rows], dtype=np.float64) for part in p["parts"]]
        elif t == "impute" and kind == "numbers":
            block = [np.where(np.isnan(v), fill, v) for v, fill in zip(block, s["statistics"])]
        elif t == "impute":
            fill = s["statistics"][0]
            block = [[fill if v is None else v for v in block[0]]]
        elif t == "scale":
            block = [(v - m) / sc for v, m, sc in zip(block, s["mean"], s["scale"])]
        elif t == "oneHot":
            cats = s["categories"][1:] if p["dropFirst"] else s["categories"]
            index = {c: i for i, c in enumerate(cats)}
            out = np.zeros((frame.n, len(cats)))
            for i, v in enumerate(block[0]):
                j = index.get(v, -1) if v is not None else -1
                if j >= 0:
                    out[i, j] = 1.0
            kind, block = "numbers", [out[:, j] for j in range(len(cats))]
        else:
            raise BundleError(f'column "{column["column"]}": unknown column step "{t}"')
    return block


# --- models ---------------------------------------------------------------------------------
def _b64(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def _platt(f, a, b):
    f_ap_b = f * a + b
    p = np.where(f_ap_b >= 0, np.exp(-np.abs(f_ap_b)) / (1 + np.exp(-np.abs(f_ap_b))), 1 / (1 + np.exp(-np.abs(f_ap_b))))
    return np.clip(p, 1e-7, 1 - 1e-7)


def _couple(r, k):
    """libsvm's pairwise coupling of r[a][b] = P(a | a or b) into class probabilities."""
    Q = np.zeros((k, k))
    p = [1.0 / k] * k
    for t in range(k):
        for j in range(k):
            if j != t:
                Q[t][t] += r[j][t] * r[j][t]
                Q[t][j] = -r[j][t] * r[t][j]
    Qp = [0.0] * k
    for _ in range(max(100, k)):
        pQp = 0.0
        for t in range(k):
            Qp[t] = 0.0
            for j in range(k):
                Qp[t] += Q[t][j] * p[j]
            pQp += p[t] * Qp[t]
        if max(abs(Qp[t] - pQp) for t in range(k)) < 0.005 / k:
            break
        for t in range(k):
            diff = (-Qp[t] + pQp) / Q[t][t]
            p[t] += diff
            pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff)
            for j in range(k):
                Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff)
                p[j] /= 1 + diff
    return p


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _first_max(p):
    return np.argmax(p, axis=1)


class Model:
    """predict(X) → class indexes (or values); predict_proba(X) → n × classes, for classifiers."""

    def __init__(self, saved):
        self.type, self.params, self.s = saved["type"], saved["params"], saved["state"]
        if self.type in ("RandomForestClassifier", "RandomForestRegressor"):
            self.trees = [{k: _b64(t[k], "<i4" if k in ("feature", "left", "right") else "<f8") for k in ("feature", "threshold", "left", "right", "value")} for t in self.s["trees"]]
            if self.s.get("values") == "pure-leaves":
                # A classifier's leaves: one class each where pure (leafClass), the others' k values in `value`.
                k = self.s["nClasses"]
                for t, saved in zip(self.trees, self.s["trees"]):
                    leaf = t["left"] < 0
                    cls = _b64(saved.get("leafClass", ""), "<i4")
                    mixed = cls < 0
                    if cls.size != int(leaf.sum()) or t["value"].size != int(mixed.sum()) * k or cls.max(initial=-1) >= k or cls.min(initial=0) < -1:
                        raise BundleError("a forest's tree has leaf classes or values that do not fit its leaves")
                    rows = np.zeros((cls.size, k))
                    rows[np.flatnonzero(~mixed), cls[~mixed]] = 1.0
                    rows[mixed] = t["value"].reshape(-1, k)
                    full = np.zeros((len(t["feature"]), k))
                    full[leaf] = rows
                    t["value"] = full.reshape(-1)
            elif self.s.get("values") == "leaves":
                # Saved with its leaves' values only (k each, in node order): spread to their nodes.
                k = self.s["nClasses"] if self.type == "RandomForestClassifier" else 1
                for t in self.trees:
                    leaf = t["left"] < 0
                    if t["value"].size != int(leaf.sum()) * k:
                        raise BundleError("a forest's tree has leaf values that do not fit its leaves")
                    full = np.zeros((len(t["feature"]), k))
                    full[leaf] = t["value"].reshape(-1, k)
                    t["value"] = full.reshape(-1)
        elif self.type in ("MLPClassifier", "MLPRegressor"):
            self.weights = [_b64(w["data"], "<f4").reshape(w["shape"]) for w in self.s["weights"]]
        elif self.type not in ("LogisticRegression", "Ridge", "LinearRegression", "SVC", "ApproxSVC"):
            raise BundleError(f'model type "{self.type}" is not known to this runtime')

    def _forest(self, X, k):
        # All trees at once: their nodes in one array (each tree's indexes offset by where it
        # starts), every row walked down every tree a level per step. A loop over the trees cost
        # a NumPy call per tree and level: about 25 ms for one row on 100 trees; this is 1 ms.
        if not hasattr(self, "_packed"):
            starts = np.cumsum([0] + [len(t["feature"]) for t in self.trees[:-1]])
            cat = lambda key: np.concatenate([t[key] for t in self.trees])
            left, right = cat("left"), cat("right")
            offsets = np.concatenate([np.full(len(t["feature"]), s) for t, s in zip(self.trees, starts)])
            self._packed = {
                "roots": starts.astype(np.int64), "feature": np.maximum(cat("feature"), 0), "threshold": cat("threshold"),
                "left": np.where(left >= 0, left + offsets, -1), "right": np.where(right >= 0, right + offsets, -1),
                "value": cat("value").reshape(-1, k),
            }
        t = self._packed
        n = X.shape[0]
        node = np.tile(t["roots"], (n, 1))
        rows = np.arange(n)[:, None]
        while True:
            left = t["left"][node]
            inner = left >= 0
            if not inner.any():
                break
            go_left = X[rows, t["feature"][node]] <= t["threshold"][node]
            node = np.where(inner, np.where(go_left, left, t["right"][node]), node)
        # Summed tree by tree, in order, as ML Workbench sums them.
        out = np.zeros((n, k))
        for j in range(node.shape[1]):
            out += t["value"][node[:, j]]
        return out / len(self.trees)

    def _svc_decisions(self, X):
        s = self.s
        d = s["nFeatures"]
        S = np.array(s["support"], dtype=np.float64).reshape(-1, d)
        if self.params.get("kernel", "rbf") == "linear":
            K = X @ S.T
        else:
            # ‖x − s‖² as ‖x‖² + ‖s‖² − 2 x·s, clamped at 0: an n × SV product, not n × SV × features.
            sq = np.maximum((X * X).sum(axis=1)[:, None] + (S * S).sum(axis=1)[None, :] - 2 * (X @ S.T), 0)
            K = np.exp(-s["gamma"] * sq)
        return np.stack([K[:, pair["sv"]] @ np.array(pair["coef"]) - pair["rho"] for pair in s["pairs"]], axis=1)

    def _approx_decisions(self, X):
        s = self.s
        D = len(s["offsets"])
        W = np.array(s["projection"], dtype=np.float64).reshape(s["nFeatures"], D)
        Z = (math.sqrt(2 / D) * np.cos(X @ W + np.array(s["offsets"]))).astype(np.float32).astype(np.float64)
        return np.stack([Z @ np.array(c) + b for c, b in zip(s["coef"], s["intercept"])], axis=1)

    def _mlp(self, X):
        a = X.astype(np.float32)
        for i in range(0, len(self.weights), 2):
            a = a @ self.weights[i] + self.weights[i + 1]
            if i + 2 < len(self.weights):
                a = np.maximum(a, 0)
        if self.type == "MLPClassifier":
            return _softmax(a.astype(np.float32)).astype(np.float64)
        return a[:, 0].astype(np.float64)

    def predict_proba(self, X):
        t, s = self.type, self.s
        if t == "LogisticRegression":
            z = X @ np.array(s["coef"]).T + np.array(s["intercept"])
            if len(s["coef"]) == 1:
                p = 1 / (1 + np.exp(-z[:, 0]))
                return np.stack([1 - p, p], axis=1)
            return _softmax(z)
        if t == "RandomForestClassifier":
            return self._forest(X, s["nClasses"])
        if t == "MLPClassifier":
            return self._mlp(X)
        if t == "SVC":
            k = s["nClasses"]
            f = self._svc_decisions(X)
            out = np.zeros((X.shape[0], k))
            for i in range(X.shape[0]):
                r = [[0.0] * k for _ in range(k)]
                q = 0
                for a in range(k):
                    for b in range(a + 1, k):
                        pair = s["pairs"][q]
                        pa = float(_platt(f[i, q], pair["plattA"], pair["plattB"]))
                        r[a][b], r[b][a] = pa, 1 - pa
                        q += 1
                out[i] = [r[0][1], r[1][0]] if k == 2 else _couple(r, k)
            return out
        if t == "ApproxSVC":
            f = self._approx_decisions(X)
            if s["nClasses"] == 2:
                p = _platt(f[:, 0], *s["platt"][0])
                return np.stack([1 - p, p], axis=1)
            p = np.stack([_platt(f[:, c], *s["platt"][c]) for c in range(f.shape[1])], axis=1)
            return p / p.sum(axis=1, keepdims=True)
        raise BundleError(f"{t} has no class probabilities")

    def predict(self, X):
        t, s = self.type, self.s
        if t in ("Ridge", "LinearRegression"):
            return X @ np.array(s["coef"]) + s["intercept"]
        if t == "RandomForestRegressor":
            return self._forest(X, 1)[:, 0]
        if t == "MLPRegressor":
            return self._mlp(X)
        if t == "SVC":
            k, f = s["nClasses"], self._svc_decisions(X)
            out = np.zeros(X.shape[0], dtype=np.int64)
            for i in range(X.shape[0]):
                votes = [0] * k
                q = 0
                for a in range(k):
                    for b in range(a + 1, k):
                        votes[a if f[i, q] > 0 else b] += 1
                        q += 1
                out[i] = max(range(k), key=lambda c: (votes[c], -c))
            return out
        if t == "ApproxSVC":
            f = self._approx_decisions(X)
            return (f[:, 0] > 0).astype(np.int64) if f.shape[1] == 1 else _first_max(f)
        return _first_max(self.predict_proba(X))


# --- the bundle ---------------------------------------------------------------------------------
class Bundle:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            b = json.load(f)
        if b.get("format") != BUNDLE_FORMAT:
            raise BundleError(f"{path}: not an ML Workbench model bundle")
        if b.get("version", 0) > READS_BUNDLE_VERSION or b["preprocessor"].get("version") != 2:
            raise BundleError(f"{path}: bundle version {b.get('version')} (preprocessor {b['preprocessor'].get('version')}); write the scaffold again with this ML Workbench's mlw scaffold")
        self.bundle = b
        self.task, self.target, self.labels = b["task"], b["target"], b.get("labels")
        self.steps = b.get("features", [])
        for s in self.steps:
            if s["type"] not in STEPS:
                raise BundleError(f'feature step "{s["type"]}" is not known to this runtime')
        history = [c for s in self.steps for c in history_columns(s)]
        self.fields = [dict(c) for c in b["input"]] + [{"name": c, "kind": "numeric", "history": True} for c in history]
        self.model = Model(b["estimator"])

    def frame(self, rows):
        """The rows (dicts) as a frame, checked against the input schema: every problem by row and field."""
        problems, n = [], len(rows)
        known = {f["name"] for f in self.fields}
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.append({"row": i, "field": "(row)", "problem": "must be an object of column → value"})
                continue
            for f in self.fields:
                if f["name"] not in row:
                    problems.append({"row": i, "field": f["name"], "problem": "missing: the model reads earlier rows for it, so a single row must carry it" if f.get("history") else "missing (send null for a missing value)"})
            for k in row:
                if k not in known:
                    problems.append({"row": i, "field": k, "problem": "not a column the model reads"})
        frame = Frame(n)
        warnings = []
        for f in self.fields:
            values = [row.get(f["name"]) if isinstance(row, dict) else None for row in rows]
            kind = f["kind"]
            if kind in ("numeric", "boolean", "datetime"):
                out = np.full(n, np.nan)
                for i, v in enumerate(values):
                    if v is None:
                        continue
                    if kind == "boolean" and isinstance(v, bool):
                        out[i] = 1.0 if v else 0.0
                    elif kind == "numeric" and isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                        out[i] = float(v)
                    elif kind == "datetime" and isinstance(v, str) and parse_datetime(v) is not None:
                        out[i] = parse_datetime(v)
                    elif kind == "datetime" and isinstance(v, (int, float)) and not isinstance(v, bool):
                        out[i] = float(v)
                    else:
                        problems.append({"row": i, "field": f["name"], "problem": f"must be {'a number' if kind == 'numeric' else 'true or false' if kind == 'boolean' else 'an ISO 8601 date or time'} or null"})
                frame.add(f["name"], out, "number")
            else:
                out, unseen = [], set()
                cats = set(f.get("categories") or [])
                for i, v in enumerate(values):
                    if v is None:
                        out.append(None)
                    elif isinstance(v, str) or (isinstance(v, (int, float)) and not isinstance(v, bool)):
                        text = v if isinstance(v, str) else js_number_text(v)
                        out.append(text)
                        if f.get("categories") is not None and text not in cats:
                            unseen.add(text)
                    else:
                        out.append(None)
                        problems.append({"row": i, "field": f["name"], "problem": "must be a category (a string) or null"})
                if unseen:
                    warnings.append(f'column "{f["name"]}": {", ".join(json.dumps(u) for u in sorted(unseen)[:10])} never seen in training; predicted as unknown (all zeros in its one-hot columns), as mlw predict does')
                frame.add(f["name"], out, "category")
        if problems:
            raise RowProblems(problems)
        return frame, warnings

    def matrix(self, frame):
        for s in self.steps:
            STEPS[s["type"]](s, frame)
        blocks = [v for column in self.bundle["preprocessor"]["columns"] for v in _apply_column_steps(column, frame)]
        X = np.stack(blocks, axis=1) if blocks else np.zeros((frame.n, 0))
        if not np.isfinite(X).all():
            raise RowProblems([{"row": int(i), "field": "(features)", "problem": "a value computed from this row is infinite"} for i in np.where(~np.isfinite(X).all(axis=1))[0][:20]])
        return X

    def predict(self, rows):
        """[{"prediction", "probabilities"?}] in row order, and warnings; RowProblems for rows the model cannot read."""
        frame, warnings = self.frame(rows)
        if not rows:
            return [], warnings
        X = self.matrix(frame)
        pred = self.model.predict(X)
        if self.task != "classification":
            return [{"prediction": float(v)} for v in pred], warnings
        proba = self.model.predict_proba(X)
        return [{"prediction": self.labels[int(p)], "probabilities": {label: float(proba[i, c]) for c, label in enumerate(self.labels)}} for i, p in enumerate(pred)], warnings
