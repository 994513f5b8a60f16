import { trace, type Span } from '@opentelemetry/api';
import type { Registry } from 'prom-client';
import { CircuitBreaker, REJECTED, type CircuitBreakerOptions } from './circuit-breaker.js';
import { monotonicClock, type Clock } from './clock.js';
import { BreakerOpenError, HttpStatusError, RetryBudgetExceededError, TimeoutError, abortReason } from './errors/resilience-errors.js';
import {
  ATTEMPT_FAILURE,
  ATTEMPT_SUCCESS,
  ATTEMPT_TIMEOUT,
  CALL_FAILURE,
  CALL_REJECTED,
  CALL_SUCCESS,
  CALL_TIMEOUT,
  resilienceMetrics,
  type DependencyTelemetry,
} from './metrics.js';
import { RetryBudget } from './retry-budget.js';
import { RetryPolicy, errorStatus, isRetryableStatus, type RetryOptions } from './retry-policy.js';
import { sdkLogger, sdkRegistry, type ResilienceLogger } from './telemetry-sink.js';
import { AttemptNode, NEVER_ABORTED, TimeoutPolicy, runWithCallerSignal, startAttempt, type TimeoutOptions } from './timeout-policy.js';

export interface ResilienceTelemetryOptions {
  /** Registry for the resilience metrics. Default: the SDK registry (`getRegistry()`). */
  registry?: Registry;
  /** Logger for breaker transitions. Default: the SDK pino logger. */
  logger?: ResilienceLogger;
}

export interface ResilientOptions {
  /** Retries with decorrelated-jitter backoff and a retry budget. Default on (3 attempts); `false` disables. */
  retry?: RetryOptions | false;
  /** Circuit breaker shared by every policy of the same name. Default on; `false` disables. */
  breaker?: CircuitBreakerOptions | false;
  /** Per-attempt timeout (ms or `{ ms }`). Default 10 000 ms; `false` disables. */
  timeout?: TimeoutOptions | number | false;
  /** Where metrics and logs go (tests). Fixed by the first policy created for a name. */
  telemetry?: ResilienceTelemetryOptions;
  /** Monotonic clock (tests). Default `performance.now()`. */
  clock?: Clock;
}

export interface ExecuteOptions {
  /** Caller cancellation: aborts the running attempt and any backoff sleep, and stops retrying. */
  signal?: AbortSignal;
  /** Overrides the policy's `retry.idempotent` for this call. */
  idempotent?: boolean;
  /** Called before sleeping ahead of a retry (e.g. to discard a failed response body). */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** State shared by every policy of one dependency name. */
interface DependencyState {
  breaker: CircuitBreaker | undefined;
  budget: RetryBudget | undefined;
  telemetry: DependencyTelemetry;
}

const dependencies = new Map<string, DependencyState>();

/** Default for which errors count against a breaker: not client errors (4xx except 408/429), not aborts. */
export function isBreakerFailure(error: unknown): boolean {
  const status = errorStatus(error);
  if (status !== undefined) return isRetryableStatus(status);
  return (error as { name?: unknown } | null)?.name !== 'AbortError';
}

function dependencyState(name: string, options: ResilientOptions): DependencyState {
  let d = dependencies.get(name);
  if (!d) {
    const registry = options.telemetry?.registry ?? sdkRegistry();
    const metrics = resilienceMetrics(registry, options.telemetry?.logger ?? sdkLogger);
    d = { breaker: undefined, budget: undefined, telemetry: metrics.dependency(name) };
    dependencies.set(name, d);
  }
  if (options.breaker !== false && !d.breaker) {
    const breaker = new CircuitBreaker(name, options.breaker ?? {}, options.clock ?? monotonicClock, isBreakerFailure);
    const t = d.telemetry;
    breaker.onTransition((from, to, reason, span) => t.transition(from, to, reason, span));
    t.setState('closed');
    d.breaker = breaker;
  }
  const budgetOptions = options.retry === false ? false : options.retry?.budget;
  if (options.retry !== false && budgetOptions !== false && !d.budget) d.budget = new RetryBudget(budgetOptions ?? {});
  return d;
}

/**
 * The global slot where @opentelemetry/api 1.x keeps the registered context manager. Checking
 * it first skips `trace.getActiveSpan()` (~70 ns through the API's global lookups) when no SDK
 * is registered at all, which is the common case in tests, scripts and benchmarks.
 */
const OTEL_API_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/** The active span when it is recording, else undefined. */
function recordingSpan(): Span | undefined {
  const g = (globalThis as Record<symbol, { context?: unknown } | undefined>)[OTEL_API_GLOBAL];
  if (g === undefined || g.context === undefined) return undefined;
  const span = trace.getActiveSpan();
  return span !== undefined && span.isRecording() ? span : undefined;
}

function errorType(error: unknown): string {
  if (error instanceof HttpStatusError) return String(error.status);
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && name !== 'Error') return name;
  const ctor = (error as { constructor?: { name?: string } } | null)?.constructor?.name;
  return ctor && ctor !== 'Object' ? ctor : '_OTHER';
}

