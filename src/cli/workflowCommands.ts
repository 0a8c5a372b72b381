// mlw train / tune / evaluate / predict / runs: the extension's workflow for CI jobs. Every
// command writes to ./mlruns (or --store DIR); --json prints one JSON object for scripts.
import * as path from 'node:path';
import { headlineMetric, LEADERBOARD_METRICS } from '../core/ml/task';
import { MlflowStore } from '../core/tracking/mlflowStore';
import { engineerCsv, readFeatureSteps } from '../core/workflow/features';
import { evaluateCsv, predictCsv } from '../core/workflow/predict';
import { checkSpec, MODEL_KEYS, ModelKey, readSpecFile, RunSpec, TrainSpec, TuneSpec } from '../core/workflow/spec';
import { train } from '../core/workflow/train';
import { tune } from '../core/workflow/tune';
import { Flags, flagString, parseCommand, UsageError } from './args';
import { exitWhenFlushed } from './exit';
import { TAG } from '../core/tracking/tags';

function num(f: Flags, k: string, check: (n: number) => boolean, what: string): number | undefined {
  const v = flagString(f, k);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new UsageError(`--${k} must be ${what} (got "${v}")`);
  return n;
}

function json(f: Flags, k: string): unknown {
  const v = flagString(f, k);
  if (v === undefined) return undefined;
  try {
    return JSON.parse(v);
  } catch (e) {
    throw new UsageError(`--${k} is not valid JSON: ${(e as Error).message}`);
  }
}

function openStore(f: Flags): MlflowStore {
  const store = new MlflowStore(flagString(f, 'store') ?? 'mlruns');
  store.failAbandonedRuns();
  return store;
}

/** Exit codes of a process ended by SIGINT and SIGTERM, as a shell reports them. */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Runs a tracked session that Ctrl-C or SIGTERM can stop: the session's runs are recorded KILLED
 * (by their session tag, so even a run whose fit has not yet seen the abort) before the process
 * exits with the signal's code. Without this, an interrupted `mlw train` left its runs RUNNING.
 */
async function untilInterrupted<T>(store: MlflowStore, work: (hooks: { signal: AbortSignal; sessionId: string }) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const sessionId = `mlw-${process.pid}-${Date.now()}`;
  const handlers = Object.entries(SIGNAL_EXIT).map(([sig, code]) => {
    const onSignal = () => {
      controller.abort();
      const killed = store.endRunningRunsTagged(TAG.session, sessionId, 'KILLED');
      process.stderr.write(`mlw: ${sig === 'SIGINT' ? 'interrupted' : 'terminated'}; ${killed.length} run${killed.length === 1 ? '' : 's'} recorded KILLED in ${store.root}\n`);
      exitWhenFlushed(code);
    };
    process.once(sig, onSignal);
    return [sig, onSignal] as const;
  });
  try {
    return await work({ signal: controller.signal, sessionId });
  } finally {
    for (const [sig, onSignal] of handlers) process.off(sig, onSignal);
  }
}

