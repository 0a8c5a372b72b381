// One mlw monitor pass, timed in its own process (bench/monitor.mjs runs it): the log, its labels
// and the model given, per-hour windows; prints the seconds, max RSS and what was read.
import { runMonitor } from '../src/core/monitoring/monitorFiles';

(async () => {
  const [log, labels, model] = process.argv.slice(2);
  const t0 = performance.now();
  const { report } = await runMonitor({ target: log, window: '1h', labels: { file: labels, id: 'request_id' }, model });
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, lines: report.lines, windows: report.windows.length, joined: report.labels?.joined, drifted: report.windows.filter((w) => w.drift?.drifted.length).length, accuracy0: report.windows[0].accuracy?.value, p95: report.windows[0].latencyMs.p95 }) + '\n');
})().catch((e) => {
  process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
});
