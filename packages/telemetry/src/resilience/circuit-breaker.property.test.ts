import { BREAKER_STATE_VALUE, CALL_OUTCOMES } from '@platform/conventions';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BreakerOpenError, TimeoutError } from './errors/index.js';
import { getCircuitBreaker, resetResilience, resilient } from './resilient.js';

type Outcome = 'success' | 'failure' | 'timeout';
type Command = { kind: 'start'; outcome: Outcome } | { kind: 'settle'; index: number } | { kind: 'advance'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('start' as const), outcome: fc.constantFrom<Outcome>('success', 'failure', 'timeout') }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('settle' as const), index: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 150 }) }) },
);

const breakerOptions = fc.record({
  consecutiveFailures: fc.integer({ min: 0, max: 4 }),
  failureRateThreshold: fc.constantFrom(0, 0.3, 0.5, 1),
  minimumCalls: fc.integer({ min: 1, max: 6 }),
  window: fc.oneof(
    fc.record({ type: fc.constant('count' as const), size: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ type: fc.constant('time' as const), ms: fc.integer({ min: 10, max: 300 }) }),
  ),
  openDurationMs: fc.integer({ min: 5, max: 100 }),
  halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
  slowCallDurationMs: fc.option(fc.integer({ min: 1, max: 50 }), { nil: undefined }),
  slowCallRateThreshold: fc.constantFrom(0.5, 1),
});

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

interface PendingCall {
  outcome: Outcome;
  resolve: (v: string) => void;
  reject: (e: unknown) => void;
  probe: boolean;
  episode: number;
}

describe('circuit breaker state machine (property)', () => {
  it('keeps its invariants under random outcomes, timing and concurrency', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(breakerOptions, fc.array(command, { minLength: 1, maxLength: 40 }), async (options, commands) => {
        resetResilience();
        const name = `prop-${run++}`;
        const registry = new Registry();
        const clock = {
          t: 1_000,
          now() {
            return this.t;
          },
        };
        const policy = resilient(name, {
          retry: false,
          timeout: false,
          breaker: options,
          clock,
          telemetry: { registry, logger: { warn: () => undefined, debug: () => undefined } },
        });
        const breaker = getCircuitBreaker(name)!;
        let episode = 0;
        breaker.onTransition(() => episode++);
        const pending: PendingCall[] = [];
        const settled: Promise<unknown>[] = [];
        let executed = 0;

        const checkGauge = async () => {
          const state = breaker.state;
          const { values } = await registry.getSingleMetric('resilience_circuit_breaker_state')!.get();
          expect(values.find((v) => v.labels.dependency === name)?.value).toBe(BREAKER_STATE_VALUE[state]);
        };

        for (const c of commands) {
          if (c.kind === 'advance') {
            clock.t += c.ms;
          } else if (c.kind === 'start') {
            const before = breaker.snapshot();
            let called = false;
            let call: PendingCall | undefined;
            const promise = policy.execute(
              () =>
                new Promise<string>((resolve, reject) => {
                  called = true;
                  call = { outcome: c.outcome, resolve, reject, probe: breaker.state === 'half_open', episode };
                  pending.push(call);
                }),
            );
            executed++;
            settled.push(
              promise.then(
                () => 'ok',
                (e: unknown) => e,
              ),
            );
            if (before.state === 'open' && before.openRemainingMs !== 0) {
              // open (not yet due, or isolated) rejects without calling fn
              expect(called).toBe(false);
              expect(await Promise.race([promise.catch((e: unknown) => e), flush().then(() => 'pending')])).toBeInstanceOf(BreakerOpenError);
            }
          } else if (pending.length > 0) {
            const [call] = pending.splice(c.index % pending.length, 1);
            if (call!.outcome === 'success') call!.resolve('ok');
            else call!.reject(call!.outcome === 'timeout' ? new TimeoutError(name, 1) : new Error('fail'));
            clock.t += 1;
            await flush();
          }
          // never more than halfOpenMaxCalls probes of the current half-open episode in flight
          if (breaker.snapshot().state === 'half_open') {
            const probes = pending.filter((p) => p.probe && p.episode === episode).length;
            expect(probes).toBeLessThanOrEqual(options.halfOpenMaxCalls);
            expect(breaker.snapshot().halfOpenInFlight).toBe(probes);
          }
          await checkGauge();
        }

        for (const p of pending.splice(0)) p.resolve('ok');
        await Promise.all(settled);
        await checkGauge();
        const { values } = await registry.getSingleMetric('resilience_calls_total')!.get();
        const total = values.filter((v) => v.labels.dependency === name).reduce((sum, v) => sum + v.value, 0);
        expect(total).toBe(executed);
        for (const v of values) expect(CALL_OUTCOMES).toContain(v.labels.outcome);
        const transitions = await registry.getSingleMetric('resilience_circuit_breaker_transitions_total')!.get();
        expect(transitions.values.reduce((s, v) => s + v.value, 0)).toBe(episode);
      }),
      { numRuns: 150 },
    );
  });
});
