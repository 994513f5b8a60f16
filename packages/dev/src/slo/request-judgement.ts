import type { RequestSample } from '../store/request-samples.js';
import type { ServiceSloInput } from './slo-manifest.js';

/**
 * The SLIs of the generated Prometheus rules, applied to one request: availability counts a
 * 5xx answer as bad, latency counts a request slower than the objective's threshold as bad
 * (the rules read the `le` bucket at the threshold, so exactly the threshold is good).
 */
export function isAvailabilityBad(r: Pick<RequestSample, 'httpStatus'>): boolean {
  return r.httpStatus >= 500;
}

export function isLatencyBad(r: Pick<RequestSample, 'durationMs'>, thresholdMs: number): boolean {
  return r.durationMs > thresholdMs;
}

/** Which SLOs of `service` this request counts against ([] when none). */
export function violatedSlos(r: Pick<RequestSample, 'httpStatus' | 'durationMs'>, service: ServiceSloInput | undefined): Array<'availability' | 'latency'> {
  if (service === undefined) return [];
  const out: Array<'availability' | 'latency'> = [];
  if (service.slos.availability && isAvailabilityBad(r)) out.push('availability');
  if (service.slos.latency && isLatencyBad(r, service.slos.latency.thresholdMs)) out.push('latency');
  return out;
}
