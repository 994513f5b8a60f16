/**
 * Initialisation modes (double init, init after `node:http` was imported, OTEL_SDK_DISABLED) and
 * network egress: with default settings the only outbound connections go to the configured
 * OTLP endpoint. Every outbound connection attempt and DNS query is recorded by a preload.
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startExampleService } from '../support/example-service.js';
import { freePort, waitFor } from '../support/free-port.js';
import { spawnInstrumented, waitUntilReady } from '../support/instrumented-process.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const PRELOAD = path.join(FIXTURES, 'record-egress.cjs');
const DOUBLE_INIT_MSG = 'initTelemetry() was called more than once; the first configuration stays in effect';

let receiver: OtlpReceiver;
let dir: string;
beforeAll(async () => {
  ensureBuilt();
  receiver = await startOtlpReceiver();
  dir = mkdtempSync(path.join(tmpdir(), 'egress-'));
});
afterAll(async () => {
  await receiver?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface EgressEntry {
  kind: string;
  host?: string;
  port?: number;
  path?: string;
}
function readEgress(file: string): EgressEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EgressEntry);
}

async function exercise(baseUrl: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  for (const [p, init, status] of [
    ['/orders', undefined, 200],
    ['/orders/1', undefined, 200],
    ['/orders/999', undefined, 404],
    ['/orders', { method: 'POST', headers: json, body: JSON.stringify({ sku: 'nut', quantity: 2 }) }, 201],
    ['/nope', undefined, 404],
  ] as const) {
    const r = await fetch(`${baseUrl}${p}`, init as RequestInit | undefined);
    await r.arrayBuffer();
    expect(r.status).toBe(status);
  }
}

describe('network egress', () => {
  it('default settings: every outbound connection goes to the OTLP endpoint host:port; no DNS, no metadata probes, no UDP', async () => {
    const file = path.join(dir, 'default.jsonl');
    receiver.clear();
    const service = await startExampleService({ otlpEndpoint: receiver.url, env: { NODE_OPTIONS: `--require ${PRELOAD}`, EGRESS_LOG: file } });
    await exercise(service.baseUrl);
    await receiver.waitForSpans((s) => s.some((x) => x.attributes['http.route'] === '/orders/:id'));
    expect(await service.stop()).toEqual({ code: 0, signal: null });
    const entries = readEgress(file);
    const destinations = new Set(entries.filter((e) => e.kind === 'connect' || e.kind === 'undici').map((e) => `${e.host}:${e.port}`));
    // dns.lookup of an IP literal (server.listen('127.0.0.1'), net.connect to an IP) sends no DNS query.
    const other = entries.filter(
      (e) => !['connect', 'undici', 'net.client.socket'].includes(e.kind) && !(e.kind.startsWith('dns.') && isIP(e.host ?? '') !== 0),
    );
    console.log(`FIGURE egress ${JSON.stringify({ attempts: entries.filter((e) => e.kind === 'connect').length, destinations: [...destinations], other })}`);
    expect(entries.filter((e) => e.kind === 'connect').length).toBeGreaterThan(0); // the recorder works and OTLP was used
    expect([...destinations]).toEqual([`127.0.0.1:${receiver.port}`]);
    expect(other).toEqual([]);
  });

  it('OTEL_SDK_DISABLED=true: no spans, no connection at all, no metrics server; the logger still works; the app-mounted /metrics answers 200 with the (empty) SDK registry', async () => {
    const file = path.join(dir, 'disabled.jsonl');
    receiver.clear();
    const service = await startDisabledExample(file);
    await exercise(service.baseUrl);
    const appMetrics = await fetch(`${service.baseUrl}/metrics`);
    const appMetricsText = await appMetrics.text();
    const metricsPortRefused = await fetch(service.metricsUrl).then(
      () => false,
      () => true,
    );
    // Give a would-be exporter its batch delay (200 ms) several times over.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await service.stop()).toEqual({ code: 0, signal: null });
    expect(receiver.requests).toEqual([]);
    const egress = readEgress(file);
    expect(egress.filter((e) => !(e.kind === 'dns.lookup' && isIP(e.host ?? '') !== 0))).toEqual([]); // only the app's listen('127.0.0.1')
    expect(metricsPortRefused).toBe(true);
    expect(appMetrics.status).toBe(200);
    expect(appMetricsText).not.toContain('http_server_request_duration_seconds');
    const handled = service.process.jsonLogs().filter((l) => l.msg === 'request handled' && l.path !== '/healthz');
    expect(handled.length).toBe(5);
    expect(handled.every((l) => l.trace_id === undefined)).toBe(true);
    expect(handled[0]!['service.name']).toBe('orders-service');
  });
});

async function startDisabledExample(file: string) {
  const metricsPort = await freePort();
  // startExampleService waits for the metrics port, which is (correctly) never opened here.
  const port = await freePort();
  const proc = spawnInstrumented({
    script: 'dist/server.js',
    cwd: path.join(FIXTURES, '../../../../../examples/orders-service'),
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PLATFORM_METRICS_PORT: String(metricsPort),
      PLATFORM_METRICS_HOST: '127.0.0.1',
      OTEL_SERVICE_NAME: 'orders-service',
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '200',
      OTEL_BLRP_SCHEDULE_DELAY: '200',
      NODE_OPTIONS: `--require ${PRELOAD}`,
      EGRESS_LOG: file,
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(proc, `${baseUrl}/healthz`);
  return { process: proc, baseUrl, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`, stop: () => proc.stop() };
}

describe('initialisation modes', () => {
  async function runLateInit(register: boolean) {
    receiver.clear();
    const port = await freePort();
    const proc = spawnInstrumented({
      script: 'late-init.mjs',
      cwd: FIXTURES,
      register,
      env: {
        PORT: String(port),
        OTEL_SERVICE_NAME: 'from-env',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BLRP_SCHEDULE_DELAY: '200',
        PLATFORM_METRICS_PORT: 'off',
      },
    });
    await waitUntilReady(proc, `http://127.0.0.1:${port}/healthz`);
    const r = await fetch(`http://127.0.0.1:${port}/late?x=1`);
    expect(await r.text()).toBe('late');
    await waitFor(() => proc.jsonLogs().some((l) => l.msg === 'late request'));
    // The log record of the request always arrives; spans are what differs between the modes.
    await receiver.waitForLogs((l) => l.some((x) => x.body === 'late request'));
    await new Promise((res) => setTimeout(res, 600)); // two more span batch delays
    const stopped = await proc.stop();
    return { proc, stopped, spans: [...receiver.spans], logs: proc.jsonLogs() };
  }

  it('initTelemetry() after `import http` (ESM, no --import flag): same handle on double init with one warning; server requests and fetch are traced, node:http client calls are not — as documented', async () => {
    const { stopped, spans, logs } = await runLateInit(false);
    expect(stopped).toEqual({ code: 0, signal: null });
    const result = logs.find((l) => l.msg === 'init result')!;
    expect(result).toMatchObject({ sameHandle: true, serviceName: 'late-init' });
    expect(logs.filter((l) => l.msg === DOUBLE_INIT_MSG)).toHaveLength(1);
    const scopes = [...new Set(spans.map((s) => `${s.kind}:${s.scope}`))].sort();
    console.log(`FIGURE late-init ${JSON.stringify({ spans: scopes })}`);
    // The server side patches http.Server.prototype, which works whenever node:http was imported.
    const server = spans.find((s) => s.kind === SPAN_KIND.SERVER && s.attributes['url.path'] === '/late')!;
    expect(server).toBeDefined();
    expect(server.scope).toBe('@platform/telemetry');
    // fetch is instrumented through diagnostics_channel, which does not depend on load order; the
    // node:http client was bound by the app's import before the instrumentation hooks existed.
    expect(scopes).toEqual([`${SPAN_KIND.SERVER}:@platform/telemetry`, `${SPAN_KIND.CLIENT}:@opentelemetry/instrumentation-undici`].sort());
    const clients = spans.filter((s) => s.kind === SPAN_KIND.CLIENT && s.traceId === server.traceId);
    expect(clients.map((s) => s.scope)).toEqual(['@opentelemetry/instrumentation-undici']);
    // Hence the request's log line carries the request's trace context.
    expect(logs.find((l) => l.msg === 'late request')!.trace_id).toBe(server.traceId);
  });

  it('--import register plus two initTelemetry() calls in the app: same handle, the register configuration wins, exactly one warning', async () => {
    const { stopped, logs, spans } = await runLateInit(true);
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(logs.find((l) => l.msg === 'init result')).toMatchObject({ sameHandle: true, serviceName: 'from-env' });
    expect(logs.filter((l) => l.msg === DOUBLE_INIT_MSG)).toHaveLength(1);
    // With the flag, the same app is fully instrumented: server span, and both client spans in its trace.
    const server = spans.find((s) => s.kind === SPAN_KIND.SERVER && s.attributes['url.path'] === '/late')!;
    expect(server.resource['service.name']).toBe('from-env');
    const clients = spans
      .filter((s) => s.kind === SPAN_KIND.CLIENT && s.traceId === server.traceId)
      .map((s) => s.scope)
      .sort();
    expect(clients).toEqual(['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-undici']);
    expect(logs.find((l) => l.msg === 'late request')!.trace_id).toBe(server.traceId);
  });
});
