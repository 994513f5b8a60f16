import { ROOT_CONTEXT, context, trace, type Context, type ContextManager, type Span } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BreakerOpenError, HttpStatusError, RetryBudgetExceededError, TimeoutError } from './errors/index.js';
import { ResilientPolicy, getCircuitBreaker, resetResilience, resilient, type ResilientOptions } from './resilient.js';

const FAKE = { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] as const };

function harness() {
  const registry = new Registry();
  const lines: Array<Record<string, unknown>> = [];
  const logger = {
    warn: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'warn', msg, ...fields }),
    debug: (fields: Record<string, unknown>, msg: string) => lines.push({ level: 'debug', msg, ...fields }),
  };
  // The default clock captured the real `performance` at load; read the faked one instead.
  const clock = { now: () => performance.now() };
  const policy = (name: string, options: ResilientOptions = {}) => resilient(name, { clock, ...options, telemetry: { registry, logger } });
  async function value(metric: string, labels: Record<string, string | number>): Promise<number> {
    const base = metric.replace(/_(count|sum|bucket)$/, '');
    const m = registry.getSingleMetric(base);
    if (!m) return 0;
    const { values } = await m.get();
    const hit = values.find(
      (v) =>
        ((v as { metricName?: string }).metricName ?? base) === metric &&
        Object.entries(labels).every(([k, x]) => (v.labels as Record<string, unknown>)[k] === x),
    );
    return hit?.value ?? 0;
  }
  return { registry, lines, policy, value };
}

const fail = (msg = 'boom') => Promise.reject(new Error(msg));

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

