import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BreakerOpenError } from './errors/index.js';
import { resetResilience } from './resilient.js';
import { resilientFetch, type ResilientFetchOptions } from './resilient-fetch.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let base: string;
let host: string;
const hits: string[] = [];
let handler: Handler = (_req, res) => res.end('ok');

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  base = `http://${host}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

let registry: Registry;
beforeEach(() => {
  resetResilience();
  hits.length = 0;
  registry = new Registry();
});

function make(options: ResilientFetchOptions = {}) {
  return resilientFetch({
    retry: { baseDelayMs: 5, maxDelayMs: 50, random: () => 0 },
    timeout: 2_000,
    ...options,
    telemetry: { registry, logger: { warn: () => undefined, debug: () => undefined } },
  });
}

/** Serves the given statuses in order (last one repeats). */
function sequence(...steps: Array<[number, Record<string, string>?]>): void {
  let i = 0;
  handler = (_req, res) => {
    const [status, headers] = steps[Math.min(i++, steps.length - 1)]!;
    res.writeHead(status, headers ?? {});
    res.end(`status ${status}`);
  };
}

async function calls(outcome: string): Promise<number> {
  const { values } = await registry.getSingleMetric('resilience_calls_total')!.get();
  return values.find((v) => v.labels.dependency === host && v.labels.outcome === outcome)?.value ?? 0;
}

describe('resilientFetch against a local HTTP server', () => {
  it('retries a 503 and returns the following 200, recording the host as dependency', async () => {
    sequence([503], [200]);
    const res = await make()(`${base}/orders`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('status 200');
    expect(hits).toEqual(['GET /orders', 'GET /orders']);
    expect(await calls('success')).toBe(1);
    const { values } = await registry.getSingleMetric('resilience_retry_attempts_total')!.get();
    expect(values[0]).toMatchObject({ labels: { dependency: host }, value: 1 });
  });

  it('honours Retry-After on a 429 (seconds) before retrying', async () => {
    sequence([429, { 'retry-after': '1' }], [200]);
    const t0 = performance.now();
    const res = await make({ retry: { maxDelayMs: 2_000, random: () => 0 } })(`${base}/limited`);
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(hits).toHaveLength(2);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    handler = (_req, res) => {
      handler = (_r, ok) => ok.end('ok');
      res.writeHead(503, { 'retry-after': new Date(Date.now() + 1_000).toUTCString() });
      res.end();
    };
    const res = await make({ retry: { maxDelayMs: 2_000, random: () => 0 } })(`${base}/dated`);
    expect(res.status).toBe(200);
    expect(hits).toHaveLength(2);
  });

  it('returns the 429 without retrying when Retry-After exceeds the cap', async () => {
    sequence([429, { 'retry-after': '120' }], [200]);
    const res = await make()(`${base}/limited`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('120');
    expect(hits).toHaveLength(1);
    expect(await calls('failure')).toBe(1);
  });

  it('returns the last 5xx response once attempts are exhausted', async () => {
    sequence([502]);
    const res = await make({ retry: { maxAttempts: 3, baseDelayMs: 1, random: () => 0 } })(`${base}/down`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('status 502');
    expect(hits).toHaveLength(3);
  });

  it('does not retry POST unless told to, and does not retry a 404', async () => {
    sequence([503], [200]);
    expect((await make()(`${base}/pay`, { method: 'POST', body: '{}' })).status).toBe(503);
    expect(hits).toHaveLength(1);
    hits.length = 0;
    sequence([503], [200]);
    expect((await make({ retryNonIdempotent: true })(`${base}/pay`, { method: 'POST', body: '{}' })).status).toBe(200);
    expect(hits).toHaveLength(2);
    hits.length = 0;
    sequence([503], [200]);
    expect((await make()(`${base}/pay`, { method: 'POST', body: '{}', headers: { 'Idempotency-Key': 'k1' } })).status).toBe(200);
    hits.length = 0;
    sequence([404], [200]);
    expect((await make()(`${base}/missing`)).status).toBe(404);
    expect(hits).toHaveLength(1);
  });

  it('opens the per-host breaker on repeated 5xx and then fails fast', async () => {
    sequence([500]);
    const f = make({ retry: false, breaker: { consecutiveFailures: 2, openDurationMs: 60_000 } });
    expect((await f(`${base}/a`)).status).toBe(500);
    expect((await f(`${base}/b`)).status).toBe(500);
    await expect(f(`${base}/c`)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(hits).toHaveLength(2);
    expect(await calls('rejected')).toBe(1);
  });

  it('times out a slow response and passes the caller signal', async () => {
    handler = (_req, res) => setTimeout(() => res.end('late'), 1_000);
    const f = make({ retry: false, timeout: 100 });
    const err = await f(`${base}/slow`).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(await calls('timeout')).toBe(1);
    const ac = new AbortController();
    const pending = f(`${base}/slow`, { signal: ac.signal }).catch((e: unknown) => e);
    setTimeout(() => ac.abort(new Error('cancelled by caller')), 20);
    expect(((await pending) as Error).message).toBe('cancelled by caller');
  });
});
