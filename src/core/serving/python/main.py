"""The model's REST API (FastAPI), written by ML Workbench's `mlw scaffold --target fastapi`.

Same endpoints and answers as `mlw serve`: POST /predict (a row or a list of rows), POST
/invocations (MLflow's scoring protocol), /health, /livez, /readyz, /metadata, /metrics; FastAPI
adds /docs and /openapi.json. Inference is app/mlw_runtime.py on NumPy, reading model/bundle.json.
The request model (schema.py) is generated from the bundle: one typed field per column.
"""
import csv
import io
import json
import os
import time
import uuid
from typing import List, Union

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse

from .mlw_runtime import Bundle, RowProblems
from .schema import MODEL, Row

HERE = os.path.dirname(os.path.abspath(__file__))
BUNDLE_PATH = os.environ.get("MLW_BUNDLE", os.path.join(HERE, "..", "model", "bundle.json"))
LOG_PATH = os.environ.get("MLW_PREDICTION_LOG")
MAX_BODY = int(os.environ.get("MLW_MAX_BODY_BYTES", str(10 * 1024 * 1024)))

app = FastAPI(title=f"{MODEL['name']}", version=MODEL["version"], description="Served by a scaffold from ML Workbench.")
state = {"bundle": None}
BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
counters = {"requests": {}, "predictions": {}, "latency_sum": 0.0, "latency_count": 0, "buckets": [0] * len(BUCKETS)}


@app.on_event("startup")
def load_model():
    state["bundle"] = Bundle(BUNDLE_PATH)


def _problems_response(problems, request_id):
    return JSONResponse(status_code=422, content={"error": "the rows do not fit the model's input", "problems": problems, "requestId": request_id})


@app.exception_handler(RequestValidationError)
async def validation_error(request: Request, exc: RequestValidationError):
    request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
    # Malformed JSON is a 400, as mlw serve answers it; rows that do not fit the model are 422.
    bad_json = [e for e in exc.errors() if e.get("type") == "value_error.jsondecode"]
    if bad_json:
        return JSONResponse(status_code=400, content={"error": f"malformed JSON: {bad_json[0].get('msg')}", "requestId": request_id})
    problems = []
    # A body of rows fails both branches of Union[List[Row], Row]: keep the errors of its own shape.
    as_list = isinstance(getattr(exc, "body", None), list)
    errors = [e for e in exc.errors() if as_list == (len(e["loc"]) > 1 and isinstance(e["loc"][1], int))] or exc.errors()
    for e in errors:
        loc = [x for x in e["loc"] if x != "body"]
        row = loc[0] if loc and isinstance(loc[0], int) else 0
        field = next((str(x) for x in loc if not isinstance(x, int)), "(row)")
        problems.append({"row": row, "field": field, "problem": e["msg"]})
    return _problems_response(problems, request_id)


@app.middleware("http")
async def count_and_limit(request: Request, call_next):
    started = time.perf_counter()
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY:
        response = JSONResponse(status_code=413, content={"error": f"the body is {length} bytes; the limit is {MAX_BODY}"})
    else:
        response = await call_next(request)
    route = request.url.path
    key = (route, response.status_code)
    counters["requests"][key] = counters["requests"].get(key, 0) + 1
    seconds = time.perf_counter() - started
    counters["latency_sum"] += seconds
    counters["latency_count"] += 1
    for i, le in enumerate(BUCKETS):
        if seconds <= le:
            counters["buckets"][i] += 1
    return response


def _predict(rows, route, request_id, started):
    bundle = state["bundle"]
    predictions, warnings = bundle.predict(rows)
    for p in predictions:
        key = p["prediction"] if isinstance(p["prediction"], str) else "value"
        counters["predictions"][key] = counters["predictions"].get(key, 0) + 1
    if LOG_PATH:
        latency = (time.perf_counter() - started) * 1000
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"
        model = {k: MODEL[k] for k in ("runId", "version") if k in MODEL}
        with open(LOG_PATH, "a", encoding="utf-8") as f:
            for i, p in enumerate(predictions):
                f.write(json.dumps({"v": 1, "requestId": request_id, "row": i, "timestamp": stamp, "model": model, "route": route, "inputs": rows[i], "outputs": p, "latencyMs": latency}) + "\n")
    return predictions, warnings


