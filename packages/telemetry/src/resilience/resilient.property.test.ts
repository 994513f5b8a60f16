import fc from 'fast-check';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetResilience, resilient } from './resilient.js';

type Behaviour = 'success' | 'failure' | 'hang' | 'client-error' | 'slow-success';

const behaviour = fc.constantFrom<Behaviour>('success', 'failure', 'hang', 'client-error', 'slow-success');

beforeEach(() => {
  resetResilience();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

async function sum(registry: Registry, metric: string, name: string, filter: (labels: Record<string, unknown>) => boolean = () => true) {
  const base = metric.replace(/_count$/, '');
  const m = registry.getSingleMetric(base);
  if (!m) return 0;
  const { values } = await m.get();
  return values
    .filter((v) => ((v as { metricName?: string }).metricName ?? base) === metric && v.labels.dependency === name && filter(v.labels))
    .reduce((s, v) => s + v.value, 0);
}

describe('resilient() accounting (property)', () => {
  it('metrics add up across retries, timeouts, budget and breaker under concurrency', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 400 }), behaviours: fc.array(behaviour, { minLength: 1, maxLength: 4 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (calls, maxAttempts, consecutiveFailures) => {
          resetResilience();
          const name = `acct-${run++}`;
          const registry = new Registry();
          const policy = resilient(name, {
            clock: { now: () => performance.now() },
            retry: { maxAttempts, baseDelayMs: 5, maxDelayMs: 20, random: () => 0.5, budget: { ratio: 0.2, minRetriesPerSecond: 1 } },
            breaker: { consecutiveFailures, openDurationMs: 50, halfOpenMaxCalls: 1 },
            timeout: 30,
            telemetry: { registry, logger: { warn: () => undefined, debug: () => undefined } },
          });
          let invocations = 0;
          let callsWithInvocation = 0;
          const results: Promise<unknown>[] = [];
          let last = 0;
          for (const c of [...calls].sort((a, b) => a.at - b.at)) {
            await vi.advanceTimersByTimeAsync(c.at - last);
            last = c.at;
            let i = 0;
            let invoked = false;
            results.push(
              policy
                .execute(() => {
                  invocations++;
                  if (!invoked) {
                    invoked = true;
                    callsWithInvocation++;
                  }
                  const b = c.behaviours[Math.min(i++, c.behaviours.length - 1)]!;
                  switch (b) {
                    case 'success':
                      return Promise.resolve('ok');
                    case 'slow-success':
                      return new Promise((r) => setTimeout(() => r('ok'), 10));
                    case 'failure':
                      return Promise.reject(new Error('fail'));
                    case 'client-error':
                      return Promise.reject(Object.assign(new Error('bad request'), { status: 400 }));
                    case 'hang':
                      return new Promise(() => undefined);
                  }
                })
                .then(
                  () => 'ok',
                  (e: unknown) => e,
                ),
            );
          }
          await vi.advanceTimersByTimeAsync(10_000);
          await Promise.all(results);
          expect(await sum(registry, 'resilience_calls_total', name)).toBe(calls.length);
          expect(await sum(registry, 'resilience_attempt_duration_seconds_count', name)).toBe(invocations);
          expect(await sum(registry, 'resilience_retry_attempts_total', name)).toBe(invocations - callsWithInvocation);
          expect(await sum(registry, 'resilience_calls_total', name, (l) => l.outcome === 'rejected')).toBe(calls.length - callsWithInvocation);
        },
      ),
      { numRuns: 100 },
    );
  });
});
