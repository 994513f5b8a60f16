// The public API of @platform/conventions, listed name by name (no `export *`): a name added to a
// module here is not published until it is added below, to src/exports.test.ts and to README.md.
export type { MetricDefinition, MetricType, MetricUnit } from './metric-definition.js';
export { histogramSeries } from './metric-definition.js';
export { LABEL, TELEMETRY_SOURCE, UNMATCHED_ROUTE, KNOWN_HTTP_METHODS, OTHER_HTTP_METHOD, OVERFLOW_LABEL_VALUE } from './labels.js';
export type { LabelName } from './labels.js';
export { HTTP_DURATION_BUCKETS_SECONDS, ATTEMPT_DURATION_BUCKETS_SECONDS, GC_DURATION_BUCKETS_SECONDS, isBucketBoundary } from './buckets.js';
export { HTTP_SERVER_REQUEST_DURATION, HTTP_SERVER_ACTIVE_REQUESTS, HTTP_CLIENT_REQUEST_DURATION } from './http-metrics.js';
export {
  NODEJS_EVENTLOOP_DELAY_P99,
  NODEJS_EVENTLOOP_DELAY_MAX,
  NODEJS_EVENTLOOP_UTILIZATION,
  V8JS_GC_DURATION,
  V8JS_MEMORY_HEAP_USED,
  V8JS_MEMORY_HEAP_LIMIT,
  PROCESS_CPU_SECONDS,
  PROCESS_RESIDENT_MEMORY,
  PROCESS_START_TIME,
} from './runtime-metrics.js';
export {
  CALL_OUTCOMES,
  ATTEMPT_OUTCOMES,
  BREAKER_STATE_VALUE,
  RESILIENCE_CALLS,
  RESILIENCE_RETRY_ATTEMPTS,
  RESILIENCE_RETRY_BUDGET_EXHAUSTED,
  RESILIENCE_ATTEMPT_DURATION,
  RESILIENCE_BREAKER_STATE,
  RESILIENCE_BREAKER_TRANSITIONS,
} from './resilience-metrics.js';
export type { CallOutcome, AttemptOutcome, BreakerStateName } from './resilience-metrics.js';
export { REFERENCE_SLO_WINDOW_DAYS, BURN_RATE_WINDOWS, SLI_RATE_WINDOWS, scaleBurnRate, SLO_WINDOW_PATTERN } from './slo-windows.js';
export type { BurnRateWindow } from './slo-windows.js';
export { TELEMETRY_LABEL_VALUES_OVERFLOW } from './telemetry-metrics.js';
export { HTTP_METRICS, RUNTIME_METRICS, RESILIENCE_METRICS, TELEMETRY_METRICS, ALL_METRICS, findMetric } from './registry.js';
