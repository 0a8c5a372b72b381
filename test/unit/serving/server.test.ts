// mlw serve's server, on saved bundles: its answers equal mlw predict's to the last bit (one row,
// many, MLflow's five request shapes), bad input gets 400/405/413/415/422 naming what is wrong
// and never a stack, a fuzz loop leaves it answering, the prediction log holds one documented
// line per prediction, readyz waits for the model, and a lag model asks for its history by name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Papa from 'papaparse';
import { loadCsv } from '../../../src/core/csv/load';
import { Predictor } from '../../../src/core/serving/predictor';
import { PREDICTION_LOG_VERSION, RunningServer, startServer } from '../../../src/core/serving/server';
import { MlflowStore } from '../../../src/core/tracking/mlflowStore';
import { loadBundle } from '../../../src/core/workflow/bundle';
import { predictFrame } from '../../../src/core/workflow/predict';
import { train } from '../../../src/core/workflow/train';
import { dataset, FIXTURES } from '../../support/paths';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-serve-'));
const TITANIC_LR = path.join(FIXTURES, 'bundles', 'titanic_lr_v1.bundle.json');
const DIABETES = path.join(FIXTURES, 'bundles', 'diabetes_linear_v1.bundle.json');

/** A CSV's rows as a client sends them: numbers as numbers, empty fields null, only the columns asked for. */
function jsonRows(file: string, columns: string[], numeric: string[], n = Infinity): Record<string, unknown>[] {
  const parsed = Papa.parse<Record<string, string>>(fs.readFileSync(file, 'utf8'), { header: true, skipEmptyLines: true }).data.slice(0, n);
  return parsed.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] === '' ? null : numeric.includes(c) ? Number(r[c]) : r[c]])));
}

