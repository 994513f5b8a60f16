import { describe, expect, it } from 'vitest';
import { CircuitBreaker, REJECTED, type CircuitBreakerOptions, type TransitionReason } from './circuit-breaker.js';

function setup(options: CircuitBreakerOptions) {
  const clock = {
    t: 0,
    now() {
      return this.t;
    },
  };
  const breaker = new CircuitBreaker('dep', options, clock);
  const transitions: string[] = [];
  const reasons: TransitionReason[] = [];
  breaker.onTransition((from, to, reason) => {
    transitions.push(`${from}->${to}`);
    reasons.push(reason);
  });
  const ok = (duration = 1) => {
    const p = breaker.tryAcquire(clock.t);
    expect(p).not.toBe(REJECTED);
    breaker.onSuccess(p, duration, clock.t);
  };
  const fail = (duration = 1) => {
    const p = breaker.tryAcquire(clock.t);
    expect(p).not.toBe(REJECTED);
    breaker.onFailure(p, duration, clock.t);
  };
  return { clock, breaker, transitions, reasons, ok, fail };
}

describe('CircuitBreaker', () => {
  it('closed -> open on consecutive failures; a success resets the streak', () => {
    const { breaker, transitions, reasons, ok, fail } = setup({ consecutiveFailures: 3, failureRateThreshold: 0 });
    fail();
    fail();
    ok();
    fail();
    fail();
    expect(breaker.state).toBe('closed');
    fail();
    expect(breaker.state).toBe('open');
    expect(transitions).toEqual(['closed->open']);
    expect(reasons).toEqual(['consecutive_failures']);
    expect(breaker.tryAcquire(0)).toBe(REJECTED);
  });

  it('closed -> open on failure rate only once minimumCalls is reached (count window)', () => {
    const { breaker, reasons, ok, fail } = setup({ consecutiveFailures: 0, failureRateThreshold: 0.5, minimumCalls: 10, window: { type: 'count', size: 10 } });
    for (let i = 0; i < 4; i++) {
      fail();
      ok();
    }
    fail(); // 5 failures / 9 calls, below minimumCalls
    expect(breaker.state).toBe('closed');
    ok(); // 10 calls, 5 failures: only failures are evaluated
    expect(breaker.state).toBe('closed');
    fail(); // window slides: oldest (failure) leaves, 5/10 >= 0.5
    expect(breaker.state).toBe('open');
    expect(reasons).toEqual(['failure_rate']);
  });

  it('time window forgets failures older than the window', () => {
    const { breaker, clock, fail, ok } = setup({ consecutiveFailures: 0, failureRateThreshold: 0.5, minimumCalls: 4, window: { type: 'time', ms: 1_000 } });
    fail();
    fail();
    fail();
    clock.t = 2_000;
    ok();
    ok();
    ok();
    fail(); // 1 failure / 4 calls in the window
    expect(breaker.state).toBe('closed');
    fail(); // 2/5
    expect(breaker.state).toBe('closed');
    fail(); // 3/6
    expect(breaker.state).toBe('open');
  });

  it('closed -> open on slow-call rate', () => {
    const { breaker, reasons, ok } = setup({ consecutiveFailures: 0, minimumCalls: 4, slowCallDurationMs: 100, slowCallRateThreshold: 0.75 });
    ok(10);
    ok(150);
    ok(200);
    expect(breaker.state).toBe('closed');
    ok(300);
    expect(breaker.state).toBe('open');
    expect(reasons).toEqual(['slow_call_rate']);
  });

  it('open -> half-open after the open duration, half-open -> closed after enough probes', () => {
    const { breaker, clock, transitions, reasons, ok, fail } = setup({ consecutiveFailures: 1, openDurationMs: 1_000, halfOpenMaxCalls: 2 });
    fail();
    clock.t = 999;
    expect(breaker.tryAcquire(clock.t)).toBe(REJECTED);
    expect(breaker.retryAfterMs(clock.t)).toBe(1);
    clock.t = 1_000;
    expect(breaker.state).toBe('half_open');
    ok();
    expect(breaker.state).toBe('half_open');
    ok();
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
    expect(reasons).toEqual(['consecutive_failures', 'open_duration_elapsed', 'probes_succeeded']);
  });

  it('half-open -> open on a failed probe, backing off the open duration (capped) until it closes', () => {
    const { breaker, clock, fail, ok } = setup({ consecutiveFailures: 1, openDurationMs: 1_000, openBackoffMultiplier: 2, maxOpenDurationMs: 3_000 });
    fail();
    expect(breaker.snapshot().currentOpenDurationMs).toBe(1_000);
    const expected = [2_000, 3_000, 3_000];
    for (const d of expected) {
      clock.t += breaker.snapshot().currentOpenDurationMs;
      fail(); // probe fails
      expect(breaker.state).toBe('open');
      expect(breaker.snapshot().currentOpenDurationMs).toBe(d);
      expect(breaker.snapshot().openRemainingMs).toBe(d);
    }
    clock.t += 3_000;
    ok();
    expect(breaker.state).toBe('closed');
    fail();
    expect(breaker.snapshot().currentOpenDurationMs).toBe(1_000);
  });

  it('limits concurrent half-open probes and ignores results from an older epoch', () => {
    const { breaker, clock, fail } = setup({ consecutiveFailures: 1, openDurationMs: 10, halfOpenMaxCalls: 2 });
    const staleClosedPermit = breaker.tryAcquire(0);
    fail();
    clock.t = 10;
    const a = breaker.tryAcquire(clock.t);
    const b = breaker.tryAcquire(clock.t);
    expect(a).not.toBe(REJECTED);
    expect(b).not.toBe(REJECTED);
    expect(breaker.tryAcquire(clock.t)).toBe(REJECTED);
    breaker.onSuccess(staleClosedPermit, 1, clock.t); // late result from before the trip
    expect(breaker.snapshot().halfOpenSuccesses).toBe(0);
    breaker.release(a);
    expect(breaker.snapshot().halfOpenInFlight).toBe(1);
    expect(breaker.tryAcquire(clock.t)).not.toBe(REJECTED);
  });

  it('isolate() forces open until reset(), ignoring the open duration', () => {
    const { breaker, clock, transitions, reasons } = setup({});
    breaker.isolate();
    clock.t = 1e9;
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire(clock.t)).toBe(REJECTED);
    expect(breaker.retryAfterMs(clock.t)).toBeUndefined();
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire(clock.t)).not.toBe(REJECTED);
    expect(transitions).toEqual(['closed->open', 'open->closed']);
    expect(reasons).toEqual(['isolated', 'reset']);
  });
});
