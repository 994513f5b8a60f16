// @ts-check
/**
 * Export batches as the SDK hands them to its OTLP exporters: HTTP server spans with the
 * attributes our instrumentation sets (one in four with an exception event, one in eight with
 * a link) and log records as the logger forwarder emits them (message body, severity, trace
 * context, a few plain attributes), all from the real OpenTelemetry SDK objects, under one
 * resource like the one detectResource() builds.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

const resource = resourceFromAttributes({
  'service.name': 'orders-service',
  'service.version': '1.4.2',
  'deployment.environment.name': 'production',
  'host.name': 'orders-7d9f8b6c5d-x2k4p',
  'process.pid': 4242,
  'process.runtime.name': 'nodejs',
  'process.runtime.version': '22.11.0',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '2.12.0',
});

const ROUTES = ['/orders/:id', '/orders', '/health', '/customers/:id/orders'];

/** @param {number} n @returns {import('@opentelemetry/sdk-trace-base').ReadableSpan[]} */
export function makeSpans(n) {
  /** @type {import('@opentelemetry/sdk-trace-base').ReadableSpan[]} */
  const spans = [];
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: [{ onStart() {}, onEnd: (span) => void spans.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('@platform/telemetry', '0.1.0');
  for (let i = 0; i < n; i++) {
    const route = ROUTES[i % ROUTES.length] ?? '/';
    const status = i % 10 === 0 ? 500 : 200;
    const link =
      i % 8 === 0
        ? [
            {
              context: { traceId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90', spanId: '0123456789abcdef', traceFlags: 1 },
              attributes: { 'messaging.operation': 'receive' },
            },
          ]
        : [];
    const span = tracer.startSpan(`GET ${route}`, {
      kind: SpanKind.SERVER,
      links: link,
      attributes: {
        'http.request.method': 'GET',
        'url.path': route.replace(':id', String(1000 + i)),
        'url.scheme': 'http',
        'server.address': 'orders.internal',
        'server.port': 8080,
        'network.protocol.version': '1.1',
        'network.peer.address': '10.0.3.17',
        'client.address': '10.0.3.17',
        'user_agent.original': 'k6/0.54.0 (https://k6.io/)',
        'http.route': route,
      },
    });
    span.setAttribute('http.response.status_code', status);
    if (i % 4 === 0) span.recordException(new Error(`upstream timed out after ${i} ms`));
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }
  return spans;
}

/** @param {number} n @returns {import('@opentelemetry/sdk-logs').ReadableLogRecord[]} */
export function makeLogRecords(n) {
  /** @type {import('@opentelemetry/sdk-logs').ReadableLogRecord[]} */
  const records = [];
  const provider = new LoggerProvider({
    resource,
    processors: [{ onEmit: (record) => void records.push(record), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const logger = provider.getLogger('@platform/telemetry');
  for (let i = 0; i < n; i++) {
    const ctx = trace.setSpanContext(context.active(), {
      traceId: `4bf92f3577b34da6a3ce929d0e0e${String(4736 + i).padStart(4, '0')}`,
      spanId: `00f067aa0ba9${String(i % 10000).padStart(4, '0')}`,
      traceFlags: 1,
    });
    logger.emit({
      timestamp: Date.now(),
      severityNumber: i % 10 === 0 ? SeverityNumber.WARN : SeverityNumber.INFO,
      severityText: i % 10 === 0 ? 'WARN' : 'INFO',
      body: i % 10 === 0 ? 'payment provider slow, retrying' : 'order placed',
      attributes: { hostname: 'orders-7d9f8b6c5d-x2k4p', orderId: `ord-${100000 + i}`, customerId: 4711 + i, amount: 129.95, express: i % 3 === 0 },
      context: ctx,
    });
  }
  return records;
}
