// mlw ab-report <log.jsonl> --labels FILE.csv --id COL: the A/B test of a log mlw serve wrote with
// --model A=… --model B=… (src/core/monitoring/abReport.ts): per variant n and the metric with a
// 95% interval, the difference and its test, the sample size needed, and the verdict (promote,
// rollback, continue); a table, or JSON with --json.
import { formatNumber } from '../core/format';
import { AB_METRICS, AbMetric, abReportFiles } from '../core/monitoring/abReport';
import { flagString, parseCommand, UsageError } from './args';

export async function abReportCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['labels', 'id', 'label', 'metric', 'control', 'treatment', 'planned-n']);
  if (positionals.length !== 1) throw new UsageError('ab-report takes one prediction log (JSON lines) written by mlw serve --model A=… --model B=…');
  const labels = flagString(flags, 'labels'), id = flagString(flags, 'id');
  if (!labels || !id) throw new UsageError('ab-report needs --labels FILE.csv and --id COL: the outcomes, joined to the predictions by request id (or by an input field of that name)');
  const metric = flagString(flags, 'metric');
  if (metric !== undefined && !AB_METRICS.includes(metric as AbMetric)) throw new UsageError(`--metric must be one of ${AB_METRICS.join(', ')} (got "${metric}")`);
  const plannedText = flagString(flags, 'planned-n');
  const plannedN = plannedText === undefined ? undefined : Number(plannedText);
  if (plannedN !== undefined && !(Number.isInteger(plannedN) && plannedN >= 0)) throw new UsageError(`--planned-n must be a whole number of rows per variant (got "${plannedText}")`);
  const r = await abReportFiles(positionals[0], { file: labels, id, ...(flagString(flags, 'label') ? { column: flagString(flags, 'label') } : {}) }, {
    ...(metric ? { metric: metric as AbMetric } : {}), ...(flagString(flags, 'control') ? { control: flagString(flags, 'control') } : {}),
    ...(flagString(flags, 'treatment') ? { treatment: flagString(flags, 'treatment') } : {}), ...(plannedN !== undefined ? { plannedN } : {}),
  });
  if (flags.has('json')) {
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const f = (x: number | null) => (x === null ? '' : formatNumber(x));
  const out = [`${r.verdict.toUpperCase()}: ${r.reason}`, ''];
  out.push('variant      run                                   n   ' + `${r.variants[0].metric.padStart(9)}   95% CI`);
  for (const v of r.variants) out.push(`${v.name.padEnd(12)} ${(v.runId ?? '').padEnd(32)} ${String(v.n).padStart(7)}   ${f(v.value).padStart(9)}   ${f(v.ci95[0])}–${f(v.ci95[1])}`);
  out.push('', `difference ${r.treatment} − ${r.control}: ${f(r.difference)} (95% CI ${f(r.differenceCi95[0])}–${f(r.differenceCi95[1])})`);
  out.push(`${r.test === 'proportions_ztest' ? 'two-proportion z-test' : 'Welch\'s t-test'}: statistic ${f(r.statistic)}, p-value ${r.pValue < 1e-4 ? r.pValue.toExponential(2) : f(r.pValue)}`);
  out.push(`rows per variant to detect this difference at power 0.8: ${r.requiredN === null ? 'none (no difference)' : r.requiredN.toLocaleString('en-US')}`);
  out.push(`labels: ${r.labels.joined.toLocaleString('en-US')} of ${r.labels.of.toLocaleString('en-US')} predictions joined from ${r.labels.file} (${r.labels.column})`);
  for (const w of r.warnings) out.push(`warning: ${w}`);
  process.stdout.write(out.join('\n') + '\n');
}