/** Options shared by train and tune, from flags; the spec is checked against the same schema as spec files. */
function specFrom(kind: 'train' | 'tune', positionals: string[], f: Flags): RunSpec {
  const specFile = flagString(f, 'spec');
  if (specFile) {
    if (positionals.length) throw new UsageError('give either a CSV file or --spec, not both');
    const spec = readSpecFile(specFile);
    if (spec.kind !== kind) throw new UsageError(`${specFile} is a ${spec.kind} spec; use mlw ${spec.kind}`);
    return spec;
  }
  if (positionals.length !== 1) throw new UsageError(`${kind} takes one CSV file (or --spec FILE)`);
  const target = flagString(f, 'target');
  if (!target) throw new UsageError(`${kind} needs --target COLUMN`);
  const raw: Record<string, unknown> = {
    kind, data: positionals[0], target,
    task: flagString(f, 'task'), experiment: flagString(f, 'experiment'), svmSolver: flagString(f, 'svm-solver'), scoring: flagString(f, 'scoring'),
    drop: flagString(f, 'drop')?.split(',').filter(Boolean),
    categorical: flagString(f, 'categorical')?.split(',').filter(Boolean),
    dateParts: flagString(f, 'date-parts')?.split(',').filter(Boolean),
    testSize: num(f, 'test-size', (n) => n > 0 && n < 1, 'between 0 and 1'),
    cv: num(f, 'cv', (n) => Number.isInteger(n) && n >= 0 && n <= 20, 'a whole number from 0 to 20'),
    seed: num(f, 'seed', Number.isInteger, 'a whole number'),
    params: json(f, 'params'),
  };
  if (kind === 'train') {
    const models = (flagString(f, 'models') ?? 'lr,rf').split(',').map((m) => m.trim()).filter(Boolean);
    const bad = models.filter((m) => !MODEL_KEYS.includes(m as ModelKey));
    if (bad.length) throw new UsageError(`unknown model ${bad.join(', ')} (choose from ${MODEL_KEYS.join(', ')})`);
    raw.models = models;
  } else {
    raw.model = flagString(f, 'model');
    raw.grid = json(f, 'grid');
    raw.space = json(f, 'space');
    raw.nIter = num(f, 'n-iter', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1');
  }
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  try {
    return { ...checkSpec(raw, `mlw ${kind}`), data: path.resolve(positionals[0]) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const fmt = (v: number | undefined) => (v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toFixed(4));

function progress(quiet: boolean) {
  let last = '';
  return (p: { stage: string; model?: string; epoch?: number }) => {
    const line = `${p.model ? `${p.model}: ` : ''}${p.stage}`;
    if (!quiet && line !== last && p.epoch === undefined) process.stderr.write(`  ${line}\n`);
    last = line;
  };
}

export async function trainCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['target', 'models', 'test-size', 'cv', 'seed', 'store', 'drop', 'categorical', 'date-parts', 'task', 'experiment', 'svm-solver', 'scoring', 'params', 'spec'], ['quiet']);
  const spec = specFrom('train', positionals, flags) as TrainSpec;
  const quiet = flags.has('json') || flags.has('quiet');
  const store = openStore(flags);
  const result = await untilInterrupted(store, (hooks) => train(spec, store, { ...hooks, onProgress: progress(quiet) }));
  const noneFinished = !result.results.some((r) => r.status === 'FINISHED');
  if (flags.has('json')) {
    process.stdout.write(JSON.stringify(result) + '\n');
    if (noneFinished) throw new Error('every model failed');
    return;
  }
  const keys = LEADERBOARD_METRICS[result.task].slice(0, 3);
  const lines = [`${result.task} of "${result.target}"; experiment ${result.experimentId}, run ${result.parentRunId} in ${store.root}/`];
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  lines.push(['model', ...keys, 'fit s', 'status'].map((c) => c.padEnd(10)).join(' '));
  const sorted = [...result.results].sort((a, b) => (b.metrics[result.primaryMetric] ?? -Infinity) - (a.metrics[result.primaryMetric] ?? -Infinity));
  for (const r of sorted) {
    lines.push([r.model, ...keys.map((k) => fmt(r.metrics[k])), r.fitSeconds.toFixed(2), r.status === 'FINISHED' ? (r.runId === result.bestRunId ? 'best' : '') : `FAILED: ${r.error}`].map((c) => c.padEnd(10)).join(' '));
  }
  const best = result.results.find((r) => r.runId === result.bestRunId);
  if (best?.bundle) lines.push(`best model bundle: ${best.bundle}`);
  process.stdout.write(lines.join('\n') + '\n');
  if (noneFinished) throw new Error('every model failed');
}

export async function tuneCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['target', 'model', 'grid', 'space', 'n-iter', 'cv', 'seed', 'store', 'drop', 'categorical', 'date-parts', 'task', 'experiment', 'svm-solver', 'scoring', 'params', 'test-size', 'spec'], ['quiet']);
  const spec = specFrom('tune', positionals, flags) as TuneSpec;
  const quiet = flags.has('json') || flags.has('quiet');
  const store = openStore(flags);
  const r = await untilInterrupted(store, (hooks) => tune(spec, store, { ...hooks, onProgress: progress(quiet) }));
  if (flags.has('json')) return void process.stdout.write(JSON.stringify(r) + '\n');
  const lines = [`${r.model}: best mean ${r.scoring} ${fmt(r.bestScore)} with ${JSON.stringify(r.bestParams)}; run ${r.parentRunId}`, 'rank  mean     std      params'];
  for (const row of [...r.cvResults].sort((a, b) => a.rankTestScore - b.rankTestScore)) lines.push(`${String(row.rankTestScore).padEnd(5)} ${fmt(row.meanTestScore).padEnd(8)} ${fmt(row.stdTestScore).padEnd(8)} ${JSON.stringify(row.params)}`);
  lines.push(`test split: ${Object.entries(r.testMetrics).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`, `bundle: ${r.bundle}`);
  process.stdout.write(lines.join('\n') + '\n');
}

