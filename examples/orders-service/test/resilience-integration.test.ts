/**
 * The example's inventory call goes through `resilient('inventory-api')`. Against a real flaky
 * downstream, retries, the breaker opening and fast rejections must each show up as metrics on
 * /metrics, span events on the request span (over OTLP) and one warn log line with trace ids.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExampleService, type ExampleService } from '../../../packages/telemetry/test/support/example-service.js';
import { waitFor } from '../../../packages/telemetry/test/support/free-port.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../../packages/telemetry/test/support/otlp-receiver.js';
import { startFlakyInventory, type FlakyInventory } from './flaky-inventory.js';

/** Value of one sample in Prometheus text output; undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`)))
      return Number(
        line
          .slice(line.indexOf('}') + 1)
          .trim()
          .split(' ')[0],
      );
  }
  return undefined;
}

describe('example service: resilient calls to a flaky inventory API', () => {
  let receiver: OtlpReceiver;
  let inventory: FlakyInventory;
  let service: ExampleService;
  const statuses: number[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    inventory = await startFlakyInventory();
    service = await startExampleService({ otlpEndpoint: receiver.url, env: { INVENTORY_URL: inventory.url } });
    for (let i = 0; i < 6; i++) statuses.push((await fetch(`${service.baseUrl}/orders/1/inventory`)).status);
    inventory.setMode('down');
    for (let i = 0; i < 8; i++) statuses.push((await fetch(`${service.baseUrl}/orders/1/inventory`)).status);
  });

  afterAll(async () => {
    await service?.stop();
    await receiver?.stop();
    await inventory?.close();
  });

  it('retries absorb an intermittent failure; an outage becomes fast 502s once the breaker opens', () => {
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6).every((s) => s === 502)).toBe(true);
    // 5 consecutive failed attempts open the breaker; later calls never reach the downstream.
    const callsWhileDown = inventory.calls();
    return fetch(`${service.baseUrl}/orders/1/inventory`).then(async (res) => {
      expect(res.status).toBe(502);
      expect(((await res.json()) as { reason: string }).reason).toBe('BreakerOpenError');
      expect(inventory.calls()).toBe(callsWhileDown);
    });
  });

  it('exposes calls by outcome, retries, attempt durations, breaker state and transitions on /metrics', async () => {
    const text = await (await fetch(service.metricsUrl)).text();
    const dep = { dependency: 'inventory-api' };
    expect(sample(text, 'resilience_calls_total', { ...dep, outcome: 'success' })).toBe(6);
    expect(sample(text, 'resilience_calls_total', { ...dep, outcome: 'rejected' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'resilience_calls_total', { ...dep, outcome: 'failure' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'resilience_retry_attempts_total', dep)).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'resilience_attempt_duration_seconds_count', { ...dep, outcome: 'failure' })).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'resilience_circuit_breaker_state', dep)).toBe(1);
    expect(sample(text, 'resilience_circuit_breaker_transitions_total', { ...dep, from_state: 'closed', to_state: 'open' })).toBe(1);
  });

  it('records each attempt and the state change as span events inside the request trace', async () => {
    const spans = await receiver.waitForSpans((s) => s.some((x) => x.events.some((e) => e.name === 'resilience.breaker.transition')));
    const requestTraces = new Set(spans.filter((s) => s.name === 'GET /orders/:id/inventory').map((s) => s.traceId));
    expect(requestTraces.size).toBeGreaterThanOrEqual(6);
    // Events go on the active span: the request's span (or the framework's handler span under it).
    const events = spans.filter((s) => requestTraces.has(s.traceId)).flatMap((s) => s.events);
    const attempts = events.filter((e) => e.name === 'resilience.attempt');
    expect(attempts.some((e) => e.attributes['resilience.attempt'] === 2 && e.attributes['resilience.dependency'] === 'inventory-api')).toBe(true);
    expect(attempts.some((e) => e.attributes['resilience.outcome'] === 'failure' && e.attributes['error.type'] === '503')).toBe(true);
    const opened = events.filter((e) => e.name === 'resilience.breaker.transition');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.attributes).toMatchObject({ 'resilience.breaker.from': 'closed', 'resilience.breaker.to': 'open' });
  });

  it('logs the state change once, at warn, with the trace ids of the request that tripped it', async () => {
    const line = await waitFor(() => service.process.jsonLogs().filter((l) => l.level === 40 && l.dependency === 'inventory-api'));
    expect(line).toHaveLength(1);
    expect(line[0]).toMatchObject({ from: 'closed', to: 'open' });
    expect(line[0]!.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const trippingSpan = receiver.spans.find((s) => s.traceId === line[0]!.trace_id && s.name === 'GET /orders/:id/inventory');
    expect(trippingSpan).toBeDefined();
  });
});
