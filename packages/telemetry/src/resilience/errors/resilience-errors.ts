import type { BreakerStateName } from '@platform/conventions';

/** Base class of every error a resilience policy raises itself. `cause` is the underlying error, if any. */
export class ResilienceError extends Error {
  /** The dependency (policy name) the decision was made for. */
  readonly dependency: string;

  constructor(message: string, dependency: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ResilienceError';
    this.dependency = dependency;
  }
}

/** The circuit breaker refused the call (open, isolated, or half-open with all probe slots taken). */
export class BreakerOpenError extends ResilienceError {
  readonly state: BreakerStateName;
  /** Milliseconds until the breaker lets a probe through, when known (not while isolated). */
  readonly retryAfterMs: number | undefined;

  constructor(dependency: string, state: BreakerStateName, retryAfterMs: number | undefined, options?: { cause?: unknown }) {
    super(`circuit breaker for "${dependency}" is ${state === 'half_open' ? 'half-open (no probe slot free)' : 'open'}`, dependency, options);
    this.name = 'BreakerOpenError';
    this.state = state;
    this.retryAfterMs = retryAfterMs;
  }
}

/** One attempt exceeded the per-attempt timeout; its AbortSignal was aborted. */
export class TimeoutError extends ResilienceError {
  readonly timeoutMs: number;

  constructor(dependency: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`attempt to "${dependency}" timed out after ${timeoutMs} ms`, dependency, options);
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** A retry was wanted but the dependency's retry budget is spent. `cause` is the last attempt's error. */
export class RetryBudgetExceededError extends ResilienceError {
  /** Attempts made before giving up. */
  readonly attempts: number;

  constructor(dependency: string, attempts: number, options?: { cause?: unknown }) {
    super(`retry budget for "${dependency}" exhausted after ${attempts} attempt(s)`, dependency, options);
    this.name = 'RetryBudgetExceededError';
    this.attempts = attempts;
  }
}

/**
 * An HTTP response whose status counts as a failure for retry and breaker purposes
 * (5xx, 408, 429). Raised inside `resilientFetch` attempts; `resilientFetch` itself hands the
 * last such Response back to the caller instead of throwing it.
 */
export class HttpStatusError extends ResilienceError {
  readonly status: number;
  /** Parsed `Retry-After`, in ms from when the response was received. */
  readonly retryAfterMs: number | undefined;
  readonly response: Response | undefined;

  constructor(dependency: string, status: number, retryAfterMs: number | undefined, response?: Response) {
    super(`"${dependency}" answered HTTP ${status}`, dependency);
    this.name = 'HttpStatusError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.response = response;
  }
}

/** The abort reason of `signal`, or a DOMException AbortError when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
