import type { Span } from '@opentelemetry/api';
import type { BreakerStateName } from '@platform/conventions';
import { monotonicClock, type Clock } from './clock.js';
import { CountWindow, FAILED, SLOW, TimeWindow, type SlidingWindow } from './breaker/sliding-window.js';

export type BreakerWindowOptions = { type: 'count'; size: number } | { type: 'time'; ms: number };

export interface CircuitBreakerOptions {
  /** Open after this many failures in a row. Default 5; 0 disables the rule. */
  consecutiveFailures?: number;
  /** Open when failures / calls in the window reach this ratio (0..1). Default 0.5; 0 disables. */
  failureRateThreshold?: number;
  /** Rate rules (failure and slow-call) only apply once the window holds this many calls. Default 20. */
  minimumCalls?: number;
  /** Sliding window of the rate rules. Default `{ type: 'count', size: 100 }`. */
  window?: BreakerWindowOptions;
  /** A call at least this long counts as slow. Unset (default) disables the slow-call rule. */
  slowCallDurationMs?: number;
  /** Open when slow calls / calls reach this ratio. Default 1 (every call in the window slow). */
  slowCallRateThreshold?: number;
  /** How long the breaker stays open before letting probes through. Default 10 000 ms. */
  openDurationMs?: number;
  /** Each re-open straight from half-open multiplies the open duration by this. Default 2. */
  openBackoffMultiplier?: number;
  /** Cap of the backed-off open duration. Default 120 000 ms. */
  maxOpenDurationMs?: number;
  /** Probes allowed in flight at once while half-open; others are rejected. Default 1. */
  halfOpenMaxCalls?: number;
  /** Successful probes needed to close. Default halfOpenMaxCalls. */
  halfOpenSuccessesToClose?: number;
  /**
   * Which errors count against the breaker. Default: everything except client errors
   * (HTTP 4xx other than 408/429) and caller aborts, which the caller of the policy decides.
   */
  isFailure?: (error: unknown) => boolean;
}

export const BREAKER_DEFAULTS = {
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  minimumCalls: 20,
  windowSize: 100,
  slowCallRateThreshold: 1,
  openDurationMs: 10_000,
  openBackoffMultiplier: 2,
  maxOpenDurationMs: 120_000,
  halfOpenMaxCalls: 1,
} as const;

/** Why a transition happened (the `reason` field of the transition log line and span event). */
export type TransitionReason =
  'consecutive_failures' | 'failure_rate' | 'slow_call_rate' | 'open_duration_elapsed' | 'probe_failed' | 'probes_succeeded' | 'isolated' | 'reset';

/**
 * Called on each transition. `span` is the span of the call whose permit request or outcome caused
 * it, when the caller passed one (undefined for `state` reads, `isolate()` and `reset()`).
 */
export type TransitionListener = (from: BreakerStateName, to: BreakerStateName, reason: TransitionReason, span: Span | undefined) => void;

/** Returned by `tryAcquire` when the call is refused. */
export const REJECTED = -1;

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
const NAMES: readonly BreakerStateName[] = ['closed', 'open', 'half_open'];

export interface BreakerSnapshot {
  state: BreakerStateName;
  isolated: boolean;
  consecutiveFailures: number;
  windowCalls: number;
  windowFailures: number;
  windowSlowCalls: number;
  halfOpenInFlight: number;
  halfOpenSuccesses: number;
  /** Remaining open time (ms) while open and not isolated. */
  openRemainingMs: number | undefined;
  currentOpenDurationMs: number;
}

/**
 * Circuit breaker state machine: closed -> open (consecutive failures, failure rate or slow-call
 * rate over a sliding window with a minimum number of calls) -> half-open after the open
 * duration (backed off exponentially on repeated re-opens, capped) -> closed after enough
 * successful probes, or back to open on a failed probe. `isolate()` forces open until `reset()`.
 *
 * A permit from `tryAcquire` carries the breaker epoch: results of calls admitted before the
 * last transition are ignored for state decisions, so a late success can never close a breaker
 * that opened meanwhile, and half-open in-flight accounting cannot go negative.
 */
