// One server of `npm run bench:http`: the same Predictor behind Node's plain http (mlw serve's
// startServer) or behind fastify with its JSON-schema validation and serialisation, on a port it
// prints as JSON. bench/http.mjs loads each in turn; this is the measurement behind serving on
// plain http (see src/core/serving/server.ts).
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { ServerMetrics } from '../src/core/serving/metrics';
import { Predictor } from '../src/core/serving/predictor';
import { InputProblems } from '../src/core/serving/rows';
import { startServer } from '../src/core/serving/server';

(async () => {
  const [kind, bundle] = process.argv.slice(2);
  if (kind === 'plain') {
    const s = await startServer(() => Predictor.load(bundle), { port: 0 });
    await s.ready;
    process.stdout.write(JSON.stringify({ url: s.url }) + '\n');
    return;
  }
  const p = await Predictor.load(bundle);
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  const row = { type: 'object', additionalProperties: false, required: p.fields.map((f) => f.name), properties: Object.fromEntries(p.fields.map((f) => [f.name, { type: [f.kind === 'numeric' ? 'number' : f.kind === 'boolean' ? 'boolean' : 'string', 'null'] }])) };
  // The same work per request as mlw serve's: a request id, the metrics, the predictor.
  const metrics = new ServerMetrics();
  app.addHook('onResponse', async (req, reply) => metrics.request(req.routeOptions.url ?? 'other', reply.statusCode, reply.elapsedTime / 1000));
  app.post('/predict', { schema: { body: { oneOf: [row, { type: 'array', items: row }] } } }, async (req, reply) => {
    const rows = Array.isArray(req.body) ? req.body : [req.body];
    try {
      const { predictions, warnings } = p.predict(rows);
      for (const x of predictions) metrics.predicted(String(x.prediction));
      return { predictions, model: p.model, requestId: randomUUID(), ...(warnings.length ? { warnings } : {}) };
    } catch (e) {
      if (e instanceof InputProblems) return reply.code(422).send({ error: e.message, problems: e.problems });
      throw e;
    }
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` }) + '\n');
})();
