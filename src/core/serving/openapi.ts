// The server's OpenAPI 3.0 description, generated from the bundle's input schema (one property per
// column: numbers, true/false, categories as strings with the known ones listed, times as ISO
// strings), and the /docs page that renders it as HTML with no script and nothing fetched.
import type { Predictor } from './predictor';
import type { ServingField } from './rows';

function fieldSchema(f: ServingField): Record<string, unknown> {
  const nullable = { nullable: true };
  if (f.kind === 'numeric') return { type: 'number', ...nullable, ...(f.history ? { description: 'computed from earlier rows at training (lag or rolling window): send it with the row' } : {}) };
  if (f.kind === 'boolean') return { type: 'boolean', ...nullable };
  if (f.kind === 'datetime') return { type: 'string', format: 'date-time', ...nullable, description: 'ISO 8601, UTC unless it carries an offset; or epoch milliseconds' };
  // Categories are listed, not an enum: an unseen one is predicted (as unknown) and named in warnings.
  return { type: 'string', ...nullable, ...(f.categories ? { 'x-categories': f.categories, example: f.categories[0] } : {}) };
}

export function openApi(p: Predictor): Record<string, unknown> {
  const row = { type: 'object', additionalProperties: false, required: p.fields.map((f) => f.name), properties: Object.fromEntries(p.fields.map((f) => [f.name, fieldSchema(f)])) };
  const prediction = {
    type: 'object', required: ['prediction'],
    properties: {
      prediction: p.labels ? { type: 'string', enum: p.labels } : { type: 'number' },
      ...(p.labels ? { probabilities: { type: 'object', properties: Object.fromEntries(p.labels.map((l) => [l, { type: 'number' }])) } } : {}),
    },
  };
  const error = { type: 'object', properties: { error: { type: 'string' }, problems: { type: 'array', items: { type: 'object', properties: { row: { type: 'integer' }, field: { type: 'string' }, problem: { type: 'string' } } } }, requestId: { type: 'string' } } };
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const errors = {
    400: { description: 'Malformed JSON, or a body that is not rows', content: json(error) },
    413: { description: 'Body over the size limit', content: json(error) },
    422: { description: 'A field absent, extra or of the wrong type, each named by row', content: json(error) },
    503: { description: 'The model is still loading', content: json(error) },
  };
  return {
    openapi: '3.0.3',
    info: { title: `ML Workbench model server: ${p.model.name}`, version: p.model.version, description: `Predicts "${p.loaded.bundle.target}" (${p.task}).${p.model.runId ? ` Trained in run ${p.model.runId}.` : ''}` },
    paths: {
      '/predict': {
        post: {
          summary: 'Predict one row or an array of rows',
          requestBody: { required: true, content: json({ oneOf: [{ $ref: '#/components/schemas/Row' }, { type: 'array', items: { $ref: '#/components/schemas/Row' } }] }) },
          responses: {
            200: { description: 'Predictions in row order', content: json({ type: 'object', properties: { predictions: { type: 'array', items: { $ref: '#/components/schemas/Prediction' } }, model: { type: 'object' }, requestId: { type: 'string' }, warnings: { type: 'array', items: { type: 'string' } } } }) },
            ...errors,
          },
        },
      },
      '/invocations': {
        post: {
          summary: "MLflow's scoring protocol: dataframe_split, dataframe_records, instances, inputs, or text/csv",
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } } } },
          responses: { 200: { description: 'MLflow\'s answer: {"predictions": [...]}', content: json({ type: 'object' }) }, ...errors },
        },
      },
      '/health': { get: { summary: 'Alive', responses: { 200: { description: 'ok' } } } },
      '/livez': { get: { summary: 'Alive', responses: { 200: { description: 'ok' } } } },
      '/readyz': { get: { summary: 'Ready to predict', responses: { 200: { description: 'the model is loaded' }, 503: { description: 'still loading' } } } },
      '/metadata': { get: { summary: 'The model: input schema, classes, training metrics, run id', responses: { 200: { description: 'metadata', content: json({ type: 'object' }) } } } },
      '/metrics': { get: { summary: "Prometheus' text format", responses: { 200: { description: 'metrics', content: { 'text/plain': { schema: { type: 'string' } } } } } } },
    },
    components: { schemas: { Row: row, Prediction: prediction } },
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** /docs: the endpoints and the row's fields, as a page (no script; the server's CSP allows only this page's own style, by its nonce). */
export function docsPage(p: Predictor, base: string, nonce: string): string {
  const example = Object.fromEntries(p.fields.map((f) => [f.name, f.kind === 'numeric' ? 0 : f.kind === 'boolean' ? false : f.kind === 'datetime' ? '2024-01-01T00:00:00Z' : f.categories?.[0] ?? '']));
  const rows = p.fields.map((f) => `<tr><td><code>${escape(f.name)}</code></td><td>${f.kind}${f.history ? ' (from earlier rows: send it)' : ''}</td><td>${f.categories ? escape(f.categories.slice(0, 30).join(', ')) + (f.categories.length > 30 ? ', …' : '') : ''}</td></tr>`).join('');
  const curl = `curl -s -X POST ${base}/predict -H 'Content-Type: application/json' -d '${JSON.stringify(example).replace(/'/g, "'\\''")}'`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(p.model.name)}: API</title>
<style nonce="${nonce}">body{font:14px/1.5 system-ui,sans-serif;margin:2em;max-width:60em}code,pre{font:13px ui-monospace,monospace}pre{background:#f4f4f4;padding:1em;overflow:auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}</style></head>
<body><h1>${escape(p.model.name)}</h1><p>Predicts <b>${escape(p.loaded.bundle.target)}</b> (${p.task}${p.labels ? `: ${escape(p.labels.join(', '))}` : ''}). Model version ${p.model.version}${p.model.runId ? `, run ${escape(p.model.runId)}` : ''}. The machine-readable description is <a href="openapi.json">/openapi.json</a>.</p>
<h2>Endpoints</h2><ul><li><code>POST /predict</code>: one row (an object) or an array of rows; answers predictions in row order${p.labels ? ' with class probabilities' : ''}.</li>
<li><code>POST /invocations</code>: MLflow's scoring protocol (dataframe_split, dataframe_records, instances, inputs, text/csv).</li>
<li><code>GET /health</code>, <code>/livez</code>, <code>/readyz</code>, <code>/metadata</code>, <code>/metrics</code> (Prometheus).</li></ul>
<h2>A row's fields</h2><p>Every field is required; <code>null</code> is a missing value, filled as in training. Unknown fields are refused.</p>
<table><tr><th>field</th><th>kind</th><th>categories seen in training</th></tr>${rows}</table>
<h2>Try it</h2><pre>${escape(curl)}</pre></body></html>`;
}
