// mlw serve <bundle>: the REST server (src/core/serving) in the foreground until Ctrl+C or
// SIGTERM, which close it cleanly (in-flight answers sent, the prediction log flushed). It says
// where it listens on stderr once the model is loaded, and with --json prints the address and the
// model as one JSON line on stdout, for a script that started it on --port 0. With --model A=…
// --model B=… [--split B=0.1] [--key FIELD] it serves A/B variants (src/core/serving/variants.ts).
import * as fs from 'node:fs';
import { bundleFileAt } from '../core/workflow/bundle';
import { Predictor } from '../core/serving/predictor';
import { DEFAULT_MAX_BODY, startServer } from '../core/serving/server';
import { parseSplit, VariantRouter } from '../core/serving/variants';
import { flagString, parseCommand, UsageError } from './args';

/** A bundle, its folder, or a run's folder; anything else goes to loadBundle as given, which names its problem. */
export const bundleOf = (where: string): string => bundleFileAt(where) ?? where;

export async function serveCommand(argv: string[]): Promise<void> {
  const { positionals, flags, lists } = parseCommand(argv, ['port', 'host', 'log', 'max-body-mb', 'key'], [], ['model', 'split']);
  const models = lists.get('model') ?? [];
  if (models.length === 0 && positionals.length !== 1) throw new UsageError('serve takes one bundle (a run\'s folder, its artifacts/model folder or bundle.json), or A/B variants as --model A=<bundle> --model B=<bundle>');
  if (models.length && positionals.length) throw new UsageError('serve takes one bundle or --model NAME=<bundle> variants, not both');
  if (models.length === 1) throw new UsageError('an A/B test needs two --model NAME=<bundle> variants at least');
  const variants = models.map((m) => {
    const at = m.indexOf('=');
    if (at <= 0 || !/^[\w.-]+$/.test(m.slice(0, at))) throw new UsageError(`--model takes NAME=<bundle> with a name of letters, digits, _ . - (got "${m}")`);
    return { name: m.slice(0, at), bundle: bundleOf(m.slice(at + 1)) };
  });
  if (new Set(variants.map((v) => v.name)).size !== variants.length) throw new UsageError('each --model needs its own name');
  if (!variants.length && (lists.has('split') || flags.has('key'))) throw new UsageError('--split and --key route between --model variants');
  let shares: Map<string, number> | undefined;
  try {
    shares = variants.length ? parseSplit(variants.map((v) => v.name), lists.get('split') ?? []) : undefined;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const key = flagString(flags, 'key');
  const portText = flagString(flags, 'port') ?? '8000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${portText}")`);
  const mb = Number(flagString(flags, 'max-body-mb') ?? DEFAULT_MAX_BODY / 1024 / 1024);
  if (!(mb > 0)) throw new UsageError('--max-body-mb must be a positive number');
  const host = flagString(flags, 'host') ?? '127.0.0.1';
  const log = flagString(flags, 'log');
  if (log) {
    try {
      fs.appendFileSync(log, '');
    } catch (e) {
      throw new Error(`${log}: cannot write the prediction log: ${(e as Error).message}`);
    }
  }
  const load = variants.length
    ? async () => new VariantRouter(await Promise.all(variants.map(async (v) => ({ name: v.name, share: shares!.get(v.name)!, predictor: await Predictor.load(v.bundle) }))), key)
    : () => Predictor.load(bundleOf(positionals[0]));
  let running;
  try {
    running = await startServer(load, { port, host, log, maxBodyBytes: Math.round(mb * 1024 * 1024) });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is in use; pick another with --port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new Error(`cannot listen on ${host}: no such address here`);
    if (code === 'EACCES') throw new Error(`port ${port} needs privileges; pick one above 1023 with --port`);
    throw e;
  }
  let predictor: Predictor;
  try {
    predictor = await running.ready;
  } catch (e) {
    await running.close();
    throw e;
  }
  const split = variants.length ? ` as A/B variants ${variants.map((v) => `${v.name} ${(100 * shares!.get(v.name)!).toFixed(1)}%`).join(', ')} by ${key ?? 'request id'}` : '';
  process.stderr.write(`mlw serve: ${predictor.model.name}, version ${predictor.model.version}${split}, on ${running.url} (docs: ${running.url}/docs)${log ? `; logging predictions to ${log}` : ''}; Ctrl+C stops\n`);
  if (flags.has('json')) process.stdout.write(JSON.stringify({ url: running.url, model: predictor.model, bundle: predictor.file, ...(variants.length ? { variants: variants.map((v) => ({ name: v.name, share: shares!.get(v.name), bundle: v.bundle })) } : {}) }) + '\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  process.stderr.write('mlw serve: stopped\n');
}
