import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { HTTP_SERVER_ACTIVE_REQUESTS, HTTP_SERVER_REQUEST_DURATION, LABEL, type MetricDefinition } from '@platform/conventions';
import type { Metric, Registry } from 'prom-client';
import { BatchedGauge } from './batched-gauge.js';
import { BatchedHistogram } from './batched-histogram.js';
import { normaliseRoute } from './normalise-labels.js';

/**
 * Records http_server_request_duration_seconds (with trace exemplars) and
 * http_server_active_requests for the server instrumentation: two calls per request, each a
 * map lookup by a string key and a few additions (BatchedHistogram, BatchedGauge: rendered
 * exactly as prom-client's Histogram and Gauge would render the same observations).
 */
export class HttpServerMetrics {
  private readonly duration: BatchedHistogram;
  private readonly active: BatchedGauge;

  constructor(registry: Registry) {
    this.duration = getOrRegister(
      registry,
      HTTP_SERVER_REQUEST_DURATION,
      (m) => m instanceof BatchedHistogram || (typeof m.seriesFor === 'function' && m.type === 'histogram'),
      () => new BatchedHistogram(HTTP_SERVER_REQUEST_DURATION.name, HTTP_SERVER_REQUEST_DURATION.help, HTTP_SERVER_REQUEST_DURATION.buckets ?? [], true),
    );
    this.active = getOrRegister(
      registry,
      HTTP_SERVER_ACTIVE_REQUESTS,
      (m) => m instanceof BatchedGauge || (typeof m.seriesFor === 'function' && m.type === 'gauge'),
      () => new BatchedGauge(HTTP_SERVER_ACTIVE_REQUESTS.name, HTTP_SERVER_ACTIVE_REQUESTS.help),
    );
  }

  /** A request arrived; `method` is already normalised (see normaliseMethod). */
  onRequestStart(method: string, scheme: string): void {
    this.active.seriesFor(scheme === 'http' ? method : `${method} ${scheme}`, () => ({ [LABEL.httpRequestMethod]: method, [LABEL.urlScheme]: scheme })).value +=
      1;
  }

  /**
   * The response finished, failed or the connection closed. `route` is the matched template
   * (undefined: `unmatched`); `errorType` is set for 5xx responses and thrown errors.
   */
  onRequestEnd(
    method: string,
    scheme: string,
    route: string | undefined,
    status: number,
    errorType: string | undefined,
    seconds: number,
    spanContext: SpanContext,
  ): void {
    this.active.seriesFor(scheme === 'http' ? method : `${method} ${scheme}`, () => ({ [LABEL.httpRequestMethod]: method, [LABEL.urlScheme]: scheme })).value -=
      1;
    const routeLabel = normaliseRoute(route);
    const key = errorType === undefined ? `${method}\u0000${routeLabel}\u0000${status}` : `${method}\u0000${routeLabel}\u0000${status}\u0000${errorType}`;
    const series = this.duration.seriesFor(key, () => {
      const labels: Record<string, string | number> = {
        [LABEL.httpRequestMethod]: method,
        [LABEL.httpRoute]: routeLabel,
        [LABEL.httpResponseStatusCode]: status,
      };
      if (errorType !== undefined) labels[LABEL.errorType] = errorType;
      return labels;
    });
    if ((spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED) series.observe(seconds, spanContext.traceId, spanContext.spanId);
    else series.observe(seconds);
  }
}

/**
 * The registry's metric of that name when it is one of ours (registered by this or another copy
 * of the SDK sharing the registry), else a new one, registered when the name is free. A foreign
 * metric holding the name is left alone (the new one then records without being exposed).
 */
function getOrRegister<M extends BatchedHistogram | BatchedGauge>(
  registry: Registry,
  def: MetricDefinition,
  isOurs: (m: Metric<string> & { seriesFor?: unknown; type?: unknown }) => boolean,
  create: () => M,
): M {
  const existing = registry.getSingleMetric(def.name) as (Metric<string> & { seriesFor?: unknown; type?: unknown }) | undefined;
  if (existing !== undefined && isOurs(existing)) return existing as unknown as M;
  const metric = create();
  if (existing === undefined) registry.registerMetric(metric as unknown as Metric<string>);
  return metric;
}
