/**
 * Histogram bucket boundaries in seconds, as the OpenTelemetry HTTP semantic conventions advise
 * for `http.server.request.duration` / `http.client.request.duration`.
 */
export const HTTP_DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);

/** Buckets for a resilience attempt: same boundaries as HTTP so panels and SLOs line up. */
export const ATTEMPT_DURATION_BUCKETS_SECONDS: readonly number[] = HTTP_DURATION_BUCKETS_SECONDS;

/** Garbage-collection pause buckets (semconv `v8js.gc.duration` advice). */
export const GC_DURATION_BUCKETS_SECONDS: readonly number[] = Object.freeze([0.01, 0.1, 1, 10]);

/** True when `seconds` is exactly one of the bucket boundaries (so a latency SLO is measurable). */
export function isBucketBoundary(buckets: readonly number[], seconds: number): boolean {
  return buckets.some((b) => Math.abs(b - seconds) < 1e-9);
}
