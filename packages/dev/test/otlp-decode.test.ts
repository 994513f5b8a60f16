/**
 * Decoding of hand-built OTLP requests (protobuf built with protobufjs from the spec schema,
 * and OTLP/JSON): ids, timestamps, attributes, events, the per-item bounds, missing fields,
 * and that nothing a sender can put in a body makes the decoder throw anything but OtlpDecodeError.
 */
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest, encodingOf, OtlpDecodeError } from '../src/otlp/decode-request.js';
import { ITEM_LIMITS } from '../src/otlp/limits.js';
import { OTLP_PROTO_SCHEMA } from '../src/otlp/proto-schema.js';
import type { DevSpan } from '../src/model.js';

const root = protobuf.parse(OTLP_PROTO_SCHEMA, { keepCase: false }).root;
const TraceReq = root.lookupType('otlp.ExportTraceServiceRequest');
const LogsReq = root.lookupType('otlp.ExportLogsServiceRequest');
const MetricsReq = root.lookupType('otlp.ExportMetricsServiceRequest');

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const PARENT_ID = 'eee19b7ec3c1b173';
const START_NS = 1_700_000_000_123_456_789n;

function encode(type: protobuf.Type, payload: Record<string, unknown>): Uint8Array {
  return type.encode(type.fromObject(payload)).finish();
}
const hex = (h: string): Buffer => Buffer.from(h, 'hex');
const json = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));
const str = (v: string) => ({ stringValue: v });

function spanRequest(span: Record<string, unknown>, resourceAttrs = [{ key: 'service.name', value: str('checkout') }]) {
  return { resourceSpans: [{ resource: { attributes: resourceAttrs }, scopeSpans: [{ scope: { name: 'test-scope' }, spans: [span] }] }] };
}

function onlySpan(batch: ReturnType<typeof decodeOtlpRequest>): DevSpan {
  if (batch.signal !== 'traces') throw new Error('not traces');
  expect(batch.spans).toHaveLength(1);
  return batch.spans[0]!;
}

