/**
 * Secrets never leave the process through telemetry, and unknown URLs cannot explode metric
 * cardinality. Runs the instrumented example (traces over protobuf, logs over JSON so both
 * encodings are searched raw).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleService, type ExampleService } from '../support/example-service.js';
import { waitFor } from '../support/free-port.js';
import { runLoad } from '../support/load.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

let receiver: OtlpReceiver;
let service: ExampleService;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  service = await startExampleService({ otlpEndpoint: receiver.url, env: { OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json' } });
});
afterAll(async () => {
  await service?.stop();
  await receiver?.stop();
});

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

describe('secrets and cardinality (orders-service, --import register)', () => {
  it('Authorization, Cookie, ?token= and a JSON body password appear nowhere: stdout/stderr, spans, /metrics (text + OpenMetrics), raw OTLP bytes', async () => {
    const s = { auth: secret('AUTH'), cookie: secret('COOKIE'), token: secret('TOKEN'), password: secret('PASSWORD') };
    const headers = { authorization: `Bearer ${s.auth}`, cookie: `session=${s.cookie}`, 'content-type': 'application/json' };
    const post = await fetch(`${service.baseUrl}/orders?token=${s.token}&page=1`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ sku: 'bolt', quantity: 1, password: s.password }),
    });
    expect(post.status).toBe(201);
    const get = await fetch(`${service.baseUrl}/orders/1?token=${s.token}`, { headers });
    expect(get.status).toBe(200);

    // Wait until both requests' spans and log records were exported.
    const spans = await receiver.waitForSpans(
      (all) => all.filter((x) => x.kind === SPAN_KIND.SERVER && String(x.attributes['url.query']).includes('token=REDACTED')).length >= 2,
    );
    const server = spans.filter((x) => x.kind === SPAN_KIND.SERVER && String(x.attributes['url.query']).includes('token=REDACTED'));
    const traceIds = new Set(server.map((x) => x.traceId));
    await receiver.waitForLogs((l) => l.filter((r) => traceIds.has(r.traceId) && r.body === 'request handled').length >= 2);
    expect(server.find((x) => x.name === 'POST /orders')!.attributes['url.query']).toBe('token=REDACTED&page=1');
    const om = await (await fetch(service.metricsUrl, { headers: { accept: 'application/openmetrics-text; version=1.0.0' } })).text();
    const text = await (await fetch(service.metricsUrl)).text();
    const appMetrics = await (await fetch(`${service.baseUrl}/metrics`)).text();
    expect(text).toContain('http_route="/orders",http_response_status_code="201"');

    const haystacks: Record<string, string> = {
      stdout: service.process.stdoutLines.join('\n'),
      stderr: service.process.stderr(),
      decodedSpans: JSON.stringify(receiver.spans),
      decodedLogs: JSON.stringify(receiver.logs),
      metricsText: text,
      metricsOpenMetrics: om,
      appMetricsRoute: appMetrics,
    };
    const raw = receiver.rawBodies;
    expect(raw.some((r) => r.signal === 'traces')).toBe(true);
    expect(raw.some((r) => r.signal === 'logs')).toBe(true);
    for (const [name, value] of Object.entries(s)) {
      for (const [where, hay] of Object.entries(haystacks)) expect(hay.includes(value), `${name} leaked into ${where}`).toBe(false);
      const needle = Buffer.from(value, 'utf8');
      for (const r of raw) {
        expect(r.wire.includes(needle), `${name} in raw ${r.signal} bytes`).toBe(false);
        expect(r.body.includes(needle), `${name} in gunzipped ${r.signal} bytes`).toBe(false);
      }
    }
    // The search is meaningful: the harmless parts of those same requests did arrive.
    expect(raw.some((r) => r.body.includes(Buffer.from('token=REDACTED')))).toBe(true);
  });

  it('a malformed JSON body carrying a password: the error is logged (with its type) but the raw body never is', async () => {
    const password = secret('RAWBODY');
    const res = await fetch(`${service.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"sku":"bolt","password":"${password}",`, // truncated: body-parser keeps the raw text on err.body
    });
    expect(res.status).toBe(400);
    const line = await waitFor(() => service.process.jsonLogs().find((l) => l.msg === 'request rejected'));
    expect((line.err as { type?: string }).type).toBe('SyntaxError');
    expect((line.err as { body?: string }).body).toBe('[REDACTED]');
    const logs = await receiver.waitForLogs((l) => l.some((r) => r.body === 'request rejected'));
    expect(service.process.stdoutLines.join('\n').includes(password)).toBe(false);
    expect(JSON.stringify(logs).includes(password)).toBe(false);
    for (const r of receiver.rawBodies) expect(r.body.includes(Buffer.from(password))).toBe(false);
  });

  it('10,000 distinct unknown URLs produce exactly one http_route label value (`unmatched`), and methods stay bounded', async () => {
    const run = randomBytes(4).toString('hex');
    const load = await runLoad({
      baseUrl: service.baseUrl,
      durationMs: 25_000,
      maxRequests: 10_000,
      concurrency: 32,
      next: (i) => ({ path: `/unknown/${run}/${i}/${randomBytes(3).toString('hex')}?q=${i}`, expect: 404 }),
    });
    expect(load.errors.slice(0, 3)).toEqual([]);
    expect(load.total).toBe(10_000);
    // Unusual (but parseable) methods collapse into _OTHER.
    for (const method of ['PROPFIND', 'PURGE', 'MKCOL']) {
      const r = await fetch(`${service.baseUrl}/unknown/${run}/m`, { method });
      await r.arrayBuffer();
    }
    const text = await (await fetch(service.metricsUrl)).text();
    const count = text.split('\n').filter((l) => l.startsWith('http_server_request_duration_seconds_count{'));
    const routes = new Set(count.map((l) => /http_route="([^"]*)"/.exec(l)?.[1]));
    const methods = new Set(count.map((l) => /http_request_method="([^"]*)"/.exec(l)?.[1]));
    // Everything this service was ever sent in this file: the readiness probe, the secrets test, and the unknown URLs.
    expect([...routes].sort()).toEqual(['/healthz', '/orders', '/orders/:id', 'unmatched']);
    expect([...methods].sort()).toEqual(['GET', 'POST', '_OTHER']);
    const unmatched404 = count.find((l) => l.includes('http_request_method="GET",http_route="unmatched",http_response_status_code="404"'));
    expect(Number(unmatched404?.split(' ').pop())).toBe(10_000);
    expect(text).not.toContain(run);
    const seriesLines = text.split('\n').filter((l) => l.startsWith('http_server_request_duration_seconds_bucket{')).length;
    console.log(
      `FIGURE cardinality ${JSON.stringify({ requests: load.total, elapsedMs: load.elapsedMs, routes: [...routes], countSeries: count.length, bucketLines: seriesLines })}`,
    );
    expect(count.length).toBeLessThanOrEqual(8);
  });
});
