/**
 * A real Prometheus (scrape_interval 1s) scrapes the instrumented example while it serves
 * steady load AND its OTLP collector is black-holed: no scrape is missed or fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleService, type ExampleService } from '../support/example-service.js';
import { waitFor } from '../support/free-port.js';
import { runLoad } from '../support/load.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { prometheusSkipReason, startPrometheus, type PrometheusServer } from '../support/prometheus.js';

const skipReason = prometheusSkipReason();
const JOB = 'orders-under-load';
const LOAD_S = 8;
/** Max scrape duration accepted (scrape_timeout is 1 s) on a shared 2-core machine. */
const SCRAPE_DURATION_BOUND_S = 0.25;

describe.skipIf(skipReason !== undefined)('Prometheus scrapes during load (collector black-holed)', () => {
  let receiver: OtlpReceiver;
  let service: ExampleService;
  let prom: PrometheusServer;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    receiver.setMode('blackhole');
    service = await startExampleService({ otlpEndpoint: receiver.url, env: { OTEL_EXPORTER_OTLP_TIMEOUT: '2000' } });
    prom = await startPrometheus({ job: JOB, targets: [`127.0.0.1:${service.metricsPort}`] });
    await waitFor(() => prom.targetsUp(), 15_000);
  });
  afterAll(async () => {
    await prom?.stop();
    await service?.stop();
    await receiver?.stop();
  });

  it(`every 1 s scrape during ${LOAD_S} s of load succeeds: up == 1 for every sample, ~${LOAD_S} scrapes, small scrape_duration_seconds`, async () => {
    const start = Date.now() / 1000;
    const load = await runLoad({
      baseUrl: service.baseUrl,
      durationMs: LOAD_S * 1000,
      maxRequests: 50_000,
      concurrency: 8,
      next: (i) => ({ path: i % 3 === 0 ? '/orders' : `/orders/${(i % 2) + 1}`, expect: 200 }),
    });
    const end = Date.now() / 1000;
    expect(load.errors.slice(0, 3)).toEqual([]);
    // Let the last scrape of the window land.
    await new Promise((r) => setTimeout(r, 1500));
    const window = `${Math.floor(end - start)}s`;
    const at = end.toFixed(3);
    const q = async (promql: string): Promise<number> => {
      const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(promql)}&time=${at}`);
      const body = (await res.json()) as { data: { result: Array<{ value: [number, string] }> } };
      const v = body.data.result[0]?.value[1];
      if (v === undefined) throw new Error(`no result for ${promql}`);
      return Number(v);
    };
    const sel = `{job="${JOB}"}`;
    const scrapes = await q(`count_over_time(up${sel}[${window}])`);
    const minUp = await q(`min_over_time(up${sel}[${window}])`);
    const maxDuration = await q(`max_over_time(scrape_duration_seconds${sel}[${window}])`);
    const expected = Math.floor(end - start);
    const counted = await q(`sum(increase(http_server_request_duration_seconds_count${sel}[${window}]))`).catch(() => NaN);
    console.log(
      `FIGURE prometheus-under-load ${JSON.stringify({ loadRequests: load.total, rps: Math.round(load.total / LOAD_S), window, scrapes, expected, minUp, maxScrapeDurationS: maxDuration, otlpPending: receiver.requests.length, promCountedIncrease: Math.round(counted) })}`,
    );
    expect(receiver.requests.length).toBeGreaterThan(0); // the collector really was hanging during the load
    expect(minUp).toBe(1);
    expect(scrapes).toBeGreaterThanOrEqual(expected - 1);
    expect(scrapes).toBeLessThanOrEqual(expected + 1);
    expect(maxDuration).toBeLessThan(SCRAPE_DURATION_BOUND_S);
    // What Prometheus stored accounts for the load (increase() extrapolates at the window edges).
    expect(counted).toBeGreaterThan(load.total * 0.8);
    expect(counted).toBeLessThan(load.total * 1.2);
  });
});