export class CircuitBreaker {
  readonly name: string;
  private readonly consecutiveLimit: number;
  private readonly failureRate: number;
  private readonly minimumCalls: number;
  private readonly slowMs: number;
  private readonly slowRate: number;
  private readonly baseOpenMs: number;
  private readonly multiplier: number;
  private readonly maxOpenMs: number;
  readonly halfOpenMaxCalls: number;
  private readonly successesToClose: number;
  readonly isFailure: (error: unknown) => boolean;
  private readonly window: SlidingWindow;
  private readonly clock: Clock;
  private readonly listeners: TransitionListener[] = [];

  private s = CLOSED;
  private epoch = 0;
  private consecutive = 0;
  private isolatedFlag = false;
  private openUntil = 0;
  private reopens = 0;
  private openMs: number;
  private inFlight = 0;
  private probeSuccesses = 0;

  constructor(name: string, options: CircuitBreakerOptions = {}, clock: Clock = monotonicClock, isFailure?: (error: unknown) => boolean) {
    this.name = name;
    this.clock = clock;
    this.consecutiveLimit = options.consecutiveFailures ?? BREAKER_DEFAULTS.consecutiveFailures;
    this.failureRate = options.failureRateThreshold ?? BREAKER_DEFAULTS.failureRateThreshold;
    this.minimumCalls = Math.max(1, options.minimumCalls ?? BREAKER_DEFAULTS.minimumCalls);
    this.slowMs = options.slowCallDurationMs ?? Infinity;
    this.slowRate = options.slowCallRateThreshold ?? BREAKER_DEFAULTS.slowCallRateThreshold;
    this.baseOpenMs = options.openDurationMs ?? BREAKER_DEFAULTS.openDurationMs;
    this.multiplier = Math.max(1, options.openBackoffMultiplier ?? BREAKER_DEFAULTS.openBackoffMultiplier);
    this.maxOpenMs = Math.max(this.baseOpenMs, options.maxOpenDurationMs ?? BREAKER_DEFAULTS.maxOpenDurationMs);
    this.halfOpenMaxCalls = Math.max(1, options.halfOpenMaxCalls ?? BREAKER_DEFAULTS.halfOpenMaxCalls);
    this.successesToClose = Math.max(1, options.halfOpenSuccessesToClose ?? this.halfOpenMaxCalls);
    this.isFailure = options.isFailure ?? isFailure ?? (() => true);
    this.openMs = this.baseOpenMs;
    const w = options.window ?? { type: 'count', size: BREAKER_DEFAULTS.windowSize };
    this.window = w.type === 'time' ? new TimeWindow(w.ms) : new CountWindow(w.size);
  }

