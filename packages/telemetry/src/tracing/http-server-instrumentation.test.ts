import { EventEmitter } from 'node:events';
import http, { IncomingMessage, ServerResponse, type RequestListener } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { getRPCMetadata, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpServerMetrics } from '../metrics/http-server-metrics.js';
import { instrumentHttpServers } from './http-server-instrumentation.js';
import { ServerSpan } from './server-span.js';
import { createSecretParamMatcher } from '../redaction/redact-url.js';
import { UrlRedactingSpanProcessor } from './url-redacting-span-processor.js';

const exporter = new InMemorySpanExporter();
// As installTracing sets it up: URL attributes are redacted by the processor when a span starts.
const provider = new BasicTracerProvider({
  spanProcessors: [new UrlRedactingSpanProcessor(createSecretParamMatcher(['token'])), new SimpleSpanProcessor(exporter)],
});
let registry: Registry;
let uninstall: () => void;
let handler: RequestListener = (_req, res) => res.end();
let server: http.Server;
let base: string;
const originalEmit = http.Server.prototype.emit;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  context.disable();
  propagation.disable();
});
beforeEach(() => {
  exporter.reset();
  registry = new Registry();
  uninstall = instrumentHttpServers({
    tracer: provider.getTracer('test'),
    metrics: new HttpServerMetrics(registry),
    ignore: (req) => req.url === '/metrics',
  });
});
afterEach(() => uninstall());

