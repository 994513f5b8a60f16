/**
 * What the generated k6 script and `platform loadtest compare` agree on: the per-endpoint
 * sub-metrics in the JSON summary, the `platform` block the script adds to it, and the environment
 * variables that name the report files (the generated CI pipelines rely on these names).
 */

/** k6 metrics the script records per endpoint, as `metric{name:<endpoint tag>}` sub-metrics. */
export const ENDPOINT_METRICS = {
  requests: 'http_reqs',
  duration: 'http_req_duration',
  failed: 'http_req_failed',
} as const;

/** `http_req_duration{name:GET /orders/:id}`: the sub-metric key k6 uses in options and in the summary. */
export function endpointMetricKey(metric: string, endpointTag: string): string {
  return `${metric}{name:${endpointTag}}`;
}

/** Environment variables the script reads for its report paths, with the defaults (per service). */
export const REPORT_ENV = {
  json: { variable: 'K6_SUMMARY_PATH', defaultPath: (service: string) => `k6-summary-${service}.json` },
  junit: { variable: 'K6_JUNIT_PATH', defaultPath: (service: string) => `k6-junit-${service}.xml` },
  markdown: { variable: 'K6_MARKDOWN_PATH', defaultPath: (service: string) => `k6-summary-${service}.md` },
} as const;

/** `-e PHASE=...`: which part of the test runs (default `all`: the smoke, then the load). */
export const PHASES = ['smoke', 'load', 'all'] as const;
export type Phase = (typeof PHASES)[number];