beforeEach(() => {
  resetResilience();
  vi.useFakeTimers(FAKE);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('resilient().execute', () => {
  it('passes a successful call through and records it', async () => {
    const h = harness();
    const p = h.policy('ok-dep');
    await expect(p.execute(async () => 42)).resolves.toBe(42);
    expect(await h.value('resilience_calls_total', { dependency: 'ok-dep', outcome: 'success' })).toBe(1);
    expect(await h.value('resilience_attempt_duration_seconds_count', { dependency: 'ok-dep', outcome: 'success' })).toBe(1);
    expect(await h.value('resilience_circuit_breaker_state', { dependency: 'ok-dep' })).toBe(0);
    expect(await h.value('resilience_retry_attempts_total', { dependency: 'ok-dep' })).toBe(0);
  });

  it('accepts synchronous functions, values and throws', async () => {
    const h = harness();
    const p = h.policy('sync-dep', { retry: false });
    await expect(p.execute(() => 7)).resolves.toBe(7);
    await expect(
      p.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
  });

  it('retries with jittered backoff and then succeeds', async () => {
    const h = harness();
    const fn = vi
      .fn()
      .mockImplementationOnce(() => fail())
      .mockImplementationOnce(() => fail())
      .mockResolvedValue('ok');
    const p = h.policy('retry-dep', { retry: { maxAttempts: 3, baseDelayMs: 100, random: () => 0 } });
    const done = p.execute(fn);
    await vi.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    await expect(done).resolves.toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
    expect(await h.value('resilience_retry_attempts_total', { dependency: 'retry-dep' })).toBe(2);
    expect(await h.value('resilience_attempt_duration_seconds_count', { dependency: 'retry-dep', outcome: 'failure' })).toBe(2);
    expect(await h.value('resilience_calls_total', { dependency: 'retry-dep', outcome: 'success' })).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const h = harness();
    let n = 0;
    const p = h.policy('exhaust-dep', { retry: { maxAttempts: 2, random: () => 0 } });
    const done = p.execute(() => fail(`e${++n}`));
    const check = expect(done).rejects.toThrow('e2');
    await vi.advanceTimersByTimeAsync(1_000);
    await check;
    expect(await h.value('resilience_calls_total', { dependency: 'exhaust-dep', outcome: 'failure' })).toBe(1);
  });

  it('does not retry non-retryable errors nor non-idempotent calls', async () => {
    const h = harness();
    const p = h.policy('noretry-dep');
    const fn = vi.fn(() => Promise.reject(Object.assign(new Error('not found'), { status: 404 })));
    await expect(p.execute(fn)).rejects.toThrow('not found');
    expect(fn).toHaveBeenCalledTimes(1);
    const fn2 = vi.fn(() => fail());
    await expect(p.execute(fn2, { idempotent: false })).rejects.toThrow('boom');
    expect(fn2).toHaveBeenCalledTimes(1);
  });

  it('honours Retry-After (given in the error) instead of the backoff', async () => {
    const h = harness();
    const fn = vi
      .fn()
      .mockImplementationOnce(() => Promise.reject(new HttpStatusError('ra-dep', 503, 2_000)))
      .mockResolvedValue('ok');
    const done = h.policy('ra-dep', { retry: { maxDelayMs: 5_000 } }).execute(fn);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(done).resolves.toBe('ok');
  });

  it('throws RetryBudgetExceededError once the budget is spent and counts it', async () => {
    const h = harness();
    const p = h.policy('budget-dep', {
      retry: { maxAttempts: 2, random: () => 0, budget: { ratio: 0, minRetriesPerSecond: 0.1, windowMs: 10_000 } },
      breaker: false,
    });
    const first = p.execute(() => fail('first'));
    const c1 = expect(first).rejects.toThrow('first');
    await vi.advanceTimersByTimeAsync(200);
    await c1;
    const err = await p.execute(() => fail('second')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryBudgetExceededError);
    expect((err as RetryBudgetExceededError).dependency).toBe('budget-dep');
    expect(((err as Error).cause as Error).message).toBe('second');
    expect(await h.value('resilience_retry_budget_exhausted_total', { dependency: 'budget-dep' })).toBe(1);
    expect(await h.value('resilience_retry_attempts_total', { dependency: 'budget-dep' })).toBe(1);
    expect(await h.value('resilience_calls_total', { dependency: 'budget-dep', outcome: 'failure' })).toBe(2);
  });

  it('opens the breaker, rejects without calling fn, logs each transition once at warn', async () => {
    const h = harness();
    const p = h.policy('brk-dep', { retry: false, breaker: { consecutiveFailures: 2, openDurationMs: 1_000 } });
    const fn = vi.fn(() => fail());
    await expect(p.execute(fn)).rejects.toThrow('boom');
    await expect(p.execute(fn)).rejects.toThrow('boom');
    const err = await p.execute(fn).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect((err as BreakerOpenError).retryAfterMs).toBe(1_000);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(await h.value('resilience_calls_total', { dependency: 'brk-dep', outcome: 'rejected' })).toBe(1);
    expect(await h.value('resilience_circuit_breaker_state', { dependency: 'brk-dep' })).toBe(1);
    expect(await h.value('resilience_circuit_breaker_transitions_total', { dependency: 'brk-dep', from_state: 'closed', to_state: 'open' })).toBe(1);
    expect(h.lines).toEqual([expect.objectContaining({ level: 'warn', dependency: 'brk-dep', from: 'closed', to: 'open', reason: 'consecutive_failures' })]);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(p.execute(async () => 'ok')).resolves.toBe('ok');
    expect(await h.value('resilience_circuit_breaker_state', { dependency: 'brk-dep' })).toBe(0);
    expect(h.lines.map((l) => `${String(l.from)}->${String(l.to)}`)).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('breaker inside retry: retrying stops as soon as the breaker opens', async () => {
    const h = harness();
    const p = h.policy('inner-dep', { retry: { maxAttempts: 5, random: () => 0 }, breaker: { consecutiveFailures: 2 } });
    const fn = vi.fn(() => fail('down'));
    const done = p.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_000);
    const err = await done;
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect(((err as Error).cause as Error).message).toBe('down');
    expect(fn).toHaveBeenCalledTimes(2);
    // fn ran, so the call's outcome is its last attempt's, not "rejected"
    expect(await h.value('resilience_calls_total', { dependency: 'inner-dep', outcome: 'failure' })).toBe(1);
    expect(await h.value('resilience_calls_total', { dependency: 'inner-dep', outcome: 'rejected' })).toBe(0);
  });

  it('lets at most halfOpenMaxCalls probes run concurrently while half-open', async () => {
    const h = harness();
    const p = h.policy('probe-dep', { retry: false, breaker: { consecutiveFailures: 1, openDurationMs: 500, halfOpenMaxCalls: 2 } });
    await expect(p.execute(() => fail())).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(500);
    const gates = [deferred<string>(), deferred<string>()];
    let started = 0;
    const fn = vi.fn(() => gates[started++]!.promise);
    const calls = Array.from({ length: 5 }, () =>
      p.execute(fn).then(
        (v) => v,
        (e: unknown) => e,
      ),
    );
    expect(fn).toHaveBeenCalledTimes(2);
    gates[0]!.resolve('a');
    gates[1]!.resolve('b');
    const results = await Promise.all(calls);
    expect(results.slice(0, 2)).toEqual(['a', 'b']);
    for (const r of results.slice(2)) {
      expect(r).toBeInstanceOf(BreakerOpenError);
      expect((r as BreakerOpenError).state).toBe('half_open');
    }
    expect(getCircuitBreaker('probe-dep')!.state).toBe('closed');
  });

  it('a caller abort during the backoff sleep cancels the call and further retries', async () => {
    const h = harness();
    const ac = new AbortController();
    const fn = vi.fn(() => fail());
    const p = h.policy('abort-dep', { retry: { maxAttempts: 5, baseDelayMs: 100, random: () => 0 } });
    const done = p.execute(fn, { signal: ac.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    ac.abort(new Error('client went away'));
    expect(((await done) as Error).message).toBe('client went away');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(await h.value('resilience_calls_total', { dependency: 'abort-dep', outcome: 'failure' })).toBe(1);
  });

  it('a caller abort during an attempt aborts its signal and rejects at once, without tripping the breaker', async () => {
    const h = harness();
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    const p = h.policy('abort2-dep', { breaker: { consecutiveFailures: 1 } });
    const done = p
      .execute(
        (signal) => {
          seen = signal;
          return new Promise(() => undefined);
        },
        { signal: ac.signal },
      )
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    ac.abort();
    expect(((await done) as Error).name).toBe('AbortError');
    expect(seen!.aborted).toBe(true);
    expect(getCircuitBreaker('abort2-dep')!.state).toBe('closed');
  });

  it('rejects immediately when the caller signal is already aborted', async () => {
    const h = harness();
    const fn = vi.fn(async () => 1);
    await expect(h.policy('pre-dep').execute(fn, { signal: AbortSignal.abort(new Error('pre')) })).rejects.toThrow('pre');
    expect(fn).not.toHaveBeenCalled();
  });

  it('times out an attempt that ignores its signal, aborts the signal, counts a timeout', async () => {
    const h = harness();
    let seen: AbortSignal | undefined;
    const p = h.policy('to-dep', { retry: false, timeout: { ms: 100 }, breaker: { consecutiveFailures: 1 } });
    const done = p
      .execute((signal) => {
        seen = signal;
        return new Promise(() => undefined);
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(99);
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    const err = await done;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).timeoutMs).toBe(100);
    expect(seen!.aborted).toBe(true);
    expect(seen!.reason).toBeInstanceOf(TimeoutError);
    expect(await h.value('resilience_calls_total', { dependency: 'to-dep', outcome: 'timeout' })).toBe(1);
    expect(await h.value('resilience_attempt_duration_seconds_count', { dependency: 'to-dep', outcome: 'timeout' })).toBe(1);
    expect(getCircuitBreaker('to-dep')!.state).toBe('open');
  });

  it('retries after a per-attempt timeout with a fresh signal', async () => {
    const h = harness();
    const signals: AbortSignal[] = [];
    const abortedAtStart: boolean[] = [];
    const fn = vi.fn((signal: AbortSignal) => {
      signals.push(signal);
      abortedAtStart.push(signal.aborted);
      return signals.length === 1 ? new Promise<string>(() => undefined) : Promise.resolve('second');
    });
    const done = h.policy('to2-dep', { timeout: 50, retry: { random: () => 0, baseDelayMs: 10 } }).execute(fn);
    await vi.advanceTimersByTimeAsync(200);
    await expect(done).resolves.toBe('second');
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[1]).not.toBe(signals[0]);
    expect(abortedAtStart).toEqual([false, false]);
  });

  it('shares one breaker per dependency name', async () => {
    const h = harness();
    const a = h.policy('shared-dep', { retry: false, breaker: { consecutiveFailures: 1 } });
    const b = h.policy('shared-dep', { retry: false });
    expect(a.breaker).toBe(b.breaker);
    expect(getCircuitBreaker('shared-dep')).toBe(a.breaker);
    await expect(a.execute(() => fail())).rejects.toThrow();
    await expect(b.execute(async () => 1)).rejects.toBeInstanceOf(BreakerOpenError);
    a.breaker!.reset();
    await expect(b.execute(async () => 1)).resolves.toBe(1);
  });

  it('isolate() rejects every call until reset()', async () => {
    const h = harness();
    const p = h.policy('iso-dep');
    p.breaker!.isolate();
    await vi.advanceTimersByTimeAsync(3_600_000);
    const err = await p.execute(async () => 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect((err as BreakerOpenError).retryAfterMs).toBeUndefined();
    p.breaker!.reset();
    await expect(p.execute(async () => 1)).resolves.toBe(1);
    expect(h.lines.map((l) => l.reason)).toEqual(['isolated', 'reset']);
  });
});

describe('execution paths', () => {
  // The fast path (first attempt, no caller signal) settles the call without the general path's
  // async retry loop; everything else goes through `run`. Both admit, time out and invoke an
  // attempt with the same code, so this pins only which continuation is taken.
  it('a call without a caller signal whose first attempt succeeds never enters the general path', async () => {
    const h = harness();
    const p = h.policy('fast-dep');
    const run = vi.spyOn(ResilientPolicy.prototype, 'run');
    try {
      await expect(p.execute(async () => 1)).resolves.toBe(1);
      await expect(p.execute(() => 2)).resolves.toBe(2);
      expect(run).not.toHaveBeenCalled();
      await expect(p.execute(async () => 3, { signal: new AbortController().signal })).resolves.toBe(3);
      expect(run).toHaveBeenCalledTimes(1);
      run.mockClear();
      // A failed first attempt is handed over (with its permit and timing) to retry there.
      const fn = vi
        .fn()
        .mockRejectedValueOnce(new HttpStatusError('fast-dep', 503, undefined))
        .mockResolvedValue('ok');
      const done = p.execute(fn);
      await vi.advanceTimersByTimeAsync(10_000);
      await expect(done).resolves.toBe('ok');
      expect(run).toHaveBeenCalledTimes(1);
      expect(run.mock.calls[0]![4]).toMatchObject({ error: expect.any(HttpStatusError) });
    } finally {
      run.mockRestore();
    }
    expect(await h.value('resilience_calls_total', { dependency: 'fast-dep', outcome: 'success' })).toBe(4);
    expect(await h.value('resilience_retry_attempts_total', { dependency: 'fast-dep' })).toBe(1);
  });
});

describe('defaults', () => {
  it('records on the SDK registry when no registry is injected', async () => {
    const { getRegistry } = await import('../metrics/registry.js');
    await expect(resilient('sdk-default-dep').execute(async () => 'x')).resolves.toBe('x');
    const { values } = await getRegistry().getSingleMetric('resilience_calls_total')!.get();
    expect(values.find((v) => v.labels.dependency === 'sdk-default-dep')?.value).toBe(1);
  });
});

describe('span events', () => {
  class StackContextManager implements ContextManager {
    private current: Context = ROOT_CONTEXT;
    active(): Context {
      return this.current;
    }
    with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
      const prev = this.current;
      this.current = ctx;
      try {
        return fn.call(thisArg, ...args);
      } finally {
        this.current = prev;
      }
    }
    bind<T>(_ctx: Context, target: T): T {
      return target;
    }
    enable(): this {
      return this;
    }
    disable(): this {
      return this;
    }
  }

  afterEach(() => context.disable());

  it('records each attempt and each transition on the active recording span', async () => {
    context.setGlobalContextManager(new StackContextManager());
    const events: Array<{ name: string; attributes: Record<string, unknown> }> = [];
    const span = {
      isRecording: () => true,
      addEvent: (name: string, attributes: Record<string, unknown>) => events.push({ name, attributes }),
    } as unknown as Span;
    const h = harness();
    const p = h.policy('span-dep', { retry: { random: () => 0, baseDelayMs: 10 }, breaker: { consecutiveFailures: 1, openDurationMs: 5 } });
    const fn = vi
      .fn()
      .mockImplementationOnce(() => Promise.reject(new HttpStatusError('span-dep', 503, undefined)))
      .mockResolvedValue('ok');
    const done = context.with(trace.setSpan(ROOT_CONTEXT, span), () => p.execute(fn));
    await vi.advanceTimersByTimeAsync(100);
    await done;
    // attempt 1 opens the breaker; attempt 2 (10 ms later, open duration 5 ms) is the half-open probe
    expect(events.map((e) => `${e.name} ${String(e.attributes['resilience.breaker.to'] ?? e.attributes['resilience.outcome'])}`)).toEqual([
      'resilience.attempt failure',
      'resilience.breaker.transition open',
      'resilience.breaker.transition half_open',
      'resilience.attempt success',
      'resilience.breaker.transition closed',
    ]);
    expect(events[0]!.attributes).toMatchObject({
      'resilience.dependency': 'span-dep',
      'resilience.attempt': 1,
      'error.type': '503',
      'resilience.delay_ms': 0,
    });
    expect(events[3]!.attributes).toMatchObject({ 'resilience.attempt': 2, 'resilience.delay_ms': 10 });
    expect(events[3]!.attributes['error.type']).toBeUndefined();
    expect(events[1]!.attributes).toMatchObject({ 'resilience.breaker.from': 'closed', 'resilience.breaker.reason': 'consecutive_failures' });
  });

  it('adds nothing when there is no active span', async () => {
    context.setGlobalContextManager(new StackContextManager());
    const h = harness();
    await expect(h.policy('nospan-dep').execute(async () => 1)).resolves.toBe(1);
  });
});