describe('traces', () => {
  it('protobuf: ids as hex, nanosecond times as ms, kind, status, attributes of every type, events', () => {
    const body = encode(
      TraceReq,
      spanRequest({
        traceId: hex(TRACE_ID),
        spanId: hex(SPAN_ID),
        parentSpanId: hex(PARENT_ID),
        name: 'GET /orders/:id',
        kind: 2,
        startTimeUnixNano: START_NS.toString(),
        endTimeUnixNano: (START_NS + 2_500_000n).toString(),
        attributes: [
          { key: 'http.route', value: str('/orders/:id') },
          { key: 'http.response.status_code', value: { intValue: 503 } },
          { key: 'ok', value: { boolValue: true } },
          { key: 'ratio', value: { doubleValue: 0.25 } },
          { key: 'list', value: { arrayValue: { values: [str('a'), { intValue: 2 }] } } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'k', value: str('v') }] } } },
          { key: 'raw', value: { bytesValue: Buffer.from('hi') } },
        ],
        events: [
          { timeUnixNano: (START_NS + 1_000_000n).toString(), name: 'resilience.attempt', attributes: [{ key: 'resilience.attempt', value: { intValue: 1 } }] },
        ],
        status: { code: 2, message: 'upstream down' },
      }),
    );
    const span = onlySpan(decodeOtlpRequest('traces', 'protobuf', body));
    expect(span).toMatchObject({
      traceId: TRACE_ID,
      spanId: SPAN_ID,
      parentSpanId: PARENT_ID,
      name: 'GET /orders/:id',
      kind: 2,
      service: 'checkout',
      scope: 'test-scope',
      statusCode: 2,
      statusMessage: 'upstream down',
      truncated: false,
    });
    expect(span.startMs).toBeCloseTo(1_700_000_000_123.4568, 3);
    expect(span.durationMs).toBeCloseTo(2.5, 3);
    expect({ ...span.attributes }).toEqual({
      'http.route': '/orders/:id',
      'http.response.status_code': 503,
      ok: true,
      ratio: 0.25,
      list: ['a', 2],
      map: { k: 'v' },
      raw: Buffer.from('hi').toString('base64'),
    });
    expect(span.events).toHaveLength(1);
    expect(span.events[0]!.name).toBe('resilience.attempt');
    expect(span.events[0]!.timeMs - span.startMs).toBeCloseTo(1, 3);
  });

  it('OTLP/JSON: hex ids, decimal-string nanos and intValue strings decode to the same span', () => {
    const body = json(
      spanRequest({
        traceId: TRACE_ID.toUpperCase(),
        spanId: SPAN_ID,
        name: 'work',
        kind: 1,
        startTimeUnixNano: START_NS.toString(),
        endTimeUnixNano: (START_NS + 1_000_000n).toString(),
        attributes: [{ key: 'n', value: { intValue: '42' } }],
      }),
    );
    const span = onlySpan(decodeOtlpRequest('traces', 'json', body));
    expect(span).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, parentSpanId: '', kind: 1, name: 'work' });
    expect(span.attributes.n).toBe(42);
    expect(span.durationMs).toBeCloseTo(1, 3);
  });

  it('missing fields: defaults instead of errors; spans without valid ids are skipped; no service.name is unknown_service', () => {
    const ok = { traceId: hex(TRACE_ID), spanId: hex(SPAN_ID) };
    const batch = decodeOtlpRequest(
      'traces',
      'protobuf',
      encode(TraceReq, {
        resourceSpans: [
          {},
          {
            scopeSpans: [
              {},
              { spans: [ok, { spanId: hex(SPAN_ID) }, { traceId: hex('00'.repeat(16)), spanId: hex(SPAN_ID) }, { traceId: hex('ab'), spanId: hex(SPAN_ID) }] },
            ],
          },
        ],
      }),
    );
    if (batch.signal !== 'traces') throw new Error();
    expect(batch.spans).toHaveLength(1);
    expect(batch.spans[0]).toMatchObject({ service: 'unknown_service', name: '', kind: 0, statusCode: 0, durationMs: 0, scope: '' });
    // JSON with the wrong shapes where lists belong: nothing decoded, nothing thrown.
    const odd = decodeOtlpRequest('traces', 'json', json({ resourceSpans: [{ scopeSpans: 7 }, null, 'x', { scopeSpans: [{ spans: { a: 1 } }] }] }));
    expect(odd).toEqual({ signal: 'traces', spans: [] });
  });

  it('huge attributes are bounded: long values cut with their length, attribute and event counts capped, deep nesting stopped', () => {
    let nested: Record<string, unknown> = str('bottom');
    for (let i = 0; i < 50; i++) nested = { kvlistValue: { values: [{ key: `l${i}`, value: nested }] } };
    const attributes = [
      { key: 'huge', value: str('x'.repeat(1_000_000)) },
      { key: 'deep', value: nested },
      ...Array.from({ length: 5_000 }, (_, i) => ({ key: `k${i}`, value: { intValue: i } })),
    ];
    const events = Array.from({ length: 1_000 }, (_, i) => ({ name: `e${i}` }));
    const span = onlySpan(decodeOtlpRequest('traces', 'json', json(spanRequest({ traceId: TRACE_ID, spanId: SPAN_ID, attributes, events }))));
    expect(span.truncated).toBe(true);
    expect(Object.keys(span.attributes)).toHaveLength(ITEM_LIMITS.maxAttributes);
    expect(span.events).toHaveLength(ITEM_LIMITS.maxEvents);
    const huge = span.attributes.huge as string;
    expect(huge.length).toBeLessThan(ITEM_LIMITS.maxStringLength + 40);
    expect(huge.endsWith('… (1000000 chars)')).toBe(true);
    expect(JSON.stringify(span.attributes.deep)).toContain('[nested too deep]');
    expect(JSON.stringify(span.attributes.deep)).not.toContain('bottom');
  });

  it('10,000 spans in one protobuf request all decode', () => {
    const spans = Array.from({ length: 10_000 }, (_, i) => ({
      traceId: hex(TRACE_ID),
      spanId: hex((i + 1).toString(16).padStart(16, '0')),
      name: `span ${i}`,
      startTimeUnixNano: (START_NS + BigInt(i)).toString(),
      endTimeUnixNano: (START_NS + BigInt(i) + 1000n).toString(),
      attributes: [{ key: 'i', value: { intValue: i } }],
    }));
    const body = encode(TraceReq, { resourceSpans: [{ scopeSpans: [{ spans }] }] });
    const batch = decodeOtlpRequest('traces', 'protobuf', body);
    if (batch.signal !== 'traces') throw new Error();
    expect(batch.spans).toHaveLength(10_000);
    expect(batch.spans[9_999]!.attributes.i).toBe(9_999);
  });
});

