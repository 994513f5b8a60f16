export type { MetricDefinition, MetricType, MetricUnit } from './metric-definition.js';
export { histogramSeries } from './metric-definition.js';
export { LABEL, TELEMETRY_SOURCE, UNMATCHED_ROUTE, KNOWN_HTTP_METHODS, OTHER_HTTP_METHOD, OVERFLOW_LABEL_VALUE } from './labels.js';
export type { LabelName } from './labels.js';
export {
  HTTP_DURATION_BUCKETS_SECONDS,
  ATTEMPT_DURATION_BUCKETS_SECONDS,
  GC_DURATION_BUCKETS_SECONDS,
  isBucketBoundary,
} from './buckets.js';
export * from './http-metrics.js';
export * from './runtime-metrics.js';
export * from './resilience-metrics.js';
export * from './slo-windows.js';
export { TELEMETRY_LABEL_VALUES_OVERFLOW } from './telemetry-metrics.js';
export { HTTP_METRICS, RUNTIME_METRICS, RESILIENCE_METRICS, TELEMETRY_METRICS, ALL_METRICS, findMetric } from './registry.js';
