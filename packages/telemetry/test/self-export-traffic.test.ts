import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/example-service.js';
import { freePort, waitFor } from './support/free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from './support/instrumented-process.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let receiver: OtlpReceiver;
const procs: InstrumentedProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await receiver?.stop();
});

describe("the SDK's own OTLP export traffic", () => {
  it.each([
    ['CommonJS app (node:http client)', 'cjs-app.cjs', '/call'],
    ['ESM app (fetch client)', 'esm-app.mjs', '/hello'],
  ])("%s: never appears in http_client_* metrics or as spans, while the app's own calls do", async (_label, script, path) => {
    const port = await freePort();
    const metricsPort = await freePort();
    const service = `self-export-${script.replace(/\W/g, '-')}`;
    const proc = spawnInstrumented({
      script,
      cwd: FIXTURES,
      env: {
        PORT: String(port),
        PLATFORM_METRICS_PORT: String(metricsPort),
        PLATFORM_METRICS_HOST: '127.0.0.1',
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        // Short batch delays: several trace and log exports happen during the test.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_BLRP_SCHEDULE_DELAY: '100',
      },
    });
    procs.push(proc);
    await waitUntilReady(proc, `http://127.0.0.1:${port}/healthz`);
    for (let i = 0; i < 3; i++) await (await fetch(`http://127.0.0.1:${port}${path}`)).text();
    // Several span batches (and, from the ESM app that logs, log batches) reached the receiver.
    const mine = () => receiver.spans.filter((s) => s.resource['service.name'] === service);
    await waitFor(() => mine().filter((s) => s.kind === SPAN_KIND.SERVER).length >= 6);
    if (script.endsWith('.mjs')) await waitFor(() => receiver.requests.some((r) => r.signal === 'logs'));
    await new Promise((r) => setTimeout(r, 300));

    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const clientSeries = text.split('\n').filter((l) => l.startsWith('http_client_request_duration_seconds_count'));
    expect(clientSeries.length).toBeGreaterThan(0); // the app's own outgoing calls are measured
    expect(clientSeries.every((l) => l.includes(`server_port="${port}"`))).toBe(true);
    expect(text).not.toContain(`server_port="${receiver.port}"`);

    const spans = mine();
    const clients = spans.filter((s) => s.kind === SPAN_KIND.CLIENT);
    expect(clients.length).toBeGreaterThan(0);
    expect(clients.every((s) => String(s.attributes['server.port'] ?? s.attributes['url.full']).includes(String(port)))).toBe(true);
    expect(spans.some((s) => JSON.stringify(s.attributes).includes(`:${receiver.port}`))).toBe(false);
    await proc.stop();
  });
});
