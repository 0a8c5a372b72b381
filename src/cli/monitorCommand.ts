// mlw monitor <log.jsonl | spec.mlmonitor.json>: per window of the serving log, requests, latency,
// predictions, input drift against the model's training sample and, with labels, accuracy or RMSE
// (src/core/monitoring/monitor.ts); a table, or JSON with --json. Exits 1 when an alert rule breaks,
// after printing, so a script or CI job can gate on it.
import { formatNumber } from '../core/format';
import { ruleText } from '../core/monitoring/monitor';
import { runMonitor } from '../core/monitoring/monitorFiles';
import { readMonitorSpec } from '../core/monitoring/monitorSpec';
import { flagString, parseCommand, UsageError } from './args';

export async function monitorCommand(argv: string[]): Promise<void> {
  const { positionals, flags } = parseCommand(argv, ['labels', 'id', 'label', 'window', 'model', 'rules', 'variant', 'store']);
  if (positionals.length !== 1) throw new UsageError('monitor takes one prediction log (JSON lines) or a *.mlmonitor.json spec');
  const labels = flagString(flags, 'labels'), id = flagString(flags, 'id');
  if (Boolean(labels) !== Boolean(id)) throw new UsageError('--labels FILE.csv and --id COL go together: the id column joins each label to its prediction');
  const rulesFile = flagString(flags, 'rules');
  const { report } = await runMonitor({
    target: positionals[0],
    ...(flagString(flags, 'window') ? { window: flagString(flags, 'window') } : {}),
    ...(labels && id ? { labels: { file: labels, id, ...(flagString(flags, 'label') ? { column: flagString(flags, 'label') } : {}) } } : {}),
    ...(flagString(flags, 'model') ? { model: flagString(flags, 'model') } : {}),
    ...(flagString(flags, 'variant') ? { variant: flagString(flags, 'variant') } : {}),
    ...(flagString(flags, 'store') ? { store: flagString(flags, 'store') } : {}),
    ...(rulesFile ? { rules: readMonitorSpec(rulesFile).rules ?? [] } : {}),
  });
  if (flags.has('json')) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    const f = (x: number | undefined, d = 4) => (x === undefined || Number.isNaN(x) ? '' : formatNumber(x, d));
    const out = [`${report.log}: ${report.lines.toLocaleString('en-US')} lines in ${report.windows.length} windows${report.skippedLines ? `; ${report.skippedLines} skipped (${report.skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ')})` : ''}`];
    out.push(report.reference ? `drift against ${report.reference}` : 'no drift reference: the model was not found (name it with --model)');
    if (report.labels) out.push(`labels: ${report.labels.joined.toLocaleString('en-US')} of ${report.labels.of.toLocaleString('en-US')} predictions joined from ${report.labels.file} (${report.labels.column})`);
    out.push('', 'window start               requests   p50 ms   p95 ms   p99 ms  drifted  labelled  accuracy/rmse (95% CI)       predictions');
    for (const w of report.windows) {
      const q = w.accuracy ?? w.rmse;
      const preds = w.predictions.kind === 'classes' ? Object.entries(w.predictions.counts).slice(0, 4).map(([k, v]) => `${k}:${v}`).join(' ') : `mean ${f(w.predictions.mean)} p50 ${f(w.predictions.p50)}`;
      out.push(`${w.start.padEnd(26)} ${String(w.requests).padStart(8)} ${f(w.latencyMs.p50, 2).padStart(8)} ${f(w.latencyMs.p95, 2).padStart(8)} ${f(w.latencyMs.p99, 2).padStart(8)} ${(w.drift ? `${(100 * w.drift.driftedShare).toFixed(0)}%` : '').padStart(8)} ${String(w.labelled).padStart(9)}  ${(q ? `${f(q.value)} (${f(q.ci95[0])}–${f(q.ci95[1])})` : '').padEnd(27)} ${preds}`);
    }
    if (report.rules.length) out.push('', `rules: ${report.rules.map(ruleText).join('; ')}`);
    for (const b of report.breaches) out.push(`BREACH ${b.rule}: ${f(b.value)} in the window from ${b.windows[b.windows.length - 1]}`);
    process.stdout.write(out.join('\n') + '\n');
  }
  if (report.breaches.length) throw new Error(`${report.breaches.length} alert${report.breaches.length > 1 ? 's' : ''}: ${[...new Set(report.breaches.map((b) => b.rule))].join('; ')}`);
}
