import {
  ATTEMPT_OUTCOMES,
  CALL_OUTCOMES,
  RESILIENCE_ATTEMPT_DURATION,
  RESILIENCE_CALLS,
  RESILIENCE_RETRY_ATTEMPTS,
  RESILIENCE_RETRY_BUDGET_EXHAUSTED,
} from '@platform/conventions';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { AccumulatedMetric, resilienceMetrics } from './metrics.js';

const logger = { warn: vi.fn(), debug: vi.fn() };
const RENDERED = [RESILIENCE_CALLS, RESILIENCE_RETRY_ATTEMPTS, RESILIENCE_RETRY_BUDGET_EXHAUSTED, RESILIENCE_ATTEMPT_DURATION].map((d) => d.name);

/** The same events recorded the slow, obvious way: prom-client's own metrics, one call per event. */
function reference() {
  const registry = new Registry();
  const calls = new Counter({ name: RESILIENCE_CALLS.name, help: RESILIENCE_CALLS.help, labelNames: [...RESILIENCE_CALLS.labels], registers: [registry] });
  const retries = new Counter({
    name: RESILIENCE_RETRY_ATTEMPTS.name,
    help: RESILIENCE_RETRY_ATTEMPTS.help,
    labelNames: ['dependency'],
    registers: [registry],
  });
  const budget = new Counter({
    name: RESILIENCE_RETRY_BUDGET_EXHAUSTED.name,
    help: RESILIENCE_RETRY_BUDGET_EXHAUSTED.help,
    labelNames: ['dependency'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: RESILIENCE_ATTEMPT_DURATION.name,
    help: RESILIENCE_ATTEMPT_DURATION.help,
    labelNames: [...RESILIENCE_ATTEMPT_DURATION.labels],
    buckets: [...RESILIENCE_ATTEMPT_DURATION.buckets!],
    registers: [registry],
  });
  return { registry, calls, retries, budget, duration };
}

async function render(registry: Registry, names: string[]): Promise<string> {
  const parts: string[] = [];
  for (const name of names) parts.push(await registry.getSingleMetricAsString(name));
  return parts.join('\n');
}

describe('resilience metrics collectors', () => {
  it('are custom collectors read at scrape time: recording an event never calls prom-client', () => {
    const registry = new Registry();
    const d = resilienceMetrics(registry, logger).dependency('collector-dep');
    for (const name of RENDERED) expect(registry.getSingleMetric(name)).toBeInstanceOf(AccumulatedMetric);
    // prom-client binds inc/observe per instance to these prototype methods.
    const inc = vi.spyOn(Counter.prototype as unknown as { incWithoutExemplar: () => void }, 'incWithoutExemplar');
    const observe = vi.spyOn(Histogram.prototype as unknown as { observeWithoutExemplar: () => void }, 'observeWithoutExemplar');
    try {
      d.call(0);
      d.retry();
      d.budgetExhausted();
      d.observeAttempt(0, 12);
      expect(inc).not.toHaveBeenCalled();
      expect(observe).not.toHaveBeenCalled();
    } finally {
      inc.mockRestore();
      observe.mockRestore();
    }
  });

  it('render exactly what prom-client metrics fed event by event render, in Prometheus and OpenMetrics format', async () => {
    const registry = new Registry();
    const m = resilienceMetrics(registry, logger);
    const ref = reference();
    const durationsMs = [0.2, 5, 5.0001, 74, 100, 999, 1000, 7_499, 12_000, 60_000];
    for (const dep of ['payments', 'inventory']) {
      const d = m.dependency(dep);
      // Every dependency exposes all call outcomes and its retry counters from the start.
      for (const outcome of CALL_OUTCOMES) ref.calls.inc({ dependency: dep, outcome }, 0);
      ref.retries.inc({ dependency: dep }, 0);
      ref.budget.inc({ dependency: dep }, 0);
      durationsMs.forEach((ms, i) => {
        const attempt = i % ATTEMPT_OUTCOMES.length;
        const call = (i * 7) % CALL_OUTCOMES.length;
        d.observeAttempt(attempt, ms);
        ref.duration.observe({ dependency: dep, outcome: ATTEMPT_OUTCOMES[attempt]! }, ms / 1000);
        d.call(call);
        ref.calls.inc({ dependency: dep, outcome: CALL_OUTCOMES[call]! });
        if (i % 3 === 0) {
          d.retry();
          ref.retries.inc({ dependency: dep });
        }
      });
      d.budgetExhausted();
      ref.budget.inc({ dependency: dep });
    }
    // Floating-point sums are added in another order: compare them rounded, everything else exactly.
    const roundSums = (text: string): string => text.replace(/(_sum\{[^}]*\}) (\S+)/g, (_, series: string, v: string) => `${series} ${Number(v).toFixed(9)}`);
    expect(roundSums(await render(registry, RENDERED))).toBe(roundSums(await render(ref.registry, RENDERED)));
    // (the breaker gauge and transition counter stay plain prom-client metrics, not compared here)
    for (const name of registry.getMetricsAsArray().map((x) => x.name)) if (!RENDERED.includes(name)) registry.removeSingleMetric(name);
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    ref.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    expect(roundSums(await registry.metrics())).toBe(roundSums(await ref.registry.metrics()));
  });

  it('resetMetrics() zeroes the accumulators', async () => {
    const registry = new Registry();
    const d = resilienceMetrics(registry, logger).dependency('reset-dep');
    d.call(0);
    d.observeAttempt(0, 3);
    registry.resetMetrics();
    const calls = await registry.getSingleMetric(RESILIENCE_CALLS.name)!.get();
    expect(calls.values.every((v) => v.value === 0)).toBe(true);
    expect((await registry.getSingleMetric(RESILIENCE_ATTEMPT_DURATION.name)!.get()).values).toEqual([]);
  });

  it('leaves a name another library registered alone and warns, instead of throwing into the app', () => {
    const registry = new Registry();
    const foreign = new Counter({ name: RESILIENCE_CALLS.name, help: 'not ours', labelNames: ['x'], registers: [registry] });
    const warn = vi.fn();
    expect(() => resilienceMetrics(registry, { warn, debug: vi.fn() }).dependency('foreign-dep').call(0)).not.toThrow();
    expect(registry.getSingleMetric(RESILIENCE_CALLS.name)).toBe(foreign);
    expect(warn).toHaveBeenCalledWith({ metric: RESILIENCE_CALLS.name }, expect.stringContaining('already registered'));
  });
});
