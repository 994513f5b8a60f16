import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/example-service.js';
import { freePort } from './support/free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from './support/instrumented-process.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
let proc: InstrumentedProcess | undefined;

beforeAll(() => ensureBuilt());
afterAll(async () => proc?.stop());

describe('framework routes through --import @platform/telemetry/register in an ESM app', () => {
  it('Koa (@koa/router) and Hapi imported as ES modules report their route templates', async () => {
    const [port, hapiPort, metricsPort] = await Promise.all([freePort(), freePort(), freePort()]);
    proc = spawnInstrumented({
      script: 'koa-hapi-esm.mjs',
      cwd: FIXTURES,
      env: { PORT: String(port), HAPI_PORT: String(hapiPort), PLATFORM_METRICS_PORT: String(metricsPort), PLATFORM_METRICS_HOST: '127.0.0.1' },
    });
    await waitUntilReady(proc, `http://127.0.0.1:${port}/k/healthz`);
    await waitUntilReady(proc, `http://127.0.0.1:${hapiPort}/h/items/0`);
    await (await fetch(`http://127.0.0.1:${port}/k/orders/5`)).text();
    await (await fetch(`http://127.0.0.1:${hapiPort}/h/items/6`)).text();
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const routes = [...text.matchAll(/^http_server_request_duration_seconds_count\{[^}]*http_route="([^"]*)"/gm)].map((m) => m[1]).sort();
    expect(routes).toEqual(['/h/items/:id', '/k/healthz', '/k/orders/:id']);
  });
});