export async function evaluateCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['store'], ['no-track']);
  if (positionals.length !== 2) throw new UsageError('evaluate takes a model bundle and a labelled CSV file');
  const r = await evaluateCsv(positionals[0], positionals[1], { store: flags.has('no-track') ? undefined : openStore(flags) });
  if (flags.has('json')) return void process.stdout.write(JSON.stringify(r) + '\n');
  const lines = [`${r.rows} rows of ${r.data}${r.dropped ? ` (${r.dropped} without a target left out)` : ''}${r.runId ? `; run ${r.runId}` : ''}`];
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(...Object.entries(r.evaluation.metrics).map(([k, v]) => `${k.padEnd(18)} ${fmt(v)}`));
  process.stdout.write(lines.join('\n') + '\n');
}

export async function predictCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['out'], ['force']);
  if (positionals.length !== 2) throw new UsageError('predict takes a model bundle and a CSV file');
  const out = flagString(flags, 'out');
  if (!out) throw new UsageError('predict needs --out FILE');
  const r = await predictCsv(positionals[0], positionals[1], out, { replace: flags.has('force') });
  if (flags.has('json')) return void process.stdout.write(JSON.stringify(r) + '\n');
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`wrote ${r.rows} rows with ${r.columns.join(', ')} to ${r.out}\n`);
}

export async function featuresCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['spec', 'out', 'target', 'seed'], ['force']);
  if (positionals.length !== 1) throw new UsageError('features takes one CSV file');
  const spec = flagString(flags, 'spec');
  const out = flagString(flags, 'out');
  if (!spec) throw new UsageError('features needs --spec FILE (a run spec with "features", or a list of steps)');
  if (!out) throw new UsageError('features needs --out FILE');
  const seed = flagString(flags, 'seed');
  if (seed !== undefined && !/^\d+$/.test(seed)) throw new UsageError(`--seed must be a whole number (got "${seed}")`);
  const r = await engineerCsv(positionals[0], readFeatureSteps(spec), out, { target: flagString(flags, 'target'), seed: seed === undefined ? undefined : Number(seed), replace: flags.has('force') });
  if (flags.has('json')) return void process.stdout.write(JSON.stringify(r) + '\n');
  for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`wrote ${r.rows} rows with ${r.columns.length} new column${r.columns.length === 1 ? '' : 's'} (${r.columns.join(', ')}) to ${r.out}\n`);
}

export async function runsCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['store', 'experiment'], ['all']);
  if (positionals.length) throw new UsageError('runs takes no files (use --store DIR)');
  const store = openStore(flags);
  const wanted = flagString(flags, 'experiment');
  const experiments = store.listExperiments({ includeDeleted: flags.has('all') }).filter((e) => !wanted || e.id === wanted || e.name === wanted);
  const out = experiments.map((e) => ({
    experimentId: e.id, name: e.name, lifecycleStage: e.lifecycleStage,
    runs: store.listRuns(e.id, { includeDeleted: flags.has('all') }).map((r) => ({
      runId: r.runId, runName: r.runName, status: r.status, lifecycleStage: r.lifecycleStage, parentRunId: r.parentRunId ?? null,
      startTime: r.startTime, endTime: r.endTime, params: r.params, metrics: r.metrics, model: r.tags[TAG.model] ?? null,
    })),
  }));
  // Entries that cannot be read are listed, not left out: they once vanished without a word.
  const damaged = store.listDamaged();
  if (flags.has('json')) return void process.stdout.write(JSON.stringify({ store: store.root, experiments: out, damaged }) + '\n');
  const lines: string[] = [];
  for (const e of out) {
    lines.push(`${e.experimentId}  ${e.name}${e.lifecycleStage === 'deleted' ? ' (deleted)' : ''}`);
    // Parents first, each followed by its children.
    const children = (id: string | null) => e.runs.filter((r) => r.parentRunId === id || (id === null && r.parentRunId && !e.runs.some((p) => p.runId === r.parentRunId)));
    const ordered = children(null).flatMap((p) => [p, ...children(p.runId)]);
    for (const r of ordered) {
      const m = headlineMetric(r.metrics);
      lines.push(`  ${r.parentRunId ? '  ' : ''}${r.runId.slice(0, 8)}  ${r.status.padEnd(8)}  ${r.runName}${m ? `  ${fmt(m.value)}` : ''}`);
    }
  }
  if (damaged.length) {
    lines.push('', `damaged (${damaged.length}): not read as experiments or runs`);
    for (const d of damaged) lines.push(`  ${d.kind} ${d.dir}: ${d.problem}; ${d.fix}`);
  }
  process.stdout.write((lines.length ? lines.join('\n') : `no experiments in ${store.root}`) + '\n');
}
