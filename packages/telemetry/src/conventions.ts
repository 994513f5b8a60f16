// `@platform/telemetry/conventions`: the contract re-exported name by name (no `export *`), so a
// service needs one dependency to read metric names. src/exports.test.ts checks this list equals
// @platform/conventions' own.
export type { MetricDefinition, MetricType, MetricUnit } from '@platform/conventions';
export { histogramSeries } from '@platform/conventions';
export { LABEL, TELEMETRY_SOURCE, UNMATCHED_ROUTE, KNOWN_HTTP_METHODS, OTHER_HTTP_METHOD, OVERFLOW_LABEL_VALUE } from '@platform/conventions';
export type { LabelName } from '@platform/conventions';
export { HTTP_DURATION_BUCKETS_SECONDS, ATTEMPT_DURATION_BUCKETS_SECONDS, GC_DURATION_BUCKETS_SECONDS, isBucketBoundary } from '@platform/conventions';
export { HTTP_SERVER_REQUEST_DURATION, HTTP_SERVER_ACTIVE_REQUESTS, HTTP_CLIENT_REQUEST_DURATION } from '@platform/conventions';
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
} from '@platform/conventions';
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
} from '@platform/conventions';
export type { CallOutcome, AttemptOutcome, BreakerStateName } from '@platform/conventions';
export { REFERENCE_SLO_WINDOW_DAYS, BURN_RATE_WINDOWS, SLI_RATE_WINDOWS, scaleBurnRate, SLO_WINDOW_PATTERN } from '@platform/conventions';
export type { BurnRateWindow } from '@platform/conventions';
export { TELEMETRY_LABEL_VALUES_OVERFLOW } from '@platform/conventions';
export { HTTP_METRICS, RUNTIME_METRICS, RESILIENCE_METRICS, TELEMETRY_METRICS, ALL_METRICS, findMetric } from '@platform/conventions';
