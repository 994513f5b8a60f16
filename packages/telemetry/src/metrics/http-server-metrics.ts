import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { context, TraceFlags, type Span } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { HTTP_SERVER_ACTIVE_REQUESTS, HTTP_SERVER_REQUEST_DURATION, LABEL } from '@platform/conventions';
import type { Gauge, Histogram, Registry } from 'prom-client';
import { getOrCreateGauge, getOrCreateHistogram } from './get-or-create-metric.js';
import { errorTypeForStatus, normaliseMethod, normaliseRoute } from './normalise-labels.js';

const kStart = Symbol('platform.telemetry.serverStart');
const kActiveLabels = Symbol('platform.telemetry.activeLabels');

type TrackedRequest = IncomingMessage & { [kStart]?: number; [kActiveLabels]?: Record<string, string> };

/**
 * Records http_server_request_duration_seconds (with trace exemplars) and
 * http_server_active_requests from the http instrumentation's request/finish hooks, so the
 * per-request cost is two hook calls, one label object and one histogram observation.
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

  /** Call when the server span starts. */
  onRequestStart(request: IncomingMessage): void {
    const req = request as TrackedRequest;
    req[kStart] = performance.now();
    const method = normaliseMethod(request.method);
    const scheme = (request.socket as { encrypted?: boolean } | undefined)?.encrypted ? 'https' : 'http';
    const key = scheme === 'http' ? method : `${method} https`;
    let labels = this.activeLabels.get(key);
    if (!labels) {
      labels = Object.freeze({ [LABEL.httpRequestMethod]: method, [LABEL.urlScheme]: scheme });
      this.activeLabels.set(key, labels);
    }
    req[kActiveLabels] = labels;
    this.active.inc(labels);
  }

  /** Call when the response has finished, inside the request's context (route is read from it). */
  onResponseFinish(span: Span, request: IncomingMessage, response: ServerResponse, thrown?: Error): void {
    const req = request as TrackedRequest;
    const start = req[kStart];
    if (start === undefined) return;
    req[kStart] = undefined;
    const activeLabels = req[kActiveLabels];
    if (activeLabels) this.active.dec(activeLabels);

    const status = response.statusCode;
    const labels: Record<string, string | number> = {
      [LABEL.httpRequestMethod]: normaliseMethod(request.method),
      [LABEL.httpRoute]: normaliseRoute(getRPCMetadata(context.active())?.route),
      [LABEL.httpResponseStatusCode]: status,
    };
    const errorType = thrown ? thrown.name || 'Error' : errorTypeForStatus(status);
    if (errorType !== undefined) labels[LABEL.errorType] = errorType;
    const value = (performance.now() - start) / 1000;
    const sc = span.spanContext();
    if ((sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED) {
      this.duration.observe({ labels, value, exemplarLabels: { trace_id: sc.traceId, span_id: sc.spanId } });
    } else {
      this.duration.observe({ labels, value });
    }
  }
}
