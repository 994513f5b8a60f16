import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleService, type ExampleService } from './support/example-service.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver.js';
import { waitFor } from './support/free-port.js';

let receiver: OtlpReceiver;
let service: ExampleService;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  service = await startExampleService({ otlpEndpoint: receiver.url });
  const get = (p: string, init?: RequestInit) => fetch(`${service.baseUrl}${p}`, init).then(async (r) => ({ status: r.status, body: await r.text() }));
  expect((await get('/orders')).status).toBe(200);
  expect((await get('/orders/1')).status).toBe(200);
  expect((await get('/orders/999')).status).toBe(404);
  const json = { 'content-type': 'application/json' };
  expect((await get('/orders', { method: 'POST', headers: json, body: JSON.stringify({ sku: 'bolt', quantity: 3 }) })).status).toBe(201);
  expect((await get('/orders', { method: 'POST', headers: json, body: JSON.stringify({ sku: '' }) })).status).toBe(400);
  expect((await get('/orders/1/inventory?token=s3cr3t&page=2')).status).toBe(200);
  expect((await get('/no/such/path/12345')).status).toBe(404);
  expect((await get('/metrics')).status).toBe(200); // the app-mounted handler: must not be traced or counted
});

afterAll(async () => {
  await service?.stop();
  await receiver?.stop();
});

const serverSpan = (spans: ReceivedSpan[], name: string) => spans.find((s) => s.kind === SPAN_KIND.SERVER && s.name === name);

describe('orders-service instrumented with --import @platform/telemetry/register', () => {
  it('exports server spans named after the route template, with attributes and resource', async () => {
    const spans = await receiver.waitForSpans((s) => !!serverSpan(s, 'GET /orders/:id') && !!serverSpan(s, 'POST /orders'));
    const byId = serverSpan(spans, 'GET /orders/:id')!;
    expect(byId.attributes['http.route']).toBe('/orders/:id');
    expect(byId.attributes['http.request.method']).toBe('GET');
    expect([200, 404]).toContain(byId.attributes['http.response.status_code']);
    expect(byId.resource['service.name']).toBe('orders-service');
    // From the package.json nearest the entry script (the example's), not the monorepo root's.
    expect(byId.resource['service.version']).toBe('1.0.0');
    expect(byId.resource['deployment.environment.name']).toBeDefined();
    expect(byId.resource['host.name']).toBeDefined();
    expect(byId.resource['process.pid']).toBe(service.process.child.pid);
    expect(spans.some((s) => String(s.attributes['url.path'] ?? '').startsWith('/metrics'))).toBe(false);
    for (const s of spans) {
      for (const key of Object.keys(s.attributes)) expect(key).not.toMatch(/authorization|cookie/i);
    }
  });

  it('links the inventory call: server span -> client span -> downstream server span, one trace', async () => {
    const spans = await receiver.waitForSpans((s) => !!serverSpan(s, 'GET /orders/:id/inventory') && !!serverSpan(s, 'GET /internal/inventory/:sku'));
    const parent = serverSpan(spans, 'GET /orders/:id/inventory')!;
    const downstream = serverSpan(spans, 'GET /internal/inventory/:sku')!;
    expect(downstream.traceId).toBe(parent.traceId);
    const client = spans.find((s) => s.kind === SPAN_KIND.CLIENT && s.spanId === downstream.parentSpanId);
    expect(client, 'client span that is the downstream server span parent').toBeDefined();
    expect(client!.traceId).toBe(parent.traceId);
    // The client span is a descendant of the request span (express may put handler spans in between).
    const ancestors = new Set<string>();
    let cursor: ReceivedSpan | undefined = client;
    while (cursor) {
      ancestors.add(cursor.parentSpanId);
      cursor = spans.find((s) => s.spanId === cursor!.parentSpanId);
    }
    expect(ancestors.has(parent.spanId)).toBe(true);
    // Secret query parameters never reach span attributes.
    expect(String(parent.attributes['url.query'])).toContain('token=REDACTED');
    expect(JSON.stringify(parent.attributes)).not.toContain('s3cr3t');
    expect(String(parent.attributes['url.query'])).toContain('page=2');
  });

  it('exports logs over OTLP and prints them on stdout, both with the request trace context', async () => {
    const spans = await receiver.waitForSpans((s) => !!serverSpan(s, 'GET /orders/:id/inventory'));
    const parent = serverSpan(spans, 'GET /orders/:id/inventory')!;
    const logs = await receiver.waitForLogs((l) => l.some((r) => r.traceId === parent.traceId && r.body === 'request handled'));
    const record = logs.find((r) => r.traceId === parent.traceId && r.body === 'request handled' && r.attributes.path === '/orders/1/inventory')!;
    expect(record).toBeDefined();
    expect(record.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(record.severityText).toBe('INFO');
    expect(record.resource['service.name']).toBe('orders-service');
    const line = await waitFor(() => service.process.jsonLogs().find((l) => l.trace_id === parent.traceId && l.path === '/orders/1/inventory'));
    expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(line.trace_flags).toBe('01');
    expect(line['service.name']).toBe('orders-service');
    expect(line['deployment.environment']).toBeDefined();
  });

  it('serves Prometheus text with route templates (never raw ids) and OpenMetrics with trace exemplars', async () => {
    const text = await (await fetch(service.metricsUrl)).text();
    expect(text).toMatch(
      /^http_server_request_duration_seconds_bucket\{le="[^"]+",http_request_method="GET",http_route="\/orders\/:id",http_response_status_code="200"\} \d+$/m,
    );
    expect(text).toContain('http_route="/orders/:id",http_response_status_code="404"');
    expect(text).toContain('http_request_method="POST",http_route="/orders",http_response_status_code="201"');
    expect(text).toContain('http_route="unmatched",http_response_status_code="404"');
    expect(text).not.toMatch(/http_route="[^"]*(12345|\/orders\/1"|\/orders\/999)/);
    expect(text).not.toContain('http_route="/metrics"');
    expect(text).not.toContain('error_type="4');
    expect(text).toMatch(
      /^http_client_request_duration_seconds_count\{http_request_method="GET",server_address="127\.0\.0\.1",server_port="\d+",http_response_status_code="200"\} [1-9]/m,
    );
    expect(text).toMatch(/^http_server_active_requests\{/m);
    expect(text).toMatch(/^nodejs_eventloop_delay_p99_seconds /m);
    expect(text).toMatch(/^v8js_memory_heap_used_bytes\{v8js_heap_space_name="new_space"\}/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).not.toContain('# {trace_id'); // exemplars only in OpenMetrics

    const om = await fetch(service.metricsUrl, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toContain('application/openmetrics-text');
    const omText = await om.text();
    expect(omText.endsWith('# EOF\n')).toBe(true);
    expect(omText).toMatch(
      /^http_server_request_duration_seconds_bucket\{[^}]*http_route="\/orders\/:id"[^}]*\} \d+ # \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\} [0-9.e-]+ \d+(\.\d+)?$/m,
    );
    expect(omText).toMatch(/^process_cpu_seconds_total /m);

    // Prometheus text again after an OpenMetrics render: counter names intact.
    const again = await (await fetch(service.metricsUrl)).text();
    expect(again).toMatch(/^process_cpu_seconds_total /m);
    expect(again).toMatch(/^# TYPE process_cpu_seconds_total counter$/m);
  });

  it('flushes and exits cleanly on SIGTERM when the app handles the signal itself', async () => {
    const { code, signal } = await service.stop();
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(service.process.stderr()).not.toMatch(/UnhandledPromiseRejection|Error:/);
  });
});