describe('logs and metrics', () => {
  it('log records: body of any type as text, severity, trace correlation, time falling back to the observed time', () => {
    const body = encode(LogsReq, {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: str('orders') }] },
          scopeLogs: [
            {
              scope: { name: 'pino' },
              logRecords: [
                {
                  timeUnixNano: START_NS.toString(),
                  severityNumber: 9,
                  severityText: 'INFO',
                  body: str('request handled'),
                  traceId: hex(TRACE_ID),
                  spanId: hex(SPAN_ID),
                  attributes: [{ key: 'status', value: { intValue: 200 } }],
                },
                { observedTimeUnixNano: START_NS.toString(), severityNumber: 17, body: { kvlistValue: { values: [{ key: 'msg', value: str('boom') }] } } },
              ],
            },
          ],
        },
      ],
    });
    const batch = decodeOtlpRequest('logs', 'protobuf', body);
    if (batch.signal !== 'logs') throw new Error();
    expect(batch.logs[0]).toMatchObject({
      service: 'orders',
      scope: 'pino',
      severityNumber: 9,
      severityText: 'INFO',
      body: 'request handled',
      traceId: TRACE_ID,
      spanId: SPAN_ID,
    });
    expect(batch.logs[0]!.attributes.status).toBe(200);
    expect(batch.logs[1]).toMatchObject({ body: '{"msg":"boom"}', severityNumber: 17, traceId: '', spanId: '' });
    expect(batch.logs[1]!.timeMs).toBeCloseTo(Number(START_NS) / 1e6, 0);
  });

  it('metrics: gauge, sum (int and double), histogram and summary points', () => {
    const attrs = [{ key: 'route', value: str('/x') }];
    const body = encode(MetricsReq, {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: str('orders') }] },
          scopeMetrics: [
            {
              metrics: [
                { name: 'g', unit: '1', gauge: { dataPoints: [{ asDouble: 1.5, attributes: attrs, timeUnixNano: START_NS.toString() }] } },
                { name: 's', sum: { isMonotonic: true, aggregationTemporality: 2, dataPoints: [{ asInt: '7' }] } },
                { name: 'h', unit: 's', histogram: { dataPoints: [{ count: '3', sum: 0.6, bucketCounts: ['1', '2'], explicitBounds: [0.25] }] } },
                { name: 'q', summary: { dataPoints: [{ count: '2', sum: 10 }] } },
                { name: 'empty' },
              ],
            },
          ],
        },
      ],
    });
    const batch = decodeOtlpRequest('metrics', 'protobuf', body);
    if (batch.signal !== 'metrics') throw new Error();
    expect(batch.points.map((p) => [p.name, p.kind, p.value, p.count])).toEqual([
      ['g', 'gauge', 1.5, undefined],
      ['s', 'sum', 7, undefined],
      ['h', 'histogram', 0.6, 3],
      ['q', 'summary', 10, 2],
    ]);
    expect(batch.points[0]).toMatchObject({ service: 'orders', unit: '1', attributes: { route: '/x' } });
  });
});

describe('malformed input', () => {
  it.each([
    [
      'protobuf',
      'truncated message',
      (): Uint8Array => encode(TraceReq, spanRequest({ traceId: hex(TRACE_ID), spanId: hex(SPAN_ID), name: 'x'.repeat(100) })).slice(0, 40),
    ],
    ['protobuf', 'wire type 7', (): Uint8Array => Uint8Array.from([0x0f, 0x01])],
    ['json', 'not JSON', (): Uint8Array => Buffer.from('{"resourceSpans": [')],
    ['json', 'JSON null', (): Uint8Array => Buffer.from('null')],
    ['json', 'a JSON array', (): Uint8Array => Buffer.from('[]')],
    ['json', 'empty body', (): Uint8Array => Buffer.alloc(0)],
  ] as const)('%s %s: OtlpDecodeError', (encoding, _name, body) => {
    expect(() => decodeOtlpRequest('traces', encoding, body())).toThrow(OtlpDecodeError);
  });

  it('an empty protobuf body is a valid empty request', () => {
    expect(decodeOtlpRequest('logs', 'protobuf', new Uint8Array())).toEqual({ signal: 'logs', logs: [] });
  });

  it('random bytes and random JSON never throw anything but OtlpDecodeError', () => {
    const signals = ['traces', 'logs', 'metrics'] as const;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.constantFrom(...signals), (bytes, signal) => {
        try {
          decodeOtlpRequest(signal, 'protobuf', bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(OtlpDecodeError);
        }
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(...signals), (value, signal) => {
        const wrapped = { resourceSpans: [value], resourceLogs: [value], resourceMetrics: [value] };
        for (const v of [value, wrapped]) {
          try {
            decodeOtlpRequest(signal, 'json', json(v));
          } catch (error) {
            expect(error).toBeInstanceOf(OtlpDecodeError);
          }
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('content types: protobuf and JSON with parameters; anything else undefined', () => {
    expect(encodingOf('application/x-protobuf')).toBe('protobuf');
    expect(encodingOf('application/json; charset=utf-8')).toBe('json');
    expect(encodingOf('text/plain')).toBeUndefined();
    expect(encodingOf(undefined)).toBeUndefined();
  });
});