const ATTEMPT_OUTCOME_NAMES = ['success', 'failure', 'timeout'] as const;

function attemptEvent(span: Span, dependency: string, attempt: number, delayMs: number, outcome: string, error: unknown): void {
  span.addEvent('resilience.attempt', {
    'resilience.dependency': dependency,
    'resilience.attempt': attempt,
    'resilience.delay_ms': Math.round(delayMs),
    'resilience.outcome': outcome,
    ...(error === undefined ? {} : { 'error.type': errorType(error) }),
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Outcome index (call and attempt) of a cancelled call: "timeout" when the caller's reason is a timeout. */
function cancelledIsTimeout(signal: AbortSignal): boolean {
  return (signal.reason as { name?: unknown } | undefined)?.name === 'TimeoutError';
}

/** What the slow path needs to continue a call whose first attempt failed on the fast path. */
interface FirstFailure {
  error: unknown;
  permit: number;
  start: number;
  end: number;
}

/**
 * Continuation of a call's first attempt when there is no caller signal (the common case): the
 * attempt's node in its timeout slot, which settles the call's promise on success and hands a
 * failure to the general path (`run`, which retries). Admission, timeout and invocation are the
 * same code as every other attempt (`admit`, `startAttempt`, `succeeded`); this object only saves
 * the per-attempt promise and async frame. No AbortController, no timer per call.
 */
class FastCall<T> extends AttemptNode<T> {
  res!: (v: T | PromiseLike<T>) => void;
  rej!: (e: unknown) => void;

  constructor(
    private readonly policy: ResilientPolicy,
    private readonly fn: (signal: AbortSignal) => T | PromiseLike<T>,
    private readonly options: ExecuteOptions | undefined,
    private readonly span: Span | undefined,
    private readonly start: number,
    private readonly permit: number,
  ) {
    super();
  }

  ok(v: T): void {
    if (!this.settle()) return;
    this.policy.succeeded(this.permit, this.start, 1, 0, this.span);
    this.res(v);
  }

  fail(error: unknown): void {
    if (!this.settle()) return;
    const end = this.policy.clock.now();
    this.res(this.policy.run(this.fn, this.options, this.span, end, { error, permit: this.permit, start: this.start, end }));
  }
}

/**
 * A named composition of per-attempt timeout, circuit breaker and retry, in this fixed order
 * (outermost first): retry -> breaker -> timeout -> fn. Every attempt asks the breaker, so
 * failed attempts feed it and retrying stops the moment it opens. See README.md.
 */
export class ResilientPolicy {
  readonly name: string;
  readonly breaker: CircuitBreaker | undefined;
  /** @internal */
  readonly clock: Clock;
  private readonly retry: RetryPolicy | undefined;
  private readonly budget: RetryBudget | undefined;
  private readonly timeout: TimeoutPolicy | undefined;
  private readonly t: DependencyTelemetry;

  constructor(name: string, options: ResilientOptions = {}) {
    this.name = name;
    const d = dependencyState(name, options);
    this.clock = options.clock ?? monotonicClock;
    this.breaker = options.breaker === false ? undefined : d.breaker;
    this.retry = options.retry === false ? undefined : new RetryPolicy(options.retry ?? {});
    this.budget = this.retry && options.retry !== false && options.retry?.budget !== false ? d.budget : undefined;
    const timeout = options.timeout === undefined ? DEFAULT_TIMEOUT_MS : options.timeout;
    this.timeout = timeout === false ? undefined : new TimeoutPolicy(name, typeof timeout === 'number' ? { ms: timeout } : timeout, this.clock);
    this.t = d.telemetry;
  }

  /**
   * Runs `fn` under the policy. `fn` receives an AbortSignal aborted on the attempt timeout or
   * the caller's abort. Rejects with fn's last error, BreakerOpenError, TimeoutError,
   * RetryBudgetExceededError (cause: last error) or the caller signal's abort reason.
   */
  execute<T>(fn: (signal: AbortSignal) => T | PromiseLike<T>, options?: ExecuteOptions): Promise<T> {
    const span = recordingSpan();
    const now = this.clock.now();
    if (options !== undefined && options.signal !== undefined) return this.run(fn, options, span, now, undefined);
    const permit = this.admit(1, now, span);
    if (permit === REJECTED) return Promise.reject(this.rejected(1, now, 0, span, undefined, CALL_REJECTED));
    const call = new FastCall<T>(this, fn, options, span, now, permit);
    const promise = new Promise<T>((res, rej) => {
      call.res = res;
      call.rej = rej;
    });
    const slot = this.timeout === undefined ? null : this.timeout.slotFor(now);
    startAttempt(call, fn, slot, slot === null ? NEVER_ABORTED : slot.controller.signal);
    return promise;
  }

  /**
   * Admits attempt number `attempt`: a breaker permit (REJECTED when refused; a transition it
   * causes is recorded on `span`), then the retry budget's request count (first attempt) or the
   * retry counter (later attempts, counted only once they really run).
   */
  private admit(attempt: number, now: number, span: Span | undefined): number {
    let permit = 0;
    if (this.breaker !== undefined) {
      permit = this.breaker.tryAcquire(now, span);
      if (permit === REJECTED) return REJECTED;
    }
    if (attempt === 1) {
      if (this.budget !== undefined) this.budget.onRequest(now);
    } else {
      this.t.retry();
    }
    return permit;
  }

  /** @internal Records a successful attempt and call. */
  succeeded(permit: number, start: number, attempt: number, delay: number, span: Span | undefined): void {
    const now = this.clock.now();
    const duration = now - start;
    const t = this.t;
    t.observeAttempt(ATTEMPT_SUCCESS, duration);
    if (span !== undefined) attemptEvent(span, this.name, attempt, delay, 'success', undefined);
    if (this.breaker !== undefined) this.breaker.onSuccess(permit, duration, now, span);
    t.call(CALL_SUCCESS);
  }

  /** Builds the BreakerOpenError of a refused attempt and counts the call. */
  private rejected(attempt: number, now: number, delay: number, span: Span | undefined, lastError: unknown, callOutcome: number): BreakerOpenError {
    const breaker = this.breaker!;
    if (span !== undefined) attemptEvent(span, this.name, attempt, delay, 'rejected', undefined);
    this.t.call(callOutcome);
    return new BreakerOpenError(this.name, breaker.state, breaker.retryAfterMs(now), attempt > 1 ? { cause: lastError } : undefined);
  }

  /**
   * @internal The general path: caller signals, retries, and the continuation of a fast-path
   * call whose first attempt failed (`first`).
   */
  async run<T>(
    fn: (signal: AbortSignal) => T | PromiseLike<T>,
    options: ExecuteOptions | undefined,
    span: Span | undefined,
    now: number,
    first: FirstFailure | undefined,
  ): Promise<T> {
    const t = this.t;
    const clock = this.clock;
    const breaker = this.breaker;
    const callerSignal = options?.signal;
    let attempt = 0;
    let delay = 0;
    let lastError: unknown;
    let lastOutcome = CALL_FAILURE;
    for (;;) {
      attempt++;
      let permit: number;
      let start: number;
      let error: unknown;
      if (attempt === 1 && first !== undefined) {
        ({ permit, start, error } = first);
        now = first.end;
      } else {
        if (callerSignal?.aborted) {
          t.call(cancelledIsTimeout(callerSignal) ? CALL_TIMEOUT : CALL_FAILURE);
          throw abortReason(callerSignal);
        }
        permit = this.admit(attempt, now, span);
        if (permit === REJECTED) throw this.rejected(attempt, now, delay, span, lastError, attempt === 1 ? CALL_REJECTED : lastOutcome);
        start = now;
        try {
          let result: T;
          if (this.timeout !== undefined) result = await this.timeout.run(fn, start, callerSignal);
          else if (callerSignal !== undefined) result = await runWithCallerSignal(fn, callerSignal);
          else result = await fn(NEVER_ABORTED);
          this.succeeded(permit, start, attempt, delay, span);
          return result;
        } catch (e) {
          error = e;
          now = clock.now();
        }
      }
      const duration = now - start;
      lastError = error;
      // Caller cancelled: not the dependency's fault, so the breaker only gets its permit back.
      if (callerSignal?.aborted) {
        const timeout = cancelledIsTimeout(callerSignal);
        t.observeAttempt(timeout ? ATTEMPT_TIMEOUT : ATTEMPT_FAILURE, duration);
        if (breaker !== undefined) breaker.release(permit);
        if (span) attemptEvent(span, this.name, attempt, delay, timeout ? 'timeout' : 'failure', error);
        t.call(timeout ? CALL_TIMEOUT : CALL_FAILURE);
        throw abortReason(callerSignal);
      }
      const timedOut = error instanceof TimeoutError;
      const outcome = timedOut ? ATTEMPT_TIMEOUT : ATTEMPT_FAILURE;
      lastOutcome = timedOut ? CALL_TIMEOUT : CALL_FAILURE;
      t.observeAttempt(outcome, duration);
      if (span) attemptEvent(span, this.name, attempt, delay, ATTEMPT_OUTCOME_NAMES[outcome]!, error);
      if (breaker !== undefined) {
        if (breaker.isFailure(error)) breaker.onFailure(permit, duration, now, span);
        else breaker.onSuccess(permit, duration, now, span);
      }
      const retry = this.retry;
      const next = retry === undefined ? -1 : retry.nextDelay(error, attempt, delay, options?.idempotent ?? retry.idempotent);
      if (next < 0) {
        t.call(lastOutcome);
        throw error;
      }
      if (this.budget !== undefined && !this.budget.tryRetry(now)) {
        t.budgetExhausted();
        t.call(lastOutcome);
        throw new RetryBudgetExceededError(this.name, attempt, { cause: error });
      }
      delay = next;
      options?.onRetry?.(error, attempt, delay);
      try {
        await sleep(delay, callerSignal);
      } catch (abort) {
        t.call(cancelledIsTimeout(callerSignal!) ? CALL_TIMEOUT : CALL_FAILURE);
        throw abort;
      }
      now = clock.now();
    }
  }
}

/**
 * Creates a policy for `dependency`. Policies of the same name share one circuit breaker, one
 * retry budget and one set of metric series; retry and timeout settings are per policy.
 */
export function resilient(dependency: string, options: ResilientOptions = {}): ResilientPolicy {
  return new ResilientPolicy(dependency, options);
}

/** The shared breaker of `dependency`, if a policy with a breaker was created for it. */
export function getCircuitBreaker(dependency: string): CircuitBreaker | undefined {
  return dependencies.get(dependency)?.breaker;
}

/** Forgets every shared breaker and budget (tests; a new policy starts from scratch). */
export function resetResilience(): void {
  dependencies.clear();
}
