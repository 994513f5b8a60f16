import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HTTP_SERVER_REQUEST_DURATION, LABEL } from '@platform/conventions';
import { Registry } from 'prom-client';
import { HttpServerMetrics } from '../../src/metrics/http-server-metrics.js';
import { instrumentHttpServers } from '../../src/tracing/http-server-instrumentation.js';

/** What the SDK recorded for one request: its SERVER span and its duration observation. */
export interface RecordedRequest {
  /** Span name: `GET /users/:id`, or just `GET` without a route. */
  name: string;
  /** The span's `http.route` attribute. */
  route: unknown;
  status: unknown;
  /** Span status is ERROR. */
  error: boolean;
  /** `http_route` of the one http_server_request_duration_seconds observation. */
  metricRoute: string | undefined;
}

/**
 * In-process harness for framework route instrumentations: the SDK's HTTP server
 * instrumentation, an in-memory span exporter and a fresh prom-client registry, and `request()`
 * that sends one request and returns what was recorded for it.
 */
export function startRouteHarness() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const registry = new Registry();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const uninstall = instrumentHttpServers({ tracer: provider.getTracer('test'), metrics: new HttpServerMetrics(registry), ignore: () => false });

  async function request(base: string, path: string, init?: RequestInit): Promise<RecordedRequest> {
    exporter.reset();
    registry.resetMetrics();
    const res = await fetch(base + path, init);
    await res.arrayBuffer();
    for (let i = 0; i < 100 && exporter.getFinishedSpans().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const spans = exporter.getFinishedSpans();
    if (spans.length !== 1) throw new Error(`expected one span for ${path}, got ${spans.length}`);
    const span = spans[0]!;
    const metric = await registry.getSingleMetric(HTTP_SERVER_REQUEST_DURATION.name)!.get();
    const counts = metric.values.filter((v) => v.metricName === `${HTTP_SERVER_REQUEST_DURATION.name}_count` && v.value > 0);
    if (counts.length !== 1) throw new Error(`expected one duration series for ${path}, got ${counts.length}`);
    return {
      name: span.name,
      route: span.attributes['http.route'],
      status: span.attributes['http.response.status_code'],
      error: span.status.code === SpanStatusCode.ERROR,
      metricRoute: counts[0]!.labels[LABEL.httpRoute] as string | undefined,
    };
  }

  return {
    request,
    close(): void {
      uninstall();
      context.disable();
      propagation.disable();
    },
  };
}

/** Listens on an ephemeral 127.0.0.1 port; returns the base URL. */
export async function listenLocal(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
