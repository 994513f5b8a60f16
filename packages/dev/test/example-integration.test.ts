/**
 * End to end through the API the UI uses: `platform dev` (the real CLI) receives from the
 * example started with the register flag; the request's trace holds its downstream call and
 * its correlated log line, the log filter finds it by trace id, and the SLO status covers it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleService } from '../../telemetry/test/support/example-service.js';
import { followInventoryRequest, startExampleAgainst } from './support/example-request.js';
import { startPlatformDev, type PlatformDevProcess } from './support/platform-dev-process.js';

const SERVER = 2;
const CLIENT = 3;

describe('example service → platform dev → query API', () => {
  let dev: PlatformDevProcess;
  let example: ExampleService;
  beforeAll(async () => {
    dev = await startPlatformDev();
    example = await startExampleAgainst(dev.otlpUrl);
  }, 60_000);
  afterAll(async () => {
    await example?.stop();
    expect(await dev?.stop()).toBe(0); // SIGTERM: a clean stop, exit 0
  });

  it('GET /orders/1/inventory: server span → client span → downstream server span, the resilience attempt, and the log lines with the same trace id', async () => {
    const { traceId, trace } = await followInventoryRequest(example, dev.uiUrl);
    const root = trace.spans.find((s) => s.parentSpanId === '')!;
    expect(root).toMatchObject({ name: 'GET /orders/:id/inventory', kind: SERVER, service: 'orders-service' });
    expect(root.attributes['http.response.status_code']).toBe(200);
    const clients = trace.spans.filter((s) => s.kind === CLIENT);
    expect(clients.length).toBeGreaterThanOrEqual(1);
    expect(clients.every((c) => c.parentSpanId === root.spanId)).toBe(true);
    const downstream = trace.spans.find((s) => s.name === 'GET /internal/inventory/:sku')!;
    expect(downstream.kind).toBe(SERVER);
    expect(clients.map((c) => c.spanId)).toContain(downstream.parentSpanId);
    const attempts = trace.spans.flatMap((s) => s.events).filter((e) => e.name === 'resilience.attempt');
    // Usually one successful attempt; on a loaded machine the first may time out and be retried.
    expect(attempts.map((e) => e.attributes['resilience.attempt'])).toEqual(attempts.map((_, i) => i + 1));
    expect(attempts.every((e) => e.attributes['resilience.dependency'] === 'inventory-api')).toBe(true);
    expect(attempts.at(-1)?.attributes['resilience.outcome']).toBe('success');

    const rootLog = trace.logs.find((l) => l.attributes.path === '/orders/1/inventory');
    expect(rootLog).toMatchObject({ body: 'request handled', traceId, spanId: root.spanId });
    const downstreamLog = trace.logs.find((l) => l.attributes.path === '/internal/inventory/widget');
    const downstreamIds = trace.spans.filter((s) => s.name === 'GET /internal/inventory/:sku').map((s) => s.spanId);
    expect(downstreamIds).toContain(downstreamLog?.spanId);

    const logs = (await (await fetch(`${dev.uiUrl}api/logs?traceId=${traceId}`)).json()) as { logs: Array<{ traceId: string; body: string }> };
    expect(logs.logs.length).toBe(trace.logs.length);
    expect(logs.logs.every((l) => l.traceId === traceId)).toBe(true);
    const all = (await (await fetch(`${dev.uiUrl}api/logs`)).json()) as { logs: Array<{ traceId: string }> };
    expect(all.logs.some((l) => l.traceId !== traceId)).toBe(true); // the filter did filter

    // A 404 answer is not an error (only 5xx and span status ERROR are).
    type Listed = { traces: Array<{ traceId: string; httpStatus: number | null; errorCount: number }> };
    const notFound = ((await (await fetch(`${dev.uiUrl}api/traces?route=${encodeURIComponent('/orders/:id')}`)).json()) as Listed).traces.find(
      (t) => t.httpStatus === 404,
    );
    expect(notFound?.errorCount).toBe(0);
    const errors = (await (await fetch(`${dev.uiUrl}api/traces?status=error`)).json()) as Listed;
    expect(errors.traces.map((t) => t.traceId)).not.toContain(notFound!.traceId);
    expect(errors.traces.every((t) => t.errorCount > 0)).toBe(true);
  });

  it("services: per-route RED from the spans, and the manifest SLOs with the generated rules' burn-rate windows", async () => {
    const body = (await (await fetch(`${dev.uiUrl}api/services`)).json()) as {
      services: Array<{
        service: string;
        inManifest: boolean;
        routes: Array<{ route: string; requests: number; errors: number; p99Ms: number }>;
        slo: {
          slos: Array<{ kind: string; total: number; target: number; burnRates: Array<{ longWindow: string; shortWindow: string; threshold: number }> }>;
        } | null;
      }>;
    };
    const orders = body.services.find((s) => s.service === 'orders-service')!;
    expect(orders.inManifest).toBe(true);
    const inventory = orders.routes.find((r) => r.route === '/orders/:id/inventory')!;
    expect(inventory.requests).toBeGreaterThanOrEqual(1);
    expect(inventory.errors).toBe(0);
    expect(inventory.p99Ms).toBeGreaterThan(0);
    expect(orders.slo!.slos.map((s) => [s.kind, s.target])).toEqual([
      ['availability', 0.999],
      ['latency', 0.95],
    ]);
    expect(orders.slo!.slos[0]!.total).toBeGreaterThanOrEqual(5);
    expect(orders.slo!.slos[0]!.burnRates.map((b) => `${b.longWindow}/${b.shortWindow}@${b.threshold}`)).toEqual([
      '1h/5m@14.4',
      '6h/30m@6',
      '1d/2h@3',
      '3d/6h@1',
    ]);
  });

  it('the UI page and its bundle are served with a CSP that allows nothing but this server', async () => {
    const page = await fetch(dev.uiUrl);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/app.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await (await fetch(`${dev.uiUrl}app.js`)).text();
    expect(js.length).toBeGreaterThan(10_000);
    expect(js).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z]/i);
  });
});
