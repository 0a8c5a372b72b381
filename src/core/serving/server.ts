// mlw serve: a REST server for one bundle on Node's own http module. Plain http, not a framework:
// the routes are nine and fixed, validation is the bundle's schema (rows.ts), and OpenAPI is
// generated from that schema (openapi.ts), which is what a framework would have given us. Measured
// (npm run bench:http, the same predictor, request ids and metrics, titanic's forest, one row,
// concurrency 10, medians of 3 rounds): plain http 12,554 requests/s, fastify 11,266 (1.11×).
// Bad input never crashes it or shows a stack: malformed JSON 400, a body over the limit 413, rows
// the model cannot read 422 naming every field and row, anything unexpected 500 with a request id.
// Each prediction can be logged as one JSON line (format in the README, version in "v"). Several
// bundles can answer as A/B variants (variants.ts): each request goes to one by a hash of its key,
// the answer and every log line name the variant.
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServerMetrics } from './metrics';
import { docsPage, openApi } from './openapi';
import type { Predictor, RowPrediction } from './predictor';
import { BadRequest, csvRows, invocationRows, predictRows } from './protocol';
import { InputProblems } from './rows';
import { VariantRouter } from './variants';

/** The prediction log's format version: each line carries it as "v". */
export const PREDICTION_LOG_VERSION = 1;

/** One line of the prediction log. */
export interface PredictionLogLine {
  v: typeof PREDICTION_LOG_VERSION;
  requestId: string;
  /** The row's position in its request. */
  row: number;
  timestamp: string;
  model: { runId?: string; version: string };
  route: '/predict' | '/invocations';
  inputs: Record<string, unknown>;
  outputs: RowPrediction;
  /** The whole request's time in the server, in milliseconds. */
  latencyMs: number;
  /** The A/B variant that answered, when the server has several. */
  variant?: string;
}

export interface ServeOptions {
  port?: number;
  host?: string;
  /** Append each prediction as a JSON line here. */
  log?: string;
  /** The largest body read, in bytes (413 above it). */
  maxBodyBytes?: number;
  /** The most rows one request may hold (413 above it). */
  maxRows?: number;
}

export const DEFAULT_MAX_BODY = 10 * 1024 * 1024;
export const DEFAULT_MAX_ROWS = 100_000;

