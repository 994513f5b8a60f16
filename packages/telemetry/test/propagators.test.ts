import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/example-service.js';
import { freePort } from './support/free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from './support/instrumented-process.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
let receiver: OtlpReceiver;
let downstream: http.Server;
const forwarded: http.IncomingHttpHeaders[] = [];
const started: InstrumentedProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  receiver = await startOtlpReceiver();
  downstream = http.createServer((req, res) => {
    forwarded.push(req.headers);
    res.end('down');
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await receiver?.stop();
  await new Promise((resolve) => downstream?.close(resolve));
});

/** Starts the app with OTEL_PROPAGATORS=`propagators`, sends `headers`, returns what it forwarded and its SERVER span. */
async function callThrough(service: string, propagators: string, headers: Record<string, string>) {
  const port = await freePort();
  const proc = spawnInstrumented({
    script: 'propagation-app.mjs',
    cwd: FIXTURES,
    env: {
      PORT: String(port),
      PLATFORM_METRICS_PORT: 'off',
      OTEL_SERVICE_NAME: service,
      OTEL_PROPAGATORS: propagators,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      DOWNSTREAM_URL: `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/down`,
    },
  });
  started.push(proc);
  await waitUntilReady(proc, `http://127.0.0.1:${port}/healthz`);
  const before = forwarded.length;
  expect(await (await fetch(`http://127.0.0.1:${port}/in`, { headers })).text()).toBe('called');
  const spans = await receiver.waitForSpans((s) =>
    s.some((x) => x.resource['service.name'] === service && x.kind === SPAN_KIND.SERVER && x.attributes['url.path'] === '/in'),
  );
  const server = spans.find((x) => x.resource['service.name'] === service && x.kind === SPAN_KIND.SERVER && x.attributes['url.path'] === '/in')!;
  return { sent: forwarded[before]!, server };
}

describe('OTEL_PROPAGATORS through the register entry', () => {
  it('b3multi: the caller’s X-B3 trace is continued and forwarded as X-B3, with no W3C headers', async () => {
    const { sent, server } = await callThrough('prop-b3multi', 'b3multi', { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' });
    expect(server.traceId).toBe(TRACE_ID);
    expect(server.parentSpanId).toBe(SPAN_ID);
    expect(sent['x-b3-traceid']).toBe(TRACE_ID);
    expect(sent['x-b3-spanid']).toMatch(/^[0-9a-f]{16}$/);
    expect(sent['x-b3-spanid']).not.toBe(SPAN_ID);
    expect(sent.traceparent).toBeUndefined();
  });

  it('b3: a W3C traceparent from the caller is not read (a new trace), and the call goes out with the single b3 header', async () => {
    const { sent, server } = await callThrough('prop-b3', 'b3', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    expect(server.traceId).not.toBe(TRACE_ID);
    expect(server.parentSpanId).toBeFalsy();
    expect(sent.b3).toMatch(new RegExp(`^${server.traceId}-[0-9a-f]{16}-1$`));
    expect(sent.traceparent).toBeUndefined();
  });

  it('default: W3C trace context and baggage in, W3C out', async () => {
    const { sent, server } = await callThrough('prop-default', '', { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'tenant=acme' });
    expect(server.traceId).toBe(TRACE_ID);
    expect(sent.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(sent.baggage).toBe('tenant=acme');
    expect(sent.b3).toBeUndefined();
  });
});
