# The pandas a data scientist would write for bench:monitor: the log read in chunks of 200,000
# lines (read_json(lines=True) whole would need many times the file's size), hourly windows, request
# counts, latency p50/p95/p99, and accuracy against the labels. Prints seconds and max RSS.
import json, resource, sys, time
import pandas as pd

log, labels = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
lab = pd.read_csv(labels, dtype={'request_id': str, 'survived': str}).set_index('request_id')['survived']
parts = []
for chunk in pd.read_json(log, lines=True, chunksize=200_000):
    c = pd.DataFrame({'t': pd.to_datetime(chunk['timestamp']).dt.floor('1h'), 'lat': chunk['latencyMs'], 'pred': chunk['outputs'].map(lambda o: o['prediction']), 'id': chunk['requestId']})
    c['label'] = c['id'].map(lab)
    parts.append(c[['t', 'lat', 'pred', 'label']])
df = pd.concat(parts)
g = df.groupby('t')
out = pd.DataFrame({'requests': g.size(), 'p50': g['lat'].quantile(0.5), 'p95': g['lat'].quantile(0.95), 'p99': g['lat'].quantile(0.99)})
known = df[df['label'].notna()]
out['accuracy'] = (known['pred'] == known['label']).groupby(known['t']).mean()
seconds = time.perf_counter() - t0
print(json.dumps({'seconds': seconds, 'maxRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'windows': len(out), 'accuracy0': float(out['accuracy'].iloc[0]), 'p95': float(out['p95'].iloc[0])}))
