// mlw: the ML Workbench engine from a terminal, for scripts and CI. Same core as the extension.
import { profileCsv } from '../core/jobs/profileCsv';
import { summarize } from '../core/profile/summary';
import type { Delimiter } from '../core/csv/options';
import { flagString, parseCommand, UsageError } from './args';
import { driftCommand } from './driftCommand';
import { monitorCommand } from './monitorCommand';
import { abReportCommand } from './abReportCommand';
import { exitWhenFlushed } from './exit';
import { exportCommand } from './exportCommand';
import { scaffoldCommand } from './scaffoldCommand';
import { serveCommand } from './serveCommand';
import { evaluateCommand, featuresCommand, predictCommand, runsCommand, trainCommand, tuneCommand } from './workflowCommands';

const USAGE = `usage: mlw <command> [options]

commands:
  profile <csv> [--target COL] [--json] [--delimiter auto|,|;|tab|pipe] [--skip-ragged] [--memory-budget MB]
                [--missing "NA,?,..."]     profile a CSV file (the panel's data with --json)
  train <csv> --target COL [--models lr,rf,svm,mlp] [--test-size 0.2] [--cv 5] [--seed 42]
              [--drop a,b] [--task classification|regression] [--svm-solver auto|exact|approx]
              [--categorical code_col,...] [--date-parts hour,dayofweek,month]
              [--params '{"rf":{"nEstimators":300}}'] [--experiment NAME] [--store DIR] [--json]
  train --spec FILE.json                   train from a run spec (schemas/run-spec.schema.json)
  tune <csv> --target COL --model rf [--grid '{"maxDepth":[10,null]}'] [--cv 5] [--scoring accuracy]
             [--space '{"C":{"low":0.01,"high":100,"log":true}}' --n-iter 20] [--store DIR] [--json]
                                           (no --grid or --space: the model's default grid)
  evaluate <bundle> <csv> [--store DIR] [--no-track] [--json]
                                           score a saved model on a labelled CSV
  predict <bundle> <csv> --out FILE [--force] [--json]
                                           write the rows with prediction and proba_<class> columns
                                           (an existing FILE only with --force; never the input)
  features <csv> --spec FILE --out FILE [--target COL] [--seed 42] [--force] [--json]
                                           write the rows with the spec's feature steps' columns added
  serve <bundle> [--port 8000] [--host 127.0.0.1] [--log FILE.jsonl] [--max-body-mb 10] [--json]
  serve --model A=<bundle> --model B=<bundle> [--split B=0.1] [--key FIELD] [--log FILE.jsonl] …
                                           a REST server: POST /predict and /invocations (MLflow's
                                           protocol), /health, /readyz, /metadata, /docs, /metrics
  scaffold <bundle> --target fastapi|node --out DIR [--sample CSV] [--force] [--json]
                                           a serving folder: app, Dockerfile, client, tests
  export <bundle> --format onnx --out FILE [--force] [--json]
                                           the whole pipeline as one ONNX graph
  drift <reference.csv|bundle> <current.csv> [--json] [--columns a,b] [--test ks|chi2|z|wasserstein|jensenshannon|psi|col=test,…]
        [--threshold X|col=X,…] [--share 0.5] [--correction none|bonferroni|bh] [--fail-on-drift] [--store DIR] [--no-track]
                                           data drift per column, and whether the dataset drifted
  monitor <log.jsonl|spec.mlmonitor.json> [--labels FILE.csv --id COL [--label COL]] [--window 1h] [--model BUNDLE]
        [--rules FILE.mlmonitor.json] [--variant NAME] [--store DIR] [--json]
                                           a serving log per window: requests, latency, predictions,
                                           input drift, accuracy with labels; exit 1 on an alert
  ab-report <log.jsonl> --labels FILE.csv --id COL [--label COL] [--metric accuracy|logloss|brier|mae|mse]
        [--control A] [--treatment B] [--planned-n N] [--json]
                                           the A/B test of a served split: per variant n and metric,
                                           the difference, its test, the verdict (promote/rollback/continue)
  runs [--store DIR] [--experiment ID|NAME] [--all] [--json]
                                           list experiments and runs (--all: with deleted ones)
  help                                     this text

All commands write to ./mlruns unless --store DIR; a <bundle> is a run's artifacts/model folder.`;

const DELIMITERS: Record<string, Delimiter | 'auto'> = { auto: 'auto', ',': ',', comma: ',', ';': ';', semicolon: ';', tab: '\t', '\\t': '\t', '|': '|', pipe: '|' };

async function profileCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['target', 'delimiter', 'missing', 'memory-budget'], ['skip-ragged']);
  if (positionals.length !== 1) throw new UsageError('profile takes one CSV file');
  const budget = flagString(flags, 'memory-budget');
  if (budget !== undefined && !(Number(budget) >= 64)) throw new UsageError(`--memory-budget is in MB, at least 64 (got "${budget}")`);
  const d = flagString(flags, 'delimiter');
  const delimiter = d === undefined ? 'auto' : DELIMITERS[d];
  if (!delimiter) throw new UsageError(`--delimiter must be one of auto, comma, semicolon, tab, pipe (got "${d}")`);
  const profile = await profileCsv(positionals[0], {
    target: flagString(flags, 'target'),
    delimiter,
    raggedRows: flags.has('skip-ragged') ? 'skip' : 'error',
    missingValues: flagString(flags, 'missing')?.split(','),
    memoryBudgetMB: budget === undefined ? undefined : Number(budget),
  });
  process.stdout.write(flags.has('json') ? JSON.stringify(profile, jsonSafe) + '\n' : summarize(profile) + '\n');
}

/** JSON has no NaN or Infinity: write them as null, "Infinity", "-Infinity". */
function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
  return v;
}

const COMMANDS = new Map<string, (argv: string[]) => Promise<void>>([
  ['profile', profileCommand], ['train', trainCommand], ['tune', tuneCommand], ['evaluate', evaluateCommand], ['predict', predictCommand], ['features', featuresCommand], ['serve', serveCommand], ['scaffold', scaffoldCommand], ['export', exportCommand], ['drift', driftCommand], ['monitor', monitorCommand], ['ab-report', abReportCommand], ['runs', runsCommand],
]);
const HELP = new Set(['help', '--help', '-h']);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || HELP.has(command)) {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    const run = COMMANDS.get(command);
    if (!run) throw new UsageError(`unknown command "${command}"`);
    await run(rest);
    return 0;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`mlw: ${message.split('\n')[0]}\n`);
    if (e instanceof UsageError) process.stderr.write(USAGE + '\n');
    return e instanceof UsageError ? 2 : 1;
  }
}

// A reader that stops early (`mlw runs --json | head -c 100`) closes the pipe: that is not an error of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(exitWhenFlushed);
