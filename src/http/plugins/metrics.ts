// Prometheus text metrics, dependency-free: request counts and duration histograms by method, route and status.
import type { FastifyInstance } from 'fastify';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Series {
  labels: string;
  count: number;
  sum: number;
  buckets: number[];
}

export class HttpMetrics {
  private readonly series = new Map<string, Series>();
  private readonly started = process.hrtime.bigint();

  observe(method: string, route: string, status: number, seconds: number): void {
    const labels = `method="${method}",route="${escapeLabel(route)}",status="${status}"`;
    let s = this.series.get(labels);
    if (!s) {
      s = { labels, count: 0, sum: 0, buckets: BUCKETS.map(() => 0) };
      this.series.set(labels, s);
    }
    s.count++;
    s.sum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) s.buckets[i]++;
  }

  render(): string {
    const lines: string[] = [
      '# HELP ledgerlink_http_requests_total HTTP requests handled.',
      '# TYPE ledgerlink_http_requests_total counter',
    ];
    for (const s of this.series.values()) lines.push(`ledgerlink_http_requests_total{${s.labels}} ${s.count}`);
    lines.push(
      '# HELP ledgerlink_http_request_duration_seconds HTTP request durations.',
      '# TYPE ledgerlink_http_request_duration_seconds histogram',
    );
    for (const s of this.series.values()) {
      for (let i = 0; i < BUCKETS.length; i++) {
        lines.push(`ledgerlink_http_request_duration_seconds_bucket{${s.labels},le="${BUCKETS[i]}"} ${s.buckets[i]}`);
      }
      lines.push(`ledgerlink_http_request_duration_seconds_bucket{${s.labels},le="+Inf"} ${s.count}`);
      lines.push(`ledgerlink_http_request_duration_seconds_sum{${s.labels}} ${s.sum.toFixed(6)}`);
      lines.push(`ledgerlink_http_request_duration_seconds_count{${s.labels}} ${s.count}`);
    }
    const uptime = Number(process.hrtime.bigint() - this.started) / 1e9;
    lines.push(
      '# HELP ledgerlink_uptime_seconds Seconds since the server started.',
      '# TYPE ledgerlink_uptime_seconds gauge',
      `ledgerlink_uptime_seconds ${uptime.toFixed(3)}`,
    );
    return `${lines.join('\n')}\n`;
  }
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

export function registerMetrics(app: FastifyInstance, metrics: HttpMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, not the URL, so ids do not explode the label set; unmatched requests share one label.
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4');
    return metrics.render();
  });
}
