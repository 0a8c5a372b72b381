"""Writes test/fixtures/pandas_profile.json: what pandas says about the shared datasets, for the
profile's parity tests. Run with Debian's interpreter (pandas 1.5.3):

    /usr/bin/python3 test/scripts/make_pandas_fixture.py [DATASETS_DIR]

Missing-value tokens are the reader's defaults ("", NA, N/A, null, NaN, None, ?) instead of
pandas' longer default list; ISO date columns are parsed as datetimes (parse_dates), as our reader
infers them.
"""
import json, math, os, sys
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '..', 'shared', 'datasets')
OUT = os.environ.get('OUT') or os.path.join(HERE, '..', 'fixtures', 'pandas_profile.json')
NA = ['', 'NA', 'N/A', 'null', 'NaN', 'None', '?']
DATASETS = {
    'titanic_survival.csv': [], 'sklearn_iris.csv': [], 'sklearn_wine.csv': [], 'sklearn_breast_cancer.csv': [],
    'sklearn_diabetes.csv': [], 'penguins.csv': [], 'diamonds.csv': [], 'letter_recognition.csv': [],
    'mpls_stops.csv': ['date'], 'vega_seattle_weather.csv': ['date'],
}

def num(x):
    if x is None: return None
    x = float(x)
    if math.isnan(x): return None
    if math.isinf(x): return 'Infinity' if x > 0 else '-Infinity'
    return x

out = {'pandas': pd.__version__, 'na_values': NA, 'datasets': {}}
for name, dates in DATASETS.items():
    df = pd.read_csv(os.path.join(DATA, name), na_values=NA, keep_default_na=False, parse_dates=dates or False)
    cols = []
    for c in df.columns:
        s = df[c]
        col = {'name': c, 'dtype': str(s.dtype), 'count': int(s.count()), 'missing': int(s.isnull().sum()), 'distinct': int(s.nunique())}
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            d = s.describe()
            col.update(mean=num(d['mean']), std=num(d['std']), min=num(d['min']), q25=num(d['25%']), median=num(d['50%']),
                       q75=num(d['75%']), max=num(d['max']), skewness=num(s.skew()), zeros=int((s == 0).sum()))
        elif pd.api.types.is_datetime64_any_dtype(s):
            col.update(minDate=s.min().isoformat(), maxDate=s.max().isoformat())
        else:
            vc = s.value_counts()
            col['top'] = [{'value': str(k), 'count': int(v)} for k, v in vc.head(5).items()]
        cols.append(col)
    corr = df.corr(numeric_only=True)
    out['datasets'][name] = {
        'rows': int(len(df)), 'columns': cols, 'duplicateRows': int(df.duplicated().sum()),
        'missingCells': int(df.isnull().sum().sum()),
        'correlations': {'columns': list(corr.columns), 'values': [[num(v) for v in row] for row in corr.to_numpy()]},
    }
with open(OUT, 'w') as f:
    json.dump(out, f, indent=1)
print('wrote', os.path.relpath(OUT))
