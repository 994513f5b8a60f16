import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/example-service.js';
import { freePort } from './support/free-port.js';
import { spawnInstrumented, waitUntilReady } from './support/instrumented-process.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let receiver: OtlpReceiver;

beforeAll(async () => {
  ensureBuilt();
  receiver = await startOtlpReceiver();
});
afterAll(async () => receiver?.stop());

async function start(script: string, extraEnv: Record<string, string> = {}) {
  const port = await freePort();
  const metricsPort = await freePort();
  const proc = spawnInstrumented({
    script,
    cwd: FIXTURES,
    env: {
      PORT: String(port),
      PLATFORM_METRICS_PORT: String(metricsPort),
      PLATFORM_METRICS_HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      ...extraEnv,
    },
  });
  await waitUntilReady(proc, `http://127.0.0.1:${port}/healthz`);
  return { proc, base: `http://127.0.0.1:${port}`, metrics: `http://127.0.0.1:${metricsPort}/metrics` };
}

describe('--import @platform/telemetry/register without code changes', () => {
  it('instruments a CommonJS app, and on SIGTERM without app listeners flushes then dies by the signal', async () => {
    // A long batch delay: spans can only arrive through the shutdown flush.
    const { proc, base, metrics } = await start('cjs-app.cjs', { OTEL_SERVICE_NAME: 'cjs-app', OTEL_BSP_SCHEDULE_DELAY: '60000' });
    expect(await (await fetch(`${base}/call?access_token=abc`)).text()).toBe('called 200');
    expect((await fetch(`${base}/boom`)).status).toBe(500);
    const text = await (await fetch(metrics)).text();
    expect(text).toContain('http_server_request_duration_seconds_count{http_request_method="GET",http_route="unmatched",http_response_status_code="200"}');
    expect(text).toContain('http_route="unmatched",http_response_status_code="500",error_type="500"');
    expect(text).toMatch(
      /http_client_request_duration_seconds_count\{http_request_method="GET",server_address="127.0.0.1",server_port="\d+",http_response_status_code="200"\} 1/,
    );

    const { code, signal } = await proc.stop();
    expect(signal).toBe('SIGTERM');
    expect(code).toBeNull();
    const spans = receiver.spans.filter((s) => s.resource['service.name'] === 'cjs-app');
    const server = spans.find((s) => s.kind === SPAN_KIND.SERVER && s.attributes['url.path'] === '/call');
    const client = spans.find((s) => s.kind === SPAN_KIND.CLIENT);
    expect(server).toBeDefined();
    expect(client?.parentSpanId).toBe(server!.spanId);
    expect(String(server!.attributes['url.query'])).toBe('access_token=REDACTED');
    expect(String(client!.attributes['url.full'])).not.toContain('abc');
  });

  it('instruments an ESM app: fetch spans, correlated + redacted logs; app SIGTERM listener keeps control', async () => {
    const { proc, base } = await start('esm-app.mjs', { OTEL_SERVICE_NAME: 'esm-app' });
    expect(await (await fetch(`${base}/hello`)).text()).toBe('esm');
    const spans = await receiver.waitForSpans((s) => s.some((x) => x.resource['service.name'] === 'esm-app' && x.kind === SPAN_KIND.CLIENT));
    const server = spans.find((s) => s.resource['service.name'] === 'esm-app' && s.kind === SPAN_KIND.SERVER && s.attributes['url.path'] === '/hello')!;
    const client = spans.find((s) => s.resource['service.name'] === 'esm-app' && s.kind === SPAN_KIND.CLIENT)!;
    expect(client.parentSpanId).toBe(server.spanId);
    const line = proc.jsonLogs().find((l) => l.msg === 'esm request')!;
    expect(line.trace_id).toBe(server.traceId);
    expect(line.span_id).toBe(server.spanId);
    expect(line.user).toEqual({ name: 'ada', password: '[REDACTED]', nested: { token: '[REDACTED]' } });
    const { code, signal } = await proc.stop();
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(proc.jsonLogs().some((l) => l.msg === 'esm app closing')).toBe(true);
    expect(proc.stderr()).not.toMatch(/Error/);
  });
});
