import { HTTP_SERVER_ACTIVE_REQUESTS, HTTP_SERVER_REQUEST_DURATION } from '@platform/conventions';
import fc from 'fast-check';
import { Gauge, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpServerMetrics } from './http-server-metrics.js';
import { renderMetrics } from './render-metrics.js';

/**
 * HttpServerMetrics records into BatchedHistogram/BatchedGauge. The contract: a registry holding
 * them renders byte for byte what prom-client's own Histogram (with exemplars) and Gauge render
 * for the same requests, in both exposition formats, and `getMetricsAsJSON()` agrees too.
 */
const BUCKETS = HTTP_SERVER_REQUEST_DURATION.buckets ?? [];

interface Request {
  method: string;
  scheme: string;
  route: string | undefined;
  status: number;
  errorType: string | undefined;
  seconds: number;
  sampled: boolean;
  traceId: string;
  spanId: string;
  ended: boolean;
  atMs: number;
}

/** The same requests through prom-client's metrics, as the SDK recorded them before. */
function plainPromClient(requests: readonly Request[]): Registry {
  const registry = new Registry();
  const duration = new Histogram<string>({
    name: HTTP_SERVER_REQUEST_DURATION.name,
    help: HTTP_SERVER_REQUEST_DURATION.help,
    labelNames: [...HTTP_SERVER_REQUEST_DURATION.labels],
    buckets: [...BUCKETS],
    registers: [],
    enableExemplars: true,
  });
  registry.registerMetric(duration);
  const active = new Gauge<string>({
    name: HTTP_SERVER_ACTIVE_REQUESTS.name,
    help: HTTP_SERVER_ACTIVE_REQUESTS.help,
    labelNames: [...HTTP_SERVER_ACTIVE_REQUESTS.labels],
    registers: [registry],
  });
  for (const r of requests) {
    vi.setSystemTime(r.atMs);
    active.inc({ http_request_method: r.method, url_scheme: r.scheme });
    if (!r.ended) continue;
    active.dec({ http_request_method: r.method, url_scheme: r.scheme });
    const labels: Record<string, string | number> = { http_request_method: r.method, http_route: r.route ?? 'unmatched', http_response_status_code: r.status };
    if (r.errorType !== undefined) labels.error_type = r.errorType;
    if (r.sampled) duration.observe({ labels, value: r.seconds, exemplarLabels: { trace_id: r.traceId, span_id: r.spanId } });
    else duration.observe({ labels, value: r.seconds });
  }
  return registry;
}

function batched(requests: readonly Request[]): Registry {
  const registry = new Registry();
  const metrics = new HttpServerMetrics(registry);
  for (const r of requests) {
    vi.setSystemTime(r.atMs);
    metrics.onRequestStart(r.method, r.scheme);
    if (!r.ended) continue;
    metrics.onRequestEnd(r.method, r.scheme, r.route, r.status, r.errorType, r.seconds, {
      traceId: r.traceId,
      spanId: r.spanId,
      traceFlags: r.sampled ? 1 : 0,
    });
  }
  return registry;
}

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const request: fc.Arbitrary<Request> = fc.record({
  method: fc.constantFrom('GET', 'POST', '_OTHER'),
  scheme: fc.constantFrom('http', 'https'),
  route: fc.constantFrom(undefined, '/orders/:id', '/a"b\\c\n'),
  status: fc.constantFrom(200, 404, 500, 503),
  errorType: fc.constantFrom(undefined, 'Error', '500'),
  // Bucket boundaries exactly, values between them, beyond the last, and zero.
  seconds: fc.oneof(fc.constantFrom(0, ...BUCKETS, 1e6), fc.double({ min: 0, max: 20, noNaN: true })),
  sampled: fc.boolean(),
  traceId: hex(32),
  spanId: hex(16),
  ended: fc.boolean(),
  atMs: fc.integer({ min: 1_700_000_000_000, max: 1_800_000_000_000 }),
});

describe('HttpServerMetrics (batched histogram and gauge)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renders exactly what prom-client renders for the same requests: Prometheus text, OpenMetrics with exemplars, and JSON', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 40 }), async (requests) => {
        const expected = plainPromClient(requests);
        const actual = batched(requests);
        for (const openMetrics of [false, true]) {
          const [want, got] = [await renderMetrics(expected, openMetrics), await renderMetrics(actual, openMetrics)];
          expect(got.body).toBe(want.body);
        }
        expect(await actual.getMetricsAsJSON()).toEqual(await expected.getMetricsAsJSON());
      }),
      { numRuns: 300 },
    );
  });

  it('registers once per registry: a second instance records into the same series', async () => {
    const registry = new Registry();
    const a = new HttpServerMetrics(registry);
    const b = new HttpServerMetrics(registry);
    const sc = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 };
    a.onRequestEnd('GET', 'http', '/x', 200, undefined, 0.01, sc);
    b.onRequestEnd('GET', 'http', '/x', 200, undefined, 0.01, sc);
    expect((await renderMetrics(registry, false)).body).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/x",http_response_status_code="200"} 2',
    );
  });

  it('resetMetrics() drops every series, as for prom-client metrics, and recording goes on', async () => {
    const registry = new Registry();
    const m = new HttpServerMetrics(registry);
    const sc = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0 };
    m.onRequestStart('GET', 'http');
    m.onRequestEnd('GET', 'http', '/x', 200, undefined, 0.01, sc);
    registry.resetMetrics();
    expect((await renderMetrics(registry, false)).body).not.toContain('http_route="/x"');
    m.onRequestEnd('GET', 'http', '/y', 200, undefined, 0.01, sc);
    expect((await renderMetrics(registry, false)).body).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/y",http_response_status_code="200"} 1',
    );
  });
});