async function post(url: string, body: unknown, type = 'application/json', headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': type, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

describe('mlw serve: the REST server', function () {
  this.timeout(120_000);
  let titanic: RunningServer;
  let logFile: string;
  const titanicCsv = dataset('titanic_survival.csv');

  before(async () => {
    logFile = path.join(tmp(), 'predictions.jsonl');
    titanic = await startServer(() => Predictor.load(TITANIC_LR), { port: 0, log: logFile, maxBodyBytes: 256 * 1024 });
    await titanic.ready;
  });
  after(async () => titanic?.close());

  it('POST /predict answers one row and an array of rows in order, exactly as mlw predict computes them', async () => {
    const rows = jsonRows(titanicCsv, ['age', 'sex', 'passengerClass'], ['age']);
    const b = await loadBundle(TITANIC_LR);
    const { pred, proba } = predictFrame(b, await loadCsv(titanicCsv));
    const labels = b.bundle.labels!;
    const many = await post(`${titanic.url}/predict`, rows);
    assert.equal(many.status, 200, many.text);
    assert.equal(many.json.predictions.length, rows.length);
    many.json.predictions.forEach((p: any, i: number) => {
      assert.equal(p.prediction, labels[pred[i]], `row ${i}`);
      assert.deepEqual(p.probabilities, { no: proba![2 * i], yes: proba![2 * i + 1] }, `row ${i}, to the last bit`);
    });
    assert.deepEqual(Object.keys(many.json.model).sort(), ['name', 'runId', 'version']);
    assert.match(many.json.model.version, /^[0-9a-f]{12}$/);
    assert.match(many.json.requestId, /^[0-9a-f-]{36}$/);
    const one = await post(`${titanic.url}/predict`, rows[3], 'application/json', { 'X-Request-Id': 'client-42' });
    assert.deepEqual(one.json.predictions, [many.json.predictions[3]]);
    assert.equal(one.json.requestId, 'client-42');
    assert.equal(one.headers.get('x-request-id'), 'client-42');
    const missing = await post(`${titanic.url}/predict`, { age: null, sex: null, passengerClass: null });
    assert.equal(missing.status, 200, 'null is a missing value, imputed as in training');
  });

  it('a regression model answers values without probabilities', async () => {
    const s = await startServer(() => Predictor.load(DIABETES), { port: 0 });
    try {
      await s.ready;
      const csv = dataset('sklearn_diabetes.csv');
      const header = fs.readFileSync(csv, 'utf8').split('\n')[0].split(',').map((h) => h.replace(/"/g, '')).filter((h) => h !== 'target');
      const rows = jsonRows(csv, header, header, 20);
      const r = await post(`${s.url}/predict`, rows);
      const { pred } = predictFrame(await loadBundle(DIABETES), await loadCsv(csv));
      assert.deepEqual(r.json.predictions, Array.from(pred.slice(0, 20), (v) => ({ prediction: v })));
    } finally {
      await s.close();
    }
  });

  it("POST /invocations takes MLflow's dataframe_split, dataframe_records, instances, inputs and text/csv alike", async () => {
    const rows = jsonRows(titanicCsv, ['age', 'sex', 'passengerClass'], ['age'], 25);
    const expected = (await post(`${titanic.url}/predict`, rows)).json.predictions.map((p: any) => p.prediction);
    const columns = ['age', 'sex', 'passengerClass'];
    const bodies = [
      { dataframe_split: { columns, data: rows.map((r) => columns.map((c) => r[c])) } },
      { dataframe_records: rows },
      { instances: rows },
      { inputs: rows },
      { inputs: Object.fromEntries(columns.map((c) => [c, rows.map((r) => r[c])])) },
    ];
    for (const body of bodies) {
      const r = await post(`${titanic.url}/invocations`, body);
      assert.equal(r.status, 200, `${Object.keys(body)[0]}: ${r.text}`);
      assert.deepEqual(r.json.predictions, expected, Object.keys(body)[0]);
    }
    const csv = [columns.join(','), ...rows.map((r) => columns.map((c) => (r[c] === null ? '' : String(r[c]))).join(','))].join('\n');
    const viaCsv = await post(`${titanic.url}/invocations`, csv, 'text/csv');
    assert.deepEqual(viaCsv.json.predictions, expected, 'text/csv');
    const two = await post(`${titanic.url}/invocations`, { instances: rows, inputs: rows });
    assert.equal(two.status, 400);
    assert.match(two.json.error, /exactly one of .* \(it holds instances, inputs\)/);
    assert.equal((await post(`${titanic.url}/invocations`, 'x', 'text/plain')).status, 415);
  });

  it('bad input: 400 for malformed JSON, 422 naming every absent, extra or mistyped field by row, a warning for an unseen category, 413 past the limit, 404 and 405; never a stack', async () => {
    const bad = await post(`${titanic.url}/predict`, '{"age": 3,');
    assert.equal(bad.status, 400);
    assert.match(bad.json.error, /^malformed JSON/);
    const r = await post(`${titanic.url}/predict`, [{ age: 30, sex: 'male', passengerClass: '1st' }, { age: 'old', sex: 'male', cabin: 'C85' }, 7]);
    assert.equal(r.status, 422, r.text);
    assert.deepEqual(r.json.problems.map((p: any) => [p.row, p.field]), [[1, 'passengerClass'], [1, 'cabin'], [2, '(row)'], [1, 'age']]);
    assert.match(r.json.problems[3].problem, /must be a number or null, not string "old"/);
    assert.match(r.json.problems[0].problem, /missing \(send null for a missing value\)/);
    assert.match(r.json.problems[1].problem, /not a column the model reads/);
    const unseen = await post(`${titanic.url}/predict`, { age: 30, sex: 'unknown', passengerClass: '4th' });
    assert.equal(unseen.status, 200);
    assert.equal(unseen.json.warnings.length, 2);
    assert.match(unseen.json.warnings[0], /column "sex": "unknown" never seen in training; predicted as unknown/);
    const big = await post(`${titanic.url}/predict`, Array.from({ length: 8000 }, () => ({ age: 30, sex: 'male', passengerClass: '1st' })));
    assert.equal(big.status, 413);
    assert.match(big.json.error, /limit is 262144/);
    assert.equal((await fetch(`${titanic.url}/predict`)).status, 405);
    const nowhere = await fetch(`${titanic.url}/nowhere`);
    assert.equal(nowhere.status, 404);
    for (const res of [bad, r, big]) assert.ok(!/\bat \S+ \(|node:internal|\.ts:\d/.test(res.text), `no stack: ${res.text.slice(0, 200)}`);
  });

  it('a fuzz loop of random bodies: every answer is 200, 400, 413, 415 or 422, and the server still answers', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    const values = [null, 0, -1, 1e308, 'male', '', '1st', true, [], {}, 'x'.repeat(300), '\u0000', NaN];
    const randomValue = (depth = 0): unknown => (depth < 2 && rand() < 0.2 ? (rand() < 0.5 ? [randomValue(depth + 1)] : { [pick(['age', 'sex', '__proto__', 'constructor'])]: randomValue(depth + 1) }) : pick(values));
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      let body: string;
      const k = rand();
      if (k < 0.3) body = JSON.stringify({ age: randomValue(), sex: randomValue(), passengerClass: randomValue(), ...(rand() < 0.3 ? { extra: randomValue() } : {}) });
      else if (k < 0.5) body = JSON.stringify(Array.from({ length: Math.floor(rand() * 4) }, () => ({ age: randomValue(), sex: pick(['male', 'female', null]), passengerClass: randomValue() })));
      else if (k < 0.7) body = JSON.stringify(randomValue());
      else body = Array.from({ length: Math.floor(rand() * 50) }, () => String.fromCharCode(Math.floor(rand() * 128))).join('');
      const route = rand() < 0.7 ? '/predict' : '/invocations';
      const res = await post(`${titanic.url}${route}`, body, rand() < 0.9 ? 'application/json' : 'text/csv');
      assert.ok([200, 400, 413, 415, 422].includes(res.status), `${route} ${body.slice(0, 80)} → ${res.status} ${res.text.slice(0, 200)}`);
      seen.add(res.status);
    }
    assert.ok(seen.has(200) && seen.has(400) && seen.has(422), [...seen].join());
    assert.equal((await fetch(`${titanic.url}/health`)).status, 200);
  });

  it('health, metadata, openapi.json, docs and metrics describe the model and count what it answered', async () => {
    assert.deepEqual(await (await fetch(`${titanic.url}/health`)).json(), { status: 'ok' });
    assert.equal((await fetch(`${titanic.url}/livez`)).status, 200);
    const meta: any = await (await fetch(`${titanic.url}/metadata`)).json();
    assert.equal(meta.task, 'classification');
    assert.deepEqual(meta.classes, ['no', 'yes']);
    assert.deepEqual(meta.input.map((f: any) => `${f.name}:${f.kind}`), ['age:numeric', 'sex:categorical', 'passengerClass:categorical']);
    assert.deepEqual(meta.input[1].categories, ['female', 'male']);
    const api: any = await (await fetch(`${titanic.url}/openapi.json`)).json();
    assert.equal(api.openapi, '3.0.3');
    assert.deepEqual(api.components.schemas.Row.required, ['age', 'sex', 'passengerClass']);
    assert.equal(api.components.schemas.Row.properties.age.type, 'number');
    const docs = await fetch(`${titanic.url}/docs`);
    const csp = docs.headers.get('content-security-policy')!;
    assert.match(csp, /^default-src 'none'; style-src 'nonce-[A-Za-z0-9+/=]+'$/, 'no unsafe-inline: the page\'s style by its nonce');
    const page = await docs.clone().text();
    assert.ok(page.includes(`<style nonce="${/nonce-([^']+)/.exec(csp)![1]}">`));
    assert.match(await docs.text(), /curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/predict/);
    const metrics = await (await fetch(`${titanic.url}/metrics`)).text();
    assert.match(metrics, /^mlw_requests_total\{route="\/predict",status="200"\} \d+$/m);
    assert.match(metrics, /^mlw_requests_total\{route="\/predict",status="422"\} \d+$/m);
    assert.match(metrics, /^mlw_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
    assert.match(metrics, /^mlw_predictions_total\{class="yes"\} \d+$/m);
  });

  it('every prediction is one JSON line in the log: request id, time, model, inputs, outputs, latency', async () => {
    const before = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).length;
    const r = await post(`${titanic.url}/predict`, [{ age: 22, sex: 'female', passengerClass: '2nd' }, { age: null, sex: 'male', passengerClass: '3rd' }], 'application/json', { 'X-Request-Id': 'log-test' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).slice(before).map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    for (const [i, line] of lines.entries()) {
      assert.deepEqual(Object.keys(line), ['v', 'requestId', 'row', 'timestamp', 'model', 'route', 'inputs', 'outputs', 'latencyMs']);
      assert.equal(line.v, PREDICTION_LOG_VERSION);
      assert.equal(line.requestId, 'log-test');
      assert.equal(line.row, i);
      assert.ok(!Number.isNaN(Date.parse(line.timestamp)));
      assert.equal(line.model.version, r.json.model.version);
      assert.deepEqual(line.outputs, r.json.predictions[i]);
      assert.ok(line.latencyMs > 0 && line.latencyMs < 10_000);
    }
    assert.deepEqual(lines[1].inputs, { age: null, sex: 'male', passengerClass: '3rd' });
  });

  it('readyz answers 503 until the model is loaded, and /predict 503 with it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = await startServer(async () => {
      await gate;
      return Predictor.load(TITANIC_LR);
    }, { port: 0 });
    try {
      assert.equal((await fetch(`${s.url}/readyz`)).status, 503);
      assert.equal((await fetch(`${s.url}/health`)).status, 200, 'alive while loading');
      assert.equal((await post(`${s.url}/predict`, {})).status, 503);
      release();
      await s.ready;
      assert.equal((await fetch(`${s.url}/readyz`)).status, 200);
    } finally {
      await s.close();
    }
  });

  it('a model with lag and rolling steps answers a row without its history 422 naming those columns; with them, as in training', async () => {
    const dir = tmp();
    const weather = dataset('vega_seattle_weather.csv');
    const features = [{ type: 'lag', column: 'temp_max', lags: [1, 2], orderBy: 'date' }, { type: 'rolling', column: 'precipitation', window: 3, stats: ['mean'], orderBy: 'date' }];
    const [r] = (await train({ kind: 'train', data: weather, target: 'weather', models: ['lr'], cv: 0, features }, new MlflowStore(path.join(dir, 'mlruns')))).results;
    assert.equal(r.status, 'FINISHED', r.error);
    const s = await startServer(() => Predictor.load(r.bundle!), { port: 0 });
    try {
      await s.ready;
      const row = { date: '2015-06-01', precipitation: 0, temp_max: 21.1, temp_min: 11.7, wind: 3.2 };
      const refused = await post(`${s.url}/predict`, row);
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.json.problems.map((p: any) => p.field), ['temp_max_lag_1', 'temp_max_lag_2', 'precipitation_rolling_3_mean']);
      assert.match(refused.json.problems[0].problem, /the model reads earlier rows for it \(a lag\), so a single row must carry it/);
      // The same row with its history, as the engineered file has it, predicts as mlw predict did on the whole file.
      const b = await loadBundle(r.bundle!);
      const frame = await loadCsv(weather);
      const engineered = b.features.transform(frame);
      const at = (name: string, i: number) => (engineered.columns.find((c) => c.name === name) as { values: Float64Array }).values[i];
      const i = 200;
      const full = { date: new Date(at('date', i)).toISOString(), precipitation: at('precipitation', i), temp_max: at('temp_max', i), temp_min: at('temp_min', i), wind: at('wind', i), temp_max_lag_1: at('temp_max_lag_1', i), temp_max_lag_2: at('temp_max_lag_2', i), precipitation_rolling_3_mean: at('precipitation_rolling_3_mean', i) };
      const ok = await post(`${s.url}/predict`, full);
      assert.equal(ok.status, 200, ok.text);
      const { pred, proba } = predictFrame(b, frame);
      const k = b.bundle.labels!.length;
      assert.equal(ok.json.predictions[0].prediction, b.bundle.labels![pred[i]]);
      assert.deepEqual(Object.values(ok.json.predictions[0].probabilities), Array.from(proba!.slice(i * k, (i + 1) * k)));
    } finally {
      await s.close();
    }
  });
});
