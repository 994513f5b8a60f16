import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleService, type ExampleService } from './support/example-service.js';
import { waitFor } from './support/free-port.js';
import { prometheusSkipReason, promtoolCheckMetrics, startPrometheus, type PrometheusServer } from './support/prometheus.js';

const skipReason = prometheusSkipReason();
const JOB = 'orders-service';

describe.skipIf(skipReason !== undefined)('real Prometheus scrapes the example service', () => {
  let service: ExampleService;
  let prom: PrometheusServer;

  beforeAll(async () => {
    service = await startExampleService();
    prom = await startPrometheus({ job: JOB, targets: [`127.0.0.1:${service.metricsPort}`] });
    for (const p of ['/orders', '/orders/1', '/orders/2', '/orders/404', '/orders/1/inventory', '/unknown/7']) {
      await (await fetch(`${service.baseUrl}${p}`)).arrayBuffer();
    }
  });

  afterAll(async () => {
    await prom?.stop();
    await service?.stop();
  });

  it('stores the request histogram with the conventions labels and route templates', async () => {
    await waitFor(() => prom.targetsUp(), 15_000);
    const series = await waitFor(async () => {
      const r = await prom.query(`http_server_request_duration_seconds_bucket{job="${JOB}",http_route="/orders/:id",le="+Inf"}`);
      return r.length >= 2 ? r : undefined;
    }, 15_000);
    for (const s of series) {
      expect(s.metric).toMatchObject({ job: JOB, http_request_method: 'GET', http_route: '/orders/:id', le: '+Inf' });
      expect(s.metric.http_response_status_code).toMatch(/^(200|404)$/);
      expect(s.metric.instance).toBe(`127.0.0.1:${service.metricsPort}`);
    }
    const routes = new Set(
      (await prom.query(`count by (http_route) (http_server_request_duration_seconds_count{job="${JOB}"})`)).map((s) => s.metric.http_route),
    );
    expect([...routes].sort()).toEqual(['/healthz', '/internal/inventory/:sku', '/orders', '/orders/:id', '/orders/:id/inventory', 'unmatched']);
    const up = await prom.query(`up{job="${JOB}"}`);
    expect(up[0]?.value[1]).toBe('1');
    expect((await prom.query('process_cpu_seconds_total')).length).toBe(1);
  });

  it('keeps trace exemplars (OpenMetrics scrape)', async () => {
    const now = Date.now() / 1000;
    const data = await waitFor(async () => {
      const r = await prom.queryExemplars(`http_server_request_duration_seconds_bucket{job="${JOB}"}`, now - 300, now + 60);
      return r.length > 0 ? r : undefined;
    }, 15_000);
    const labels = data.flatMap((d) => d.exemplars.map((e) => e.labels));
    expect(labels.some((l) => /^[0-9a-f]{32}$/.test(l.trace_id ?? ''))).toBe(true);
  });

  it('passes promtool check metrics without any problem', async () => {
    const text = await (await fetch(service.metricsUrl)).text();
    const result = promtoolCheckMetrics(text);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
