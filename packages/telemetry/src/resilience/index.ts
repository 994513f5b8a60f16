export { resilient, getCircuitBreaker, resetResilience, isBreakerFailure, ResilientPolicy, DEFAULT_TIMEOUT_MS } from './resilient.js';
export type { ResilientOptions, ExecuteOptions, ResilienceTelemetryOptions } from './resilient.js';
export { resilientFetch } from './resilient-fetch.js';
export type { ResilientFetchOptions, ResilientFetch } from './resilient-fetch.js';
export { CircuitBreaker, BREAKER_DEFAULTS } from './circuit-breaker.js';
export type { CircuitBreakerOptions, BreakerWindowOptions, BreakerSnapshot, TransitionReason } from './circuit-breaker.js';
export { RETRY_DEFAULTS, isRetryableError, isRetryableStatus } from './retry-policy.js';
export type { RetryOptions, RetryPredicate } from './retry-policy.js';
export { RETRY_BUDGET_DEFAULTS } from './retry-budget.js';
export type { RetryBudgetOptions } from './retry-budget.js';
export type { TimeoutOptions } from './timeout-policy.js';
export type { ResilienceLogger } from './telemetry-sink.js';
export type { Clock, RandomSource } from './clock.js';
export { parseRetryAfter } from './retry-after.js';
export { decorrelatedJitter } from './backoff/decorrelated-jitter.js';
export {
  ResilienceError,
  BreakerOpenError,
  TimeoutError,
  RetryBudgetExceededError,
  HttpStatusError,
} from './errors/index.js';
