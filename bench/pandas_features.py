"""The pandas side of `npm run bench:features`: read flights_3m.csv and make the same columns as
bench/featuresRun.ts, as a pandas user writes them; prints the times and the columns' sums."""
import json
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1], parse_dates=["date"])
t1 = time.perf_counter()
d = df["date"].dt
out = {"date_year": d.year, "date_month": d.month, "date_day": d.day, "date_dayofweek": d.dayofweek, "date_hour": d.hour,
       "date_month_sin": np.sin(2 * np.pi * d.month / 12), "date_month_cos": np.cos(2 * np.pi * d.month / 12)}
ordered = df.assign(_i=np.arange(len(df))).sort_values(["date", "_i"], kind="stable")
g = ordered.groupby("origin")["delay"]
out["delay_lag_1"] = g.shift(1).sort_index()
out["delay_lag_7"] = g.shift(7).sort_index()
out["delay_rolling_7_mean"] = g.transform(lambda s: s.shift(1).rolling(7).mean()).sort_index()
out["delay_mean_by_origin"] = df.groupby("origin")["delay"].transform("mean")
result = pd.DataFrame(out)
t2 = time.perf_counter()
print(json.dumps({"loadS": t1 - t0, "featuresS": t2 - t1, "totalS": t2 - t0, "sums": {k: float(v.sum()) for k, v in result.items()}}))
