/**
 * The instrumented example under steady load while its OTLP endpoint is refused, answers 503,
 * answers 429 + Retry-After, or black-holes requests: the service keeps serving (0 errors), the
 * SDK stays quiet and bounded, and telemetry flows again once the endpoint recovers.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startExampleService, type ExampleService } from '../support/example-service.js';
import { freePort } from '../support/free-port.js';
import { readRssKb, runLoad, sampleRss, stderrLines, warningLines, type LoadRequest } from '../support/load.js';
import { OtlpReceiver, SPAN_KIND } from '../support/otlp-receiver.js';

type Fault = 'refused' | '503' | '429' | 'blackhole';

/** Load: 8 keep-alive loops for 2.5 s (at most 20,000 requests) on read-only routes. */
const LOAD_MS = 2500;
const CONCURRENCY = 8;
const ROUTES: LoadRequest[] = [
  { path: '/orders/1', expect: 200 },
  { path: '/orders/2', expect: 200 },
  { path: '/orders', expect: 200 },
  { path: '/orders/404', expect: 404 },
  { path: '/healthz', expect: 200 },
];
/** RSS may grow at most this much over the post-warm-up baseline during the outage (queues are capped at 2048). */
const RSS_GROWTH_BOUND_MB = 80;
/** ... and never exceed this absolute figure. */
const RSS_ABSOLUTE_BOUND_MB = 256;
/** SDK warning lines (stdout, pino level >= warn) allowed for a whole outage: diag errors are rate-limited to 1/min. */
const WARNING_LINES_BOUND = 2;

let service: ExampleService | undefined;
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  await service?.stop();
  await receiver?.stop();
  service = undefined;
  receiver = undefined;
});

async function outage(fault: Fault) {
  const port = await freePort();
  receiver = new OtlpReceiver();
  if (fault !== 'refused') {
    await receiver.start(port);
    receiver.setMode(fault, 1);
  }
  service = await startExampleService({
    otlpEndpoint: `http://127.0.0.1:${port}`,
    // A black-holed export holds one of the exporter's 4 concurrent slots until its timeout:
    // 2 s (instead of the 10 s default) keeps recovery within the test budget.
    env: fault === 'blackhole' ? { OTEL_EXPORTER_OTLP_TIMEOUT: '2000' } : {},
  });
  const pid = service.process.child.pid!;
  const routeFor = (i: number): LoadRequest => ROUTES[i % ROUTES.length]!;
  // Warm-up (JIT, lazy requires, first failing exports), then the baseline.
  const warm = await runLoad({ baseUrl: service.baseUrl, durationMs: 800, maxRequests: 2000, concurrency: CONCURRENCY, next: routeFor });
  expect(warm.errors).toEqual([]);
  const baselineKb = readRssKb(pid)!;
  const sampler = sampleRss(pid, 200);
  const load = await runLoad({ baseUrl: service.baseUrl, durationMs: LOAD_MS, maxRequests: 20_000, concurrency: CONCURRENCY, next: routeFor });
  const samples = sampler.stop();
  const peakKb = Math.max(...samples);

  // Faults actually happened: the SDK tried to export during the outage and got no 2xx.
  if (fault === 'refused') expect(receiver.requests).toHaveLength(0);
  else {
    expect(receiver.requests.length).toBeGreaterThan(0);
    expect(receiver.requests.every((r) => r.status !== 200)).toBe(true);
  }
  const duringOutage = receiver.requests.length;

  // Recovery.
  if (fault === 'refused') await receiver.start(port);
  else receiver.setMode('ok');
  // The span and log queues (2048 each) are full from the outage, so a request made at the
  // very moment of recovery may be dropped (by design). Send a fresh marked request every
  // 250 ms (at most 100) until one arrives both as a span and as its correlated log record.
  const recoveryStart = Date.now();
  const markers = new Set<string>();
  const arrived = () => {
    const traceIds = new Set(
      receiver!.spans.filter((x) => x.kind === SPAN_KIND.SERVER && markers.has(String(x.attributes['url.query']).replace('marker=', ''))).map((x) => x.traceId),
    );
    return receiver!.logs.some((r) => traceIds.has(r.traceId) && r.body === 'request handled');
  };
  for (let i = 0; i < 100 && !arrived(); i++) {
    const marker = randomUUID();
    markers.add(marker);
    const res = await fetch(`${service.baseUrl}/orders/1?marker=${marker}`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(arrived(), 'a request made after recovery arrives as span + correlated log record').toBe(true);
  const recoveryMs = Date.now() - recoveryStart;

  const stdout = service.process.jsonLogs();
  const warnings = warningLines(stdout);
  const stderr = stderrLines(service.process.stderr());
  const unhandled = stderr.filter((l) => /Unhandled|unhandledRejection|uncaught/i.test(l)).length;
  const stopped = await service.stop();

  const figure = {
    fault,
    requests: load.total,
    rps: Math.round((load.total / load.elapsedMs) * 1000),
    errors: load.errors.length,
    baselineMb: +(baselineKb / 1024).toFixed(1),
    peakMb: +(peakKb / 1024).toFixed(1),
    growthMb: +((peakKb - baselineKb) / 1024).toFixed(1),
    exportAttemptsDuringOutage: duringOutage,
    warningLines: warnings.length,
    stderrLines: stderr.length,
    recoveryMs,
  };
  console.log(`FIGURE otlp-fault ${JSON.stringify(figure)}`);

  expect(load.errors.slice(0, 5)).toEqual([]);
  expect(load.total).toBeGreaterThan(200);
  expect(unhandled).toBe(0);
  expect(stderr).toEqual([]);
  expect(warnings.length, JSON.stringify(warnings)).toBeLessThanOrEqual(WARNING_LINES_BOUND);
  for (const w of warnings) expect(String(w.msg)).toMatch(/^OpenTelemetry SDK: /);
  expect((peakKb - baselineKb) / 1024).toBeLessThan(RSS_GROWTH_BOUND_MB);
  expect(peakKb / 1024).toBeLessThan(RSS_ABSOLUTE_BOUND_MB);
  expect(stopped).toEqual({ code: 0, signal: null });
}

describe('OTLP endpoint faults under steady load (orders-service, --import register)', () => {
  it('endpoint refused (port closed), then starts listening: no crash, 0 errors, bounded RSS/warnings, telemetry resumes', async () => {
    await outage('refused');
  });
  it('endpoint answers 503, then recovers: no crash, 0 errors, bounded RSS/warnings, telemetry resumes', async () => {
    await outage('503');
  });
  it('endpoint answers 429 with Retry-After: 1, then recovers: no crash, 0 errors, bounded RSS/warnings, telemetry resumes', async () => {
    await outage('429');
  });
  it('endpoint black-holed (accepts, never answers), then recovers: no crash, 0 errors, bounded RSS/warnings, telemetry resumes', async () => {
    await outage('blackhole');
  });
});
