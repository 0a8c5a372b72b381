// mlw drift <reference.csv|bundle> <current.csv>: the drift report (src/core/monitoring/drift.ts) as a
// table, or as JSON with --json; --fail-on-drift exits 1 when the dataset drifts, for CI.
import * as path from 'node:path';
import { checkDrift } from '../core/monitoring/check';
import { DRIFT_TESTS, DriftOptions, DriftTest } from '../core/monitoring/drift';
import { flagString, parseCommand, UsageError } from './args';

const fmt = (v: number | null) => (v === null ? '' : Math.abs(v) < 1e-4 && v !== 0 ? v.toExponential(2) : v.toFixed(4));

export async function driftCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['columns', 'test', 'threshold', 'share', 'correction', 'store'], ['fail-on-drift', 'no-track']);
  if (positionals.length !== 2) throw new UsageError('drift takes a reference CSV and a current CSV');
  // --test and --threshold: one value for all columns, or column=value pairs (age=ks,sex=chi2).
  const perColumn = <T>(name: string, parse: (t: string) => T): { all?: T; named?: Record<string, T> } => {
    const t = flagString(flags, name);
    if (t === undefined) return {};
    if (!t.includes('=')) return { all: parse(t) };
    const named: Record<string, T> = {};
    for (const pair of t.split(',').filter(Boolean)) {
      const at = pair.lastIndexOf('=');
      if (at <= 0) throw new UsageError(`--${name} takes one value or column=value pairs separated by commas (got "${pair}")`);
      named[pair.slice(0, at)] = parse(pair.slice(at + 1));
    }
    return { named };
  };
  const test = perColumn('test', (t) => {
    if (!DRIFT_TESTS.includes(t as DriftTest)) throw new UsageError(`--test must be one of ${DRIFT_TESTS.join(', ')} (got "${t}")`);
    return t as DriftTest;
  });
  const number = (name: string, ok: (x: number) => boolean, what: string) => (t: string) => {
    const x = Number(t);
    if (!ok(x)) throw new UsageError(`--${name} must be ${what} (got "${t}")`);
    return x;
  };
  const threshold = perColumn('threshold', number('threshold', (x) => x > 0, 'a positive number'));
  const share = flagString(flags, 'share');
  const correction = flagString(flags, 'correction') ?? 'none';
  if (!['none', 'bonferroni', 'bh'].includes(correction)) throw new UsageError(`--correction must be none, bonferroni or bh (got "${correction}")`);
  const o: DriftOptions = {
    ...(test.all ? { test: test.all } : {}),
    ...(test.named ? { tests: test.named } : {}),
    ...(threshold.all !== undefined ? { threshold: threshold.all } : {}),
    ...(threshold.named ? { thresholds: threshold.named } : {}),
    ...(share !== undefined ? { share: number('share', (x) => x > 0 && x <= 1, 'in (0, 1]')(share) } : {}),
    correction: correction as DriftOptions['correction'],
    columns: flagString(flags, 'columns')?.split(',').filter(Boolean),
  };
  // Recorded as a run in ./mlruns (or --store), as mlw evaluate is, unless --no-track.
  const { report, ...run } = await checkDrift(positionals[0], positionals[1], { ...o, ...(flags.has('no-track') ? {} : { store: path.resolve(flagString(flags, 'store') ?? 'mlruns') }) });
  const recorded = run.runId ? { runId: run.runId, experimentId: run.experimentId! } : undefined;
  if (flags.has('json')) {
    // The documented fields; the charts' distributions are in the run's drift.json.
    const { distributions: _charts, ...fields } = report;
    process.stdout.write(JSON.stringify({ ...fields, ...(recorded ? { runId: recorded.runId, experimentId: recorded.experimentId } : {}) }) + '\n');
  } else {
    const lines = [`${report.datasetDrift ? 'DRIFT' : 'no drift'}: ${report.columns.filter((c) => c.drifted).length} of ${report.columns.length} columns drifted (${(100 * report.driftedShare).toFixed(0)}%)`, ''];
    lines.push('column                   test           statistic   p-value   distance  threshold  effect  drifted');
    for (const c of report.columns) lines.push(`${c.name.slice(0, 24).padEnd(24)} ${c.test.padEnd(14)} ${fmt(c.statistic).padStart(9)} ${fmt(c.pValue).padStart(9)} ${fmt(c.distance).padStart(10)} ${String(c.threshold).padStart(10)} ${fmt(c.effectSize).padStart(7)}  ${c.drifted ? 'yes' : ''}${c.warning ? `  (${c.warning})` : ''}`);
    for (const s of report.skipped) lines.push(`skipped ${s.name}: ${s.reason}`);
    if (recorded) lines.push('', `recorded as run ${recorded.runId} (experiment ${recorded.experimentId})`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  // After the report is printed: exit 1, as mlw train does when every model failed.
  if (flags.has('fail-on-drift') && report.datasetDrift) throw new Error(`the dataset drifted: ${report.columns.filter((c) => c.drifted).map((c) => c.name).join(', ')}`);
}