@app.post("/predict")
def predict(body: Union[List[Row], Row], request: Request):
    started = time.perf_counter()
    request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
    rows = [r.dict(by_alias=True) for r in (body if isinstance(body, list) else [body])]
    rows = [{k: (v.value if hasattr(v, "value") else v) for k, v in r.items()} for r in rows]
    try:
        predictions, warnings = _predict(rows, "/predict", request_id, started)
    except RowProblems as e:
        return _problems_response(e.problems, request_id)
    answer = {"predictions": predictions, "model": MODEL, "requestId": request_id}
    if warnings:
        answer["warnings"] = warnings
    return JSONResponse(answer, headers={"X-Request-Id": request_id})


def _invocation_rows(body):
    keys = [k for k in ("dataframe_split", "dataframe_records", "instances", "inputs") if k in body]
    if len(keys) != 1:
        raise ValueError("the body must hold exactly one of dataframe_split, dataframe_records, instances or inputs")
    value = body[keys[0]]
    if keys[0] == "dataframe_split":
        return [dict(zip(value["columns"], r)) for r in value["data"]]
    if isinstance(value, dict):
        names = list(value)
        return [dict(zip(names, vals)) for vals in zip(*[value[n] for n in names])]
    return value


def _csv_rows(text, fields):
    kinds = {f["name"]: f["kind"] for f in fields}
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = []
    for r in reader:
        row = {}
        for h, v in zip(header, r):
            t = v.strip()
            if t == "":
                row[h] = None
            elif kinds.get(h) == "numeric":
                try:
                    row[h] = float(t)
                except ValueError:
                    row[h] = t
            elif kinds.get(h) == "boolean":
                row[h] = t.lower() == "true" if t.lower() in ("true", "false") else t
            else:
                row[h] = v
        rows.append(row)
    return rows


@app.post("/invocations")
async def invocations(request: Request):
    started = time.perf_counter()
    request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
    text = (await request.body()).decode("utf-8")
    kind = request.headers.get("content-type", "")
    try:
        if kind.startswith("text/csv"):
            rows = _csv_rows(text, state["bundle"].fields)
        elif kind.startswith("application/json"):
            rows = _invocation_rows(json.loads(text))
        else:
            return JSONResponse(status_code=415, content={"error": "send application/json or text/csv"})
    except (ValueError, KeyError, TypeError, StopIteration) as e:
        return JSONResponse(status_code=400, content={"error": str(e), "requestId": request_id})
    try:
        predictions, warnings = _predict(rows, "/invocations", request_id, started)
    except RowProblems as e:
        return _problems_response(e.problems, request_id)
    return {"predictions": [p["prediction"] for p in predictions], **({"warnings": warnings} if warnings else {})}


@app.get("/health")
@app.get("/livez")
def health():
    return {"status": "ok"}


@app.get("/readyz")
def readyz():
    if state["bundle"] is None:
        return JSONResponse(status_code=503, content={"status": "loading"})
    return {"status": "ready", "model": MODEL}


@app.get("/metadata")
def metadata():
    b = state["bundle"]
    return {"model": MODEL, "task": b.task, "target": b.target, "classes": b.labels, "input": b.fields, "trainingMetrics": MODEL_METRICS}


@app.get("/metrics", response_class=PlainTextResponse)
def metrics():
    lines = ["# TYPE mlw_requests_total counter"]
    for (route, status), n in counters["requests"].items():
        lines.append(f'mlw_requests_total{{route="{route}",status="{status}"}} {n}')
    lines.append("# TYPE mlw_request_duration_seconds histogram")
    lines += [f'mlw_request_duration_seconds_bucket{{le="{le}"}} {n}' for le, n in zip(BUCKETS, counters["buckets"])]
    lines += [f'mlw_request_duration_seconds_bucket{{le="+Inf"}} {counters["latency_count"]}', f"mlw_request_duration_seconds_sum {counters['latency_sum']}", f"mlw_request_duration_seconds_count {counters['latency_count']}"]
    lines.append("# TYPE mlw_predictions_total counter")
    for c, n in counters["predictions"].items():
        lines.append(f'mlw_predictions_total{{class="{c}"}} {n}')
    return "\n".join(lines) + "\n"


with open(os.path.join(os.path.dirname(BUNDLE_PATH), "metrics.json"), encoding="utf-8") if os.path.exists(os.path.join(os.path.dirname(BUNDLE_PATH), "metrics.json")) else io.StringIO("{}") as _f:
    MODEL_METRICS = json.load(_f)
