// The server's counters in Prometheus' text exposition format (version 0.0.4): requests by route
// and status, a latency histogram, and predictions by class. Kept by hand: three metric families
// do not need a client library, and the format is a few lines of text.
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const label = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export class ServerMetrics {
  private requests = new Map<string, number>();
  private buckets = new Float64Array(BUCKETS.length);
  private count = 0;
  private sum = 0;
  private predictions = new Map<string, number>();

  request(route: string, status: number, seconds: number): void {
    const key = `${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    this.count++;
    this.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.buckets[i]++;
  }

  predicted(outcome: string): void {
    this.predictions.set(outcome, (this.predictions.get(outcome) ?? 0) + 1);
  }

  text(): string {
    const lines = ['# HELP mlw_requests_total HTTP requests by route and status.', '# TYPE mlw_requests_total counter'];
    for (const [key, n] of this.requests) {
      const [route, status] = key.split('\u0000');
      lines.push(`mlw_requests_total{route="${label(route)}",status="${status}"} ${n}`);
    }
    lines.push('# HELP mlw_request_duration_seconds Time from a request\'s arrival to its answer.', '# TYPE mlw_request_duration_seconds histogram');
    BUCKETS.forEach((b, i) => lines.push(`mlw_request_duration_seconds_bucket{le="${b}"} ${this.buckets[i]}`));
    lines.push(`mlw_request_duration_seconds_bucket{le="+Inf"} ${this.count}`, `mlw_request_duration_seconds_sum ${this.sum}`, `mlw_request_duration_seconds_count ${this.count}`);
    lines.push('# HELP mlw_predictions_total Predictions by predicted class (regression: all under "value").', '# TYPE mlw_predictions_total counter');
    for (const [c, n] of this.predictions) lines.push(`mlw_predictions_total{class="${label(c)}"} ${n}`);
    return lines.join('\n') + '\n';
  }
}