async function get(path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(base + path, init);
  await res.arrayBuffer();
  // The span ends on the response's 'close', which can land just after the client has the body.
  for (let i = 0; i < 50 && exporter.getFinishedSpans().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  return res;
}

const durationCount = async (labels: string): Promise<number | undefined> => {
  const text = await registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`http_server_request_duration_seconds_count{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
};

describe('instrumentHttpServers', () => {
  it('makes one SERVER span per request: parent from traceparent, stable attributes, secret query values redacted, renamed with the route', async () => {
    let activeInHandler: string | undefined;
    let activeAfterBody: string | undefined;
    handler = (req, res) => {
      activeInHandler = trace.getActiveSpan()?.spanContext().spanId;
      getRPCMetadata(context.active())!.route = '/orders/:id';
      req.resume();
      // 'end' comes from the socket, outside the request's async context unless req is bound.
      req.on('end', () => {
        activeAfterBody = trace.getActiveSpan()?.spanContext().spanId;
        res.end('ok');
      });
    };
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await get('/orders/7?token=abc&page=2', {
      method: 'POST',
      body: 'x',
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01`, 'user-agent': 'unit-test' },
    });
    const [span] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(span!.name).toBe('POST /orders/:id');
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).toBe(traceId);
    expect(span!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(activeInHandler).toBe(span!.spanContext().spanId);
    expect(activeAfterBody).toBe(span!.spanContext().spanId);
    expect(span!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.scheme': 'http',
      'url.path': '/orders/7',
      'url.query': 'token=REDACTED&page=2',
      'http.route': '/orders/:id',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(base).port),
      'client.address': '127.0.0.1',
      'network.protocol.version': '1.1',
      'user_agent.original': 'unit-test',
    });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(await durationCount('http_request_method="POST",http_route="/orders/:id",http_response_status_code="200"')).toBe(1);
    expect(await registry.metrics()).toMatch(/http_server_active_requests\{http_request_method="POST",url_scheme="http"\} 0/);
  });

  it('starts spans as the purpose-built ServerSpan on the SDK tracer, and through startSpan on any other tracer, with the same result', async () => {
    let active: unknown;
    handler = (req, res) => {
      active = trace.getActiveSpan();
      getRPCMetadata(context.active())!.route = '/orders/:id';
      res.statusCode = 503;
      res.end('busy');
    };
    const headers = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', 'user-agent': 'unit-test' };
    await get('/orders/7?token=abc', { headers });
    expect(active).toBeInstanceOf(ServerSpan);
    const fast = exporter.getFinishedSpans();
    exporter.reset();
    uninstall();
    const sdkTracer = provider.getTracer('test');
    // Not the SDK's Tracer (a wrapper, as another SDK or a test double would be): no settings to read.
    const wrapped = { startSpan: sdkTracer.startSpan.bind(sdkTracer), startActiveSpan: sdkTracer.startActiveSpan.bind(sdkTracer) };
    uninstall = instrumentHttpServers({ tracer: wrapped, metrics: new HttpServerMetrics(registry), ignore: () => false });
    await get('/orders/7?token=abc', { headers });
    expect(active).not.toBeInstanceOf(ServerSpan);
    const viaTracer = exporter.getFinishedSpans();
    const shape = (spans: typeof fast) =>
      spans.map((s) => ({
        name: s.name,
        kind: s.kind,
        traceId: s.spanContext().traceId,
        parent: s.parentSpanContext?.spanId,
        attributes: Object.entries(s.attributes).filter(([k]) => k !== 'client.port'),
        status: s.status,
        events: s.events,
        links: s.links,
        scope: s.instrumentationScope,
        dropped: [s.droppedAttributesCount, s.droppedEventsCount, s.droppedLinksCount],
      }));
    expect(fast).toHaveLength(1);
    expect(shape(fast)).toEqual(shape(viaTracer));
    expect(shape(fast)[0]).toMatchObject({ name: 'GET /orders/:id', status: { code: SpanStatusCode.ERROR } });
  });

  it("takes Express's req.route at the top level, and reports a route under a mount (raw baseUrl) as unmatched", async () => {
    handler = (req, res) => {
      Object.assign(req, { route: { path: '/items/:id' }, baseUrl: req.url?.startsWith('/users') ? '/users/42' : '' });
      res.end();
    };
    await get('/items/9');
    expect(exporter.getFinishedSpans()[0]!.name).toBe('GET /items/:id');
    exporter.reset();
    await get('/users/42/items/9');
    const span = exporter.getFinishedSpans()[0]!;
    expect(span.name).toBe('GET');
    expect(span.attributes['http.route']).toBeUndefined();
    expect(await durationCount('http_request_method="GET",http_route="unmatched",http_response_status_code="200"')).toBe(1);
  });

  it('marks 5xx responses as errors (span status and error_type), not 4xx; unknown methods become _OTHER', async () => {
    handler = (req, res) => {
      res.statusCode = req.url === '/fail' ? 503 : 404;
      res.end();
    };
    await get('/fail');
    let span = exporter.getFinishedSpans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('503');
    expect(await durationCount('http_request_method="GET",http_route="unmatched",http_response_status_code="503",error_type="503"')).toBe(1);
    exporter.reset();
    await get('/missing', { method: 'PURGE' });
    span = exporter.getFinishedSpans()[0]!;
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['error.type']).toBeUndefined();
    expect(span.attributes['http.request.method']).toBe('_OTHER');
    expect(span.attributes['http.request.method_original']).toBe('PURGE');
    expect(await durationCount('http_request_method="_OTHER",http_route="unmatched",http_response_status_code="404"')).toBe(1);
  });

  it('records a response error with the error name as error_type, once', async () => {
    handler = (_req, res) => {
      res.on('error', () => undefined);
      res.emit('error', new TypeError('stream broke'));
      res.end();
    };
    await get('/broken');
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'stream broke' });
    expect(spans[0]!.events.map((e) => e.name)).toEqual(['exception']);
    expect(await durationCount('http_request_method="GET",http_route="unmatched",http_response_status_code="200",error_type="TypeError"')).toBe(1);
  });

  it('ends the span with the exception when a request listener throws, and rethrows it', () => {
    const direct = http.createServer(() => {
      throw new RangeError('handler bug');
    });
    const req = new IncomingMessage(new Socket());
    req.method = 'GET';
    req.url = '/sync';
    const res = new ServerResponse(req);
    expect(() => direct.emit('request', req, res)).toThrow('handler bug');
    const [span] = exporter.getFinishedSpans();
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
    expect(span!.attributes['error.type']).toBe('RangeError');
  });

  it('leaves ignored requests (the /metrics scrape) without span or metrics, with tracing suppressed', async () => {
    let active: unknown = 'unset';
    handler = (_req, res) => {
      active = trace.getActiveSpan();
      res.end();
    };
    await get('/metrics');
    await new Promise((r) => setTimeout(r, 50));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    expect(active).toBeUndefined();
    expect(await registry.metrics()).not.toContain('http_server_request_duration_seconds_count{');
  });

  it('never costs the application a request: a failing metrics recorder still leaves the span ended and the response served', async () => {
    uninstall();
    const broken = new HttpServerMetrics(new Registry());
    broken.onRequestEnd = () => {
      throw new Error('recorder bug');
    };
    uninstall = instrumentHttpServers({ tracer: provider.getTracer('test'), metrics: broken, ignore: () => false });
    handler = (_req, res) => res.end('fine');
    const res = await get('/survives');
    expect(res.status).toBe(200);
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['GET']);
    // And one whose start fails: the request goes through untraced.
    uninstall();
    const failingStart = new HttpServerMetrics(new Registry());
    failingStart.onRequestStart = () => {
      throw new Error('recorder bug');
    };
    uninstall = instrumentHttpServers({ tracer: provider.getTracer('test'), metrics: failingStart, ignore: () => false });
    const again = await fetch(base + '/survives');
    expect(await again.text()).toBe('fine');
  });

  it('patches once (a second SDK copy is a no-op) and restores the original emit on uninstall', async () => {
    const second = instrumentHttpServers({
      tracer: provider.getTracer('second'),
      metrics: new HttpServerMetrics(new Registry()),
      ignore: () => false,
    });
    handler = (_req, res) => res.end();
    await get('/once');
    expect(exporter.getFinishedSpans().map((s) => s.instrumentationScope.name)).toEqual(['test']);
    second();
    uninstall();
    expect(http.Server.prototype.emit).toBe(originalEmit);
    // The request and response prototypes inherit EventEmitter's emit again, as before install.
    expect(Object.hasOwn(IncomingMessage.prototype, 'emit')).toBe(false);
    expect(Object.hasOwn(ServerResponse.prototype, 'emit')).toBe(false);
    expect(IncomingMessage.prototype.emit).toBe(EventEmitter.prototype.emit);
    exporter.reset();
    await fetch(base + '/after').then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, 50));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
