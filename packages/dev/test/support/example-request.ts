/**
 * The example service (with the register flag) exporting to `platform dev`, and the one request
 * the integration and browser tests follow: GET /orders/1/inventory, whose handler calls the
 * downstream inventory API through the resilience policy.
 */
import { startExampleService, type ExampleService } from '../../../telemetry/test/support/example-service.js';
import { waitFor } from '../../../telemetry/test/support/free-port.js';

export interface FollowedRequest {
  readonly example: ExampleService;
  readonly traceId: string;
}

interface TraceDetailJson {
  traceId: string;
  spans: Array<{
    name: string;
    kind: number;
    service: string;
    spanId: string;
    parentSpanId: string;
    attributes: Record<string, unknown>;
    events: Array<{ name: string; attributes: Record<string, unknown> }>;
  }>;
  logs: Array<{ body: string; traceId: string; spanId: string; attributes: Record<string, unknown> }>;
}

export async function startExampleAgainst(otlpUrl: string): Promise<ExampleService> {
  return startExampleService({ otlpEndpoint: otlpUrl });
}

/** Sends the request (and a little other traffic), then waits until its trace and log line are in platform dev. */
export async function followInventoryRequest(example: ExampleService, uiUrl: string): Promise<{ traceId: string; trace: TraceDetailJson }> {
  const res = await fetch(`${example.baseUrl}/orders/1/inventory`);
  if (res.status !== 200) throw new Error(`example answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  for (const path of ['/orders', '/orders/1', '/orders/404']) await (await fetch(`${example.baseUrl}${path}`)).arrayBuffer();
  // The trace id comes from platform dev itself: the newest trace of the inventory route.
  const traceId = await waitFor(async () => {
    const list = (await (await fetch(`${uiUrl}api/traces?route=${encodeURIComponent('/orders/:id/inventory')}`)).json()) as {
      traces: Array<{ traceId: string }>;
    };
    return list.traces[0]?.traceId;
  }, 15_000);
  const trace = await waitFor(async () => {
    const t = (await (await fetch(`${uiUrl}api/traces/${traceId}`)).json()) as TraceDetailJson | null;
    const complete = t && t.spans.some((s) => s.name.includes('/internal/inventory')) && t.logs.some((l) => l.body === 'request handled');
    return complete ? t : undefined;
  }, 15_000);
  // The other requests' spans are exported in their own batches: wait for them too (the 404 and
  // the SLO totals are read right after this returns).
  await waitFor(async () => {
    const list = (await (await fetch(`${uiUrl}api/traces?route=${encodeURIComponent('/orders/:id')}`)).json()) as {
      traces: Array<{ httpStatus: number | null }>;
    };
    const all = (await (await fetch(`${uiUrl}api/traces`)).json()) as { traces: unknown[] };
    return list.traces.some((t) => t.httpStatus === 404) && all.traces.length >= 5;
  }, 15_000);
  return { traceId, trace };
}
