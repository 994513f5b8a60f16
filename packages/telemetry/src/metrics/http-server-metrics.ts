import { TraceFlags, type SpanContext } from '@opentelemetry/api';
import { HTTP_SERVER_ACTIVE_REQUESTS, HTTP_SERVER_REQUEST_DURATION, LABEL } from '@platform/conventions';
import type { Gauge, Histogram, Registry } from 'prom-client';
import { getOrCreateGauge, getOrCreateHistogram } from './get-or-create-metric.js';
import { normaliseRoute } from './normalise-labels.js';

/**
 * Records http_server_request_duration_seconds (with trace exemplars) and
 * http_server_active_requests for the server instrumentation: two calls per request, one
 * label object and one histogram observation.
 */
export class HttpServerMetrics {
  private readonly duration: Histogram<string>;
  private readonly active: Gauge<string>;
  /** Frozen label objects for the active gauge, one per method+scheme: no allocation per request. */
  private readonly activeLabels = new Map<string, Record<string, string>>();

  constructor(registry: Registry) {
    this.duration = getOrCreateHistogram(registry, HTTP_SERVER_REQUEST_DURATION, { enableExemplars: true }).metric;
    this.active = getOrCreateGauge(registry, HTTP_SERVER_ACTIVE_REQUESTS).metric;
  }

  /** A request arrived; `method` is already normalised (see normaliseMethod). */
  onRequestStart(method: string, scheme: string): void {
    this.active.inc(this.activeLabelsFor(method, scheme));
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
    this.active.dec(this.activeLabelsFor(method, scheme));
    const labels: Record<string, string | number> = {
      [LABEL.httpRequestMethod]: method,
      [LABEL.httpRoute]: normaliseRoute(route),
      [LABEL.httpResponseStatusCode]: status,
    };
    if (errorType !== undefined) labels[LABEL.errorType] = errorType;
    if ((spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED) {
      this.duration.observe({ labels, value: seconds, exemplarLabels: { trace_id: spanContext.traceId, span_id: spanContext.spanId } });
    } else {
      this.duration.observe({ labels, value: seconds });
    }
  }

  private activeLabelsFor(method: string, scheme: string): Record<string, string> {
    const key = scheme === 'http' ? method : `${method} ${scheme}`;
    let labels = this.activeLabels.get(key);
    if (!labels) {
      labels = Object.freeze({ [LABEL.httpRequestMethod]: method, [LABEL.urlScheme]: scheme });
      this.activeLabels.set(key, labels);
    }
    return labels;
  }
}