  onTransition(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  /** Current state (performs a due open -> half-open transition first). */
  get state(): BreakerStateName {
    if (this.s === OPEN && !this.isolatedFlag && this.clock.now() >= this.openUntil) {
      this.transition(HALF_OPEN, 'open_duration_elapsed');
    }
    return NAMES[this.s]!;
  }

  get isolated(): boolean {
    return this.isolatedFlag;
  }

  /**
   * Asks for permission to run one call. Returns a permit (>= 0) to hand back to
   * `onSuccess`/`onFailure`/`release`, or REJECTED. `span`: the calling request's span, handed
   * to the transition listeners if this request causes a transition (same for onSuccess/onFailure).
   */
  tryAcquire(nowMs: number, span?: Span): number {
    if (this.s === CLOSED) return this.epoch * 2;
    if (this.s === OPEN) {
      if (this.isolatedFlag || nowMs < this.openUntil) return REJECTED;
      this.transition(HALF_OPEN, 'open_duration_elapsed', span);
    }
    if (this.inFlight >= this.halfOpenMaxCalls) return REJECTED;
    this.inFlight++;
    return this.epoch * 2 + 1;
  }

  /** Remaining open time for a rejection, undefined while isolated. */
  retryAfterMs(nowMs: number): number | undefined {
    if (this.s !== OPEN) return 0;
    return this.isolatedFlag ? undefined : Math.max(0, this.openUntil - nowMs);
  }

  onSuccess(permit: number, durationMs: number, nowMs: number, span?: Span): void {
    if (permit >> 1 !== this.epoch) return;
    const slow = durationMs >= this.slowMs;
    if (permit & 1) {
      this.inFlight--;
      if (++this.probeSuccesses >= this.successesToClose) this.transition(CLOSED, 'probes_succeeded', span);
      return;
    }
    this.consecutive = 0;
    this.window.record(slow ? SLOW : 0, nowMs);
    if (slow) this.evaluate(nowMs, span);
  }

  onFailure(permit: number, durationMs: number, nowMs: number, span?: Span): void {
    if (permit >> 1 !== this.epoch) return;
    if (permit & 1) {
      this.inFlight--;
      this.transition(OPEN, 'probe_failed', span);
      return;
    }
    this.consecutive++;
    this.window.record(durationMs >= this.slowMs ? FAILED | SLOW : FAILED, nowMs);
    if (this.consecutiveLimit > 0 && this.consecutive >= this.consecutiveLimit) {
      this.transition(OPEN, 'consecutive_failures', span);
      return;
    }
    this.evaluate(nowMs, span);
  }

  /** Returns a permit without recording an outcome (e.g. the caller aborted). */
  release(permit: number): void {
    if (permit >> 1 !== this.epoch) return;
    if (permit & 1) this.inFlight--;
  }

  /** Forces the breaker open until `reset()`. */
  isolate(): void {
    this.isolatedFlag = true;
    if (this.s !== OPEN) this.transition(OPEN, 'isolated');
  }

  /** Closes the breaker and clears all history (including isolation and open backoff). */
  reset(): void {
    this.isolatedFlag = false;
    this.reopens = 0;
    this.openMs = this.baseOpenMs;
    if (this.s !== CLOSED) this.transition(CLOSED, 'reset');
    else {
      this.consecutive = 0;
      this.window.reset();
    }
  }

  snapshot(): BreakerSnapshot {
    const state = this.state;
    const now = this.clock.now();
    const t = this.window.totals(now);
    return {
      state,
      isolated: this.isolatedFlag,
      consecutiveFailures: this.consecutive,
      windowCalls: t.calls,
      windowFailures: t.failures,
      windowSlowCalls: t.slow,
      halfOpenInFlight: this.s === HALF_OPEN ? this.inFlight : 0,
      halfOpenSuccesses: this.s === HALF_OPEN ? this.probeSuccesses : 0,
      openRemainingMs: this.s === OPEN && !this.isolatedFlag ? Math.max(0, this.openUntil - now) : undefined,
      currentOpenDurationMs: this.openMs,
    };
  }

  private evaluate(nowMs: number, span: Span | undefined): void {
    const t = this.window.totals(nowMs);
    if (t.calls < this.minimumCalls) return;
    if (this.failureRate > 0 && t.failures / t.calls >= this.failureRate) {
      this.transition(OPEN, 'failure_rate', span);
    } else if (this.slowMs !== Infinity && t.slow / t.calls >= this.slowRate) {
      this.transition(OPEN, 'slow_call_rate', span);
    }
  }

  private transition(to: number, reason: TransitionReason, span?: Span): void {
    const from = this.s;
    if (from === to) return;
    this.s = to;
    this.epoch++;
    this.inFlight = 0;
    this.probeSuccesses = 0;
    this.consecutive = 0;
    this.window.reset();
    if (to === OPEN) {
      if (from === HALF_OPEN) {
        this.reopens++;
        this.openMs = Math.min(this.maxOpenMs, this.baseOpenMs * this.multiplier ** this.reopens);
      } else {
        this.reopens = 0;
        this.openMs = this.baseOpenMs;
      }
      this.openUntil = this.clock.now() + this.openMs;
    } else if (to === CLOSED) {
      this.reopens = 0;
      this.openMs = this.baseOpenMs;
    }
    const f = NAMES[from]!;
    const t = NAMES[to]!;
    for (const l of this.listeners) l(f, t, reason, span);
  }
}
