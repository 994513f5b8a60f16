/**
 * The receiver over HTTP, in-process: payloads from the real OpenTelemetry JS SDK exporters
 * (OTLP/JSON and OTLP/protobuf, plain and gzip, traces, logs and metrics), the error answers
 * (400/413/415, never a crash), 10,000 spans in one request, the memory caps, the
 * DNS-rebinding guard on both ports, live events, and --forward.
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { context, trace, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsJson } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricsProto } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TracesJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../src/dev-server.js';
import { OTLP_PROTO_SCHEMA } from '../src/otlp/proto-schema.js';
import { startOtlpReceiver } from '../../telemetry/test/support/otlp-receiver.js';
import { waitFor } from '../../telemetry/test/support/free-port.js';

const TraceReq = protobuf.parse(OTLP_PROTO_SCHEMA, { keepCase: false }).root.lookupType('otlp.ExportTraceServiceRequest');

function post(url: string, body: Uint8Array, headers: Record<string, string>): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-length': String(body.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function tenThousandSpans(traceIdHex: string): Uint8Array {
  const spans = Array.from({ length: 10_000 }, (_, i) => ({
    traceId: Buffer.from(traceIdHex, 'hex'),
    spanId: Buffer.from((i + 1).toString(16).padStart(16, '0'), 'hex'),
    name: `op-${i % 10}`,
    kind: 2,
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
    endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500_000n),
    attributes: [
      { key: 'http.route', value: { stringValue: `/r/${i % 10}` } },
      { key: 'http.response.status_code', value: { intValue: 200 } },
    ],
  }));
  return TraceReq.encode(
    TraceReq.fromObject({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bulk' } }] }, scopeSpans: [{ spans }] }] }),
  ).finish();
}

describe('receiver: real SDK exporters', () => {
  let dev: DevServer;
  beforeAll(async () => {
    dev = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 } });
  });
  afterAll(() => dev.close());

  const variants = [
    { encoding: 'json', compression: 'none', Traces: TracesJson, Logs: LogsJson, Metrics: MetricsJson },
    { encoding: 'json', compression: 'gzip', Traces: TracesJson, Logs: LogsJson, Metrics: MetricsJson },
    { encoding: 'protobuf', compression: 'none', Traces: TracesProto, Logs: LogsProto, Metrics: MetricsProto },
    { encoding: 'protobuf', compression: 'gzip', Traces: TracesProto, Logs: LogsProto, Metrics: MetricsProto },
  ] as const;

  it.each(variants)(
    '$encoding, compression $compression: spans, log records and metrics arrive intact',
    async ({ encoding, compression, Traces, Logs, Metrics }) => {
      const service = `sdk-${encoding}-${compression}`;
      const resource = resourceFromAttributes({ 'service.name': service });
      const opts = (signal: string) => ({ url: `${dev.otlpUrl}/v1/${signal}`, compression: compression as never });

      const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(new Traces(opts('traces')))] });
      const loggerProvider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: new Logs(opts('logs')) })] });
      const meterProvider = new MeterProvider({
        resource,
        readers: [new PeriodicExportingMetricReader({ exporter: new Metrics(opts('metrics')), exportIntervalMillis: 600_000 })],
      });

      const tracer = tracerProvider.getTracer('receiver-test');
      const attrs: Attributes = { 'http.route': '/pay', 'http.response.status_code': 502, 'http.request.method': 'POST', tags: ['a', 'b'], n: 3 };
      const parent = tracer.startSpan('POST /pay', { kind: 1, attributes: attrs });
      parent.addEvent('resilience.attempt', { 'resilience.attempt': 1, 'resilience.outcome': 'failure' });
      const ctx = trace.setSpan(context.active(), parent);
      const child = tracer.startSpan('GET payments', { kind: 2 }, ctx);
      child.end();
      parent.setStatus({ code: SpanStatusCode.ERROR, message: 'payments down' });
      parent.end();
      loggerProvider
        .getLogger('receiver-test')
        .emit({ body: 'charge failed', severityNumber: SeverityNumber.ERROR, severityText: 'ERROR', attributes: { order: 7 }, context: ctx });
      const meter = meterProvider.getMeter('receiver-test');
      meter.createCounter('orders_total').add(5, { route: '/pay' });
      meter.createHistogram('latency_seconds', { unit: 's' }).record(0.2);

      await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush(), meterProvider.forceFlush()]);
      await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);

      const parentId = parent.spanContext();
      const stored = dev.store.traces.get(parentId.traceId);
      expect(stored?.spans.map((s) => s.name).sort()).toEqual(['GET payments', 'POST /pay']);
      const p = stored!.spans.find((s) => s.name === 'POST /pay')!;
      expect(p).toMatchObject({ service, spanId: parentId.spanId, statusCode: 2, statusMessage: 'payments down' });
      expect({ ...p.attributes }).toEqual(attrs);
      expect(p.events.map((e) => [e.name, e.attributes['resilience.outcome']])).toEqual([['resilience.attempt', 'failure']]);
      expect(stored!.spans.find((s) => s.name === 'GET payments')!.parentSpanId).toBe(parentId.spanId);

      const log = [...dev.store.logs].find((l) => l.service === service);
      expect(log).toMatchObject({ body: 'charge failed', severityNumber: 17, severityText: 'ERROR', traceId: parentId.traceId, spanId: parentId.spanId });
      expect(log!.attributes.order).toBe(7);

      const metrics = dev.store.metrics.forService(service);
      expect(metrics.map((m) => [m.name, m.kind])).toEqual([
        ['latency_seconds', 'histogram'],
        ['orders_total', 'sum'],
      ]);
      expect([...metrics[1]!.latest.values()][0]!.value).toBe(5);
      expect([...metrics[0]!.latest.values()][0]).toMatchObject({ count: 1, value: 0.2 });
    },
  );

  it('10,000 spans in one request (gzip protobuf) are all stored', async () => {
    const traceId = 'abcdef0123456789abcdef0123456789';
    const body = gzipSync(tenThousandSpans(traceId));
    const res = await post(`${dev.otlpUrl}/v1/traces`, body, { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(dev.store.traces.get(traceId)?.spans).toHaveLength(10_000);
  });
});

describe('receiver: malformed and oversized input answered, never a crash', () => {
  let dev: DevServer;
  beforeAll(async () => {
    dev = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 }, maxBodyBytes: 1024 * 1024 });
  });
  afterAll(() => dev.close());
  const PB = { 'content-type': 'application/x-protobuf' };
  const JS = { 'content-type': 'application/json' };

  it.each([
    ['garbage protobuf', () => Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), PB, 400],
    ['invalid JSON', () => Buffer.from('{"resourceSpans":'), JS, 400],
    ['JSON array', () => Buffer.from('[1,2]'), JS, 400],
    ['invalid gzip', () => Buffer.from('not gzip at all'), { ...PB, 'content-encoding': 'gzip' }, 400],
    ['unknown content-encoding', () => Buffer.from('x'), { ...PB, 'content-encoding': 'br' }, 415],
    ['text/plain', () => Buffer.from('hello'), { 'content-type': 'text/plain' }, 415],
    ['body over the limit', () => Buffer.alloc(2 * 1024 * 1024, 1), PB, 413],
    ['gzip bomb (64 MB of zeros, 64 KB on the wire)', () => gzipSync(Buffer.alloc(64 * 1024 * 1024)), { ...PB, 'content-encoding': 'gzip' }, 413],
  ] as const)('%s', async (_name, body, headers, status) => {
    const res = await post(`${dev.otlpUrl}/v1/traces`, body(), headers);
    expect(res.status).toBe(status);
    if (headers['content-type'] === 'application/x-protobuf' && status === 400) {
      // google.rpc.Status: field 1 code (INVALID_ARGUMENT = 3), field 2 message.
      expect(res.body[0]).toBe(0x08);
      expect(res.body[1]).toBe(3);
      expect(res.body.subarray(4).toString()).toMatch(/invalid|gzip/);
    }
    // Still serving.
    const ok = await post(`${dev.otlpUrl}/v1/logs`, Buffer.from('{}'), JS);
    expect(ok.status).toBe(200);
  });

  it('unknown paths 404, GET on a signal path 405', async () => {
    expect((await post(`${dev.otlpUrl}/v1/profiles`, Buffer.from('{}'), JS)).status).toBe(404);
    expect((await fetch(`${dev.otlpUrl}/v1/traces`)).status).toBe(405);
  });
});

describe('bounded memory, DNS-rebinding guard, live events, --forward', () => {
  it('caps: oldest whole traces and log records are dropped and counted; the UI API reports them', async () => {
    const dev = await startDevServer({
      otlp: { host: '127.0.0.1', port: 0 },
      ui: { host: '127.0.0.1', port: 0 },
      caps: { maxTraces: 3, maxSpans: 5, maxLogs: 4 },
    });
    try {
      const spans = (n: number, traceHex: string) =>
        Array.from({ length: n }, (_, i) => ({ traceId: traceHex, spanId: (i + 1).toString(16).padStart(16, '0'), name: `s${i}` }));
      const send = (s: unknown[]) =>
        post(`${dev.otlpUrl}/v1/traces`, Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: s }] }] })), {
          'content-type': 'application/json',
        });
      await send(spans(2, '1'.repeat(32)));
      await send(spans(2, '2'.repeat(32)));
      await send(spans(2, '3'.repeat(32))); // 6 spans > 5: trace 1 goes
      await send(spans(2, '4'.repeat(32))); // 6 spans > 5: trace 2 goes
      await send(spans(1, '5'.repeat(32))); // 3 traces, 5 spans: within both caps
      await send(spans(1, '6'.repeat(32))); // 4 traces > 3 (and 6 spans): trace 3 goes
      const logs = Array.from({ length: 6 }, (_, i) => ({ body: { stringValue: `line ${i}` } }));
      await post(`${dev.otlpUrl}/v1/logs`, Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: logs }] }] })), {
        'content-type': 'application/json',
      });

      const stats = (await (await fetch(`${dev.uiUrl}api/stats`)).json()) as {
        store: { traces: number; spans: number; logs: number; dropped: { traces: number; spans: number; logs: number } };
      };
      expect(stats.store).toMatchObject({ traces: 3, spans: 4, logs: 4, dropped: { traces: 3, spans: 6, logs: 2 } });
      expect(dev.store.traces.get('1'.repeat(32))).toBeUndefined();
      expect(dev.store.traces.get('3'.repeat(32))).toBeUndefined();
      expect(dev.store.traces.get('4'.repeat(32))?.spans).toHaveLength(2);
      expect([...dev.store.logs].map((l) => l.body)).toEqual(['line 2', 'line 3', 'line 4', 'line 5']);
    } finally {
      await dev.close();
    }
  });

  it('Host other than localhost/IP literal on our port, or a foreign Origin: 403 on both servers; same-origin OK', async () => {
    const dev = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 } });
    try {
      const ui = new URL(dev.uiUrl);
      const otlp = new URL(dev.otlpUrl);
      const get = (url: URL, headers: Record<string, string>) =>
        new Promise<number>((resolve, reject) => {
          http
            .get({ host: '127.0.0.1', port: url.port, path: '/api/stats', headers }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            })
            .on('error', reject);
        });
      expect(await get(ui, { host: `127.0.0.1:${ui.port}` })).toBe(200);
      expect(await get(ui, { host: `localhost:${ui.port}` })).toBe(200);
      expect(await get(ui, { host: `[::1]:${ui.port}` })).toBe(200);
      expect(await get(ui, { host: `localhost:${ui.port}`, origin: `http://localhost:${ui.port}` })).toBe(200);
      expect(await get(ui, { host: `rebind.attacker.example:${ui.port}` })).toBe(403);
      expect(await get(ui, { host: 'localhost' })).toBe(403); // wrong (default) port
      expect(await get(ui, { host: `127.0.0.1:${ui.port}`, origin: 'http://rebind.attacker.example' })).toBe(403);
      expect(await get(ui, { host: `127.0.0.1:${ui.port}`, origin: 'null' })).toBe(403);
      expect(await get(ui, { host: `127.0.0.1:${ui.port}`, 'sec-fetch-site': 'cross-site' })).toBe(403);
      const body = Buffer.from(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'f'.repeat(32), spanId: 'f'.repeat(16) }] }] }] }));
      const json = { 'content-type': 'application/json' };
      expect((await post(`${dev.otlpUrl}/v1/traces`, body, { ...json, host: `evil.example:${otlp.port}` })).status).toBe(403);
      expect((await post(`${dev.otlpUrl}/v1/traces`, body, { ...json, origin: 'https://evil.example' })).status).toBe(403);
      expect(dev.store.stats().received.spans).toBe(0);
      expect((await post(`${dev.otlpUrl}/v1/traces`, body, json)).status).toBe(200);
      expect(dev.store.stats().received.spans).toBe(1);
      // The UI is read-only.
      expect((await post(`${dev.uiUrl}api/stats`, Buffer.from('{}'), json)).status).toBe(405);
    } finally {
      await dev.close();
    }
  });

  it('live events: an ingest event with the counts follows an export', async () => {
    const dev = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 } });
    try {
      const controller = new AbortController();
      const res = await fetch(`${dev.uiUrl}api/events`, { signal: controller.signal });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.getReader();
      await post(
        `${dev.otlpUrl}/v1/logs`,
        Buffer.from(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'x' } }, {}] }] }] })),
        { 'content-type': 'application/json' },
      );
      let text = '';
      while (!text.includes('event: ingest')) text += new TextDecoder().decode((await reader.read()).value);
      expect(text).toContain('data: {"spans":0,"logs":2,"metricPoints":0}');
      controller.abort();
    } finally {
      await dev.close();
    }
  });

  it('--forward tees the bytes as received to a real collector endpoint; a dead one never blocks the receiver', async () => {
    const collector = await startOtlpReceiver();
    const dev = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 }, forward: collector.url });
    const dead = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 }, forward: 'http://127.0.0.1:9' });
    try {
      const body = gzipSync(tenThousandSpans('0123456789abcdef0123456789abcdef'));
      const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' };
      expect((await post(`${dev.otlpUrl}/v1/traces`, body, headers)).status).toBe(200);
      await collector.waitForSpans((s) => s.length === 10_000);
      expect(collector.rawBodies[0]!.wire.equals(body)).toBe(true);
      for (let i = 0; i < 5; i++) expect((await post(`${dead.otlpUrl}/v1/traces`, body, headers)).status).toBe(200);
      const stats = await waitFor(async () => {
        const s = (await (await fetch(`${dead.uiUrl}api/stats`)).json()) as { forward: { failed: number; forwarded: number } };
        return s.forward.failed === 5 ? s.forward : undefined;
      });
      expect(stats.forwarded).toBe(0);
      expect(dead.store.stats().received.spans).toBe(50_000);
    } finally {
      await dev.close();
      await dead.close();
      await collector.stop();
    }
  });
});