class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
    super(message);
  }
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new HttpError(413, `the body is ${declared} bytes; the limit is ${limit}`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new HttpError(413, `the body is over the limit of ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `malformed JSON: ${(e as Error).message}`);
  }
}

export interface RunningServer {
  server: http.Server;
  url: string;
  /** Resolves when the model is loaded (readyz answers 200 from then on). */
  ready: Promise<Predictor>;
  close(): Promise<void>;
}

/**
 * Listens first, then loads the model (readyz is 503 until it is), so that an orchestrator sees the
 * process alive at once. `load` rejects for a bad bundle: the caller stops the server then. It gives
 * one model, or A/B variants behind a router.
 */
export async function startServer(load: () => Promise<Predictor | VariantRouter>, o: ServeOptions = {}): Promise<RunningServer> {
  const limit = o.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const maxRows = o.maxRows ?? DEFAULT_MAX_ROWS;
  const metrics = new ServerMetrics();
  const log = o.log ? fs.createWriteStream(o.log, { flags: 'a' }) : undefined;
  log?.on('error', (e) => process.stderr.write(`mlw serve: the prediction log ${o.log}: ${e.message}\n`));
  let predictor: Predictor | undefined;
  let router: VariantRouter | undefined;

  const predict = (rows: unknown[], route: PredictionLogLine['route'], requestId: string, started: bigint, req: http.IncomingMessage) => {
    if (!predictor || !router) throw new HttpError(503, 'the model is still loading');
    if (rows.length > maxRows) throw new HttpError(413, `${rows.length} rows in one request; the limit is ${maxRows}`);
    const variant = router.choose(router.keyOf(requestId, rows[0], (name) => {
      const h = req.headers[name.toLowerCase()];
      return typeof h === 'string' ? h : undefined;
    }));
    const chosen = variant.predictor;
    // The routing key field, when the model does not read it, is logged but not sent to the model.
    const key = router.key;
    const modelRows = key && !chosen.fields.some((f) => f.name === key) ? rows.map((r) => {
      if (!r || typeof r !== 'object' || Array.isArray(r)) return r;
      const { [key]: _key, ...rest } = r as Record<string, unknown>;
      return rest;
    }) : rows;
    let result;
    try {
      result = chosen.predict(modelRows);
    } catch (e) {
      if (e instanceof InputProblems) throw new HttpError(422, `the rows do not fit the model's input: ${e.message}`, { problems: e.problems });
      throw e;
    }
    for (const p of result.predictions) metrics.predicted(typeof p.prediction === 'string' ? p.prediction : 'value');
    if (log) {
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      const timestamp = new Date().toISOString();
      const model = { ...(chosen.model.runId ? { runId: chosen.model.runId } : {}), version: chosen.model.version };
      const named = router.isAB ? { variant: variant.name } : {};
      log.write(result.predictions.map((outputs, row): string => JSON.stringify({ v: PREDICTION_LOG_VERSION, requestId, row, timestamp, model, route, inputs: rows[row] as Record<string, unknown>, outputs, latencyMs, ...named } satisfies PredictionLogLine)).join('\n') + '\n');
    }
    return { ...result, model: chosen.model, ...(router.isAB ? { variant: variant.name } : {}) };
  };

  const route = async (req: http.IncomingMessage, requestId: string, started: bigint): Promise<{ status: number; body: unknown; type?: string; csp?: string }> => {
    // The path without its query: new URL() per request cost about 10% of a one-row answer.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const p = q < 0 ? raw : raw.slice(0, q);
    const method = req.method ?? 'GET';
    const only = (m: string) => {
      if (method !== m) throw new HttpError(405, `${p} answers ${m}, not ${method}`);
    };
    switch (p) {
      case '/health':
      case '/livez':
        only('GET');
        return { status: 200, body: { status: 'ok' } };
      case '/readyz':
        only('GET');
        return predictor ? { status: 200, body: { status: 'ready', model: predictor.model } } : { status: 503, body: { status: 'loading' } };
      case '/metrics':
        only('GET');
        return { status: 200, body: metrics.text(), type: 'text/plain; version=0.0.4; charset=utf-8' };
    }
    if (!predictor) {
      if (['/predict', '/invocations', '/metadata', '/openapi.json', '/docs'].includes(p)) throw new HttpError(503, 'the model is still loading');
      throw new HttpError(404, `no route ${p}`);
    }
    switch (p) {
      case '/predict': {
        only('POST');
        const type = String(req.headers['content-type'] ?? 'application/json');
        if (!/^application\/json\b|^$/.test(type)) throw new HttpError(415, `send JSON (Content-Type: application/json), not ${type}`);
        const rows = predictRows(parseJson(await readBody(req, limit)));
        const { predictions, warnings, model, variant } = predict(rows, '/predict', requestId, started, req);
        return { status: 200, body: { predictions, model, ...(variant !== undefined ? { variant } : {}), requestId, ...(warnings.length ? { warnings } : {}) } };
      }
      case '/invocations': {
        only('POST');
        const type = String(req.headers['content-type'] ?? '');
        const text = await readBody(req, limit);
        const rows = /^text\/csv\b/.test(type) ? csvRows(text, predictor.fields) : /^application\/json\b/.test(type) ? invocationRows(parseJson(text)) : (() => {
          throw new HttpError(415, `send application/json (MLflow's scoring protocol) or text/csv, not ${type || 'no Content-Type'}`);
        })();
        const { predictions, warnings } = predict(rows, '/invocations', requestId, started, req);
        return { status: 200, body: { predictions: predictions.map((x) => x.prediction), ...(warnings.length ? { warnings } : {}) } };
      }
      case '/metadata':
        only('GET');
        return {
          status: 200, body: {
            model: predictor.model, task: predictor.task, target: predictor.loaded.bundle.target, classes: predictor.labels ?? null,
            input: predictor.fields, trainingMetrics: predictor.trainingMetrics(), createdAt: predictor.loaded.bundle.createdAt, source: predictor.loaded.bundle.source ?? null,
            predictionLog: { version: PREDICTION_LOG_VERSION, enabled: Boolean(log) },
            ...(router?.isAB ? { variants: router.variants.map((v) => ({ name: v.name, share: v.share, model: v.predictor.model })), routingKey: router.key ?? 'the request id (X-Request-Id)' } : {}),
          },
        };
      case '/openapi.json':
        only('GET');
        return { status: 200, body: openApi(predictor) };
      case '/docs': {
        only('GET');
        const host = String(req.headers.host ?? 'localhost');
        const nonce = randomBytes(16).toString('base64');
        return { status: 200, body: docsPage(predictor, `http://${host}`, nonce), type: 'text/html; charset=utf-8', csp: `default-src 'none'; style-src 'nonce-${nonce}'` };
      }
    }
    throw new HttpError(404, `no route ${p} (try /docs)`);
  };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const path = (req.url ?? '/').split('?')[0];
    const known = ['/predict', '/invocations', '/health', '/livez', '/readyz', '/metadata', '/openapi.json', '/docs', '/metrics'].includes(path) ? path : 'other';
    const send = (status: number, body: unknown, type = 'application/json', csp?: string) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'X-Request-Id': requestId,
        ...(csp ? { 'Content-Security-Policy': csp } : {}),
        // After a refused body, the rest of it is not read: the connection closes.
        ...(status === 413 ? { Connection: 'close' } : {}),
      });
      res.end(text);
      metrics.request(known, status, Number(process.hrtime.bigint() - started) / 1e9);
    };
    route(req, requestId, started).then(
      (r) => send(r.status, r.body, r.type, r.csp),
      (e: unknown) => {
        if (e instanceof HttpError) return send(e.status, { error: e.message, ...e.extra, requestId });
        if (e instanceof BadRequest) return send(400, { error: e.message, requestId });
        // Unexpected: logged with its stack here, never sent.
        process.stderr.write(`mlw serve: request ${requestId}: ${e instanceof Error ? e.stack : String(e)}\n`);
        send(500, { error: 'internal error; the server log has the details', requestId });
      },
    ).catch(() => res.destroy());
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 8000, o.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const ready = load().then((p) => {
    router = p instanceof VariantRouter ? p : VariantRouter.single(p);
    return (predictor = router.primary);
  });
  const close = () => new Promise<void>((resolve) => {
    server.close(() => (log ? log.end(() => resolve()) : resolve()));
    server.closeAllConnections();
  });
  return { server, url: `http://${host}:${address.port}`, ready, close };
}
