import { getLogger } from './logging/logger.js';

// The public API of @platform/telemetry, listed name by name (no `export *`): a new name is
// published only when added here, to src/exports.test.ts and to README.md's Public API table.

export { initTelemetry } from './init-telemetry.js';
export type { TelemetryHandle } from './telemetry-handle.js';
export type { TelemetryOptions, SignalExportOptions } from './config/telemetry-options.js';
export type { TelemetryConfig } from './config/telemetry-config.js';
export { getLogger } from './logging/logger.js';
export { metricsHandler } from './metrics/metrics-handler.js';
export { getRegistry } from './metrics/registry.js';
/** The route template of a request, for node:http servers and frameworks the SDK does not instrument. */
export { setRoute } from './tracing/request-route.js';
/** Default redaction lists, to extend rather than replace: `redactKeys: [...DEFAULT_REDACT_KEYS, 'ssn']`. */
export { DEFAULT_REDACT_KEYS, DEFAULT_REDACT_QUERY_PARAMS } from './config/defaults.js';

/** The SDK logger: pino, trace-correlated, secrets redacted. Usable before initTelemetry(). */
export const logger = getLogger();

// Resilience policies (src/resilience/README.md). The breaker/retry/budget `*_DEFAULTS` objects are
// not exported: the defaults are documented in that README's table.
export { resilient, getCircuitBreaker, resetResilience, isBreakerFailure, ResilientPolicy } from './resilience/resilient.js';
export type { ResilientOptions, ExecuteOptions, ResilienceTelemetryOptions } from './resilience/resilient.js';
export { resilientFetch } from './resilience/resilient-fetch.js';
export type { ResilientFetchOptions, ResilientFetch } from './resilience/resilient-fetch.js';
export { CircuitBreaker } from './resilience/circuit-breaker.js';
export type { CircuitBreakerOptions, BreakerWindowOptions, BreakerSnapshot, TransitionReason } from './resilience/circuit-breaker.js';
export { isRetryableError, isRetryableStatus } from './resilience/retry-policy.js';
export type { RetryOptions, RetryPredicate } from './resilience/retry-policy.js';
export type { RetryBudgetOptions } from './resilience/retry-budget.js';
export type { TimeoutOptions } from './resilience/timeout-policy.js';
export type { ResilienceLogger } from './resilience/telemetry-sink.js';
export type { Clock, RandomSource } from './resilience/clock.js';
export { parseRetryAfter } from './resilience/retry-after.js';
export { decorrelatedJitter } from './resilience/backoff/decorrelated-jitter.js';
export { ResilienceError, BreakerOpenError, TimeoutError, RetryBudgetExceededError, HttpStatusError } from './resilience/errors/resilience-errors.js';
