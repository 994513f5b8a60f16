import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/example-service.js';
import { freePort } from './support/free-port.js';
import { waitUntilReady, type InstrumentedProcess } from './support/instrumented-process.js';
import { spawnInstrumented } from './support/instrumented-process.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from './support/otlp-receiver.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(HERE, 'fixtures');
const PACKAGE = path.join(HERE, '..');
/** Node's require(esm) off: what Node 20.6-20.18 and 22.0-22.11 do, whatever this Node is. */
const NO_REQUIRE_ESM = '--no-experimental-require-module';
let receiver: OtlpReceiver;
let proc: InstrumentedProcess | undefined;

beforeAll(async () => {
  ensureBuilt();
  if (!existsSync(path.join(PACKAGE, 'dist/cjs/register.cjs')))
    execFileSync(process.execPath, [path.join(PACKAGE, 'scripts/build-cjs.mjs')], { stdio: 'inherit' });
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await proc?.stop();
  await receiver?.stop();
});

const node = (args: string[]) =>
  spawnSync(process.execPath, [NO_REQUIRE_ESM, ...args], {
    cwd: FIXTURES,
    env: { ...process.env, NODE_OPTIONS: '', PLATFORM_METRICS_PORT: 'off' },
    encoding: 'utf8',
    timeout: 20_000,
  });

describe('CommonJS without require(esm)', () => {
  it('this Node refuses require() of an ES module under the flag (so the tests below prove the CJS build)', () => {
    const r = node(['-e', `require(${JSON.stringify(path.join(PACKAGE, 'dist/index.js'))})`]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_REQUIRE_ESM');
  });

  it("require('@platform/telemetry') and '/conventions' give the public API", async () => {
    const script = `
      const t = require('@platform/telemetry');
      const c = require('@platform/telemetry/conventions');
      console.log(JSON.stringify({ api: Object.keys(t).sort(), metric: c.HTTP_SERVER_REQUEST_DURATION.name, file: require.resolve('@platform/telemetry') }));`;
    const r = node(['-e', script]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { api: string[]; metric: string; file: string };
    expect(out.api).toEqual(
      expect.arrayContaining(['initTelemetry', 'logger', 'getLogger', 'metricsHandler', 'getRegistry', 'setRoute', 'resilient', 'resilientFetch']),
    );
    // The CommonJS build publishes exactly the ESM export list (src/exports.test.ts writes it out).
    expect(out.api).toEqual(Object.keys(await import('../src/index.js')).sort());
    expect(out.metric).toBe('http_server_request_duration_seconds');
    expect(out.file).toMatch(/dist[\\/]cjs[\\/]index\.cjs$/);
  });

  it("require('@platform/telemetry/register') as an app's first line: spans, metrics with setRoute's route, one SDK across both entries", async () => {
    const port = await freePort();
    const metricsPort = await freePort();
    proc = spawnInstrumented({
      script: 'cjs-require-register.cjs',
      cwd: FIXTURES,
      register: false,
      env: {
        NODE_OPTIONS: NO_REQUIRE_ESM,
        PORT: String(port),
        PLATFORM_METRICS_PORT: String(metricsPort),
        PLATFORM_METRICS_HOST: '127.0.0.1',
        OTEL_SERVICE_NAME: 'cjs-require',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
    await waitUntilReady(proc, `http://127.0.0.1:${port}/healthz`);
    expect(await (await fetch(`http://127.0.0.1:${port}/users/7`)).text()).toBe('user 7');
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/users/:id",http_response_status_code="200"} 1',
    );
    const spans = await receiver.waitForSpans((s) => s.some((x) => x.resource['service.name'] === 'cjs-require' && x.name === 'GET /users/:id'));
    const server = spans.find((s) => s.resource['service.name'] === 'cjs-require' && s.kind === SPAN_KIND.SERVER && s.name === 'GET /users/:id')!;
    // The logger from the main entry is the one register configured: service name and trace ids.
    const line = proc.jsonLogs().find((l) => l.msg === 'user fetched')!;
    expect(line).toMatchObject({ 'service.name': 'cjs-require', trace_id: server.traceId });
    expect(proc.jsonLogs().find((l) => l.msg === 'listening')).toMatchObject({ sameRegistry: true });
    expect(proc.stderr()).toBe('');
  });
});
