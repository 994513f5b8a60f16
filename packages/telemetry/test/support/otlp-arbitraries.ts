import type { HrTime, SpanContext } from '@opentelemetry/api';
import type { AnyValue } from '@opentelemetry/api-logs';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';

// Random spans and log records as the SDK hands them to an exporter, covering every field the
// OTLP serializers write: edge-case numbers, unicode (lone surrogates included) and long
// strings, nested arrays/kvlists/bytes, several resources and scopes, events, links, remote
// and missing parents, trace state.

const text = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 40, maxLength: 400 }),
  fc.string({ unit: 'grapheme', minLength: 40, maxLength: 200 }),
);

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    0,
    -1,
    2 ** 31,
    2 ** 32,
    -(2 ** 32),
    2 ** 53 + 2,
    -(2 ** 53) - 2,
    2 ** 62,
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    1.5e300,
  ),
);

const hex = (bytes: number) =>
  fc.tuple(fc.uint8Array({ minLength: bytes, maxLength: bytes }), fc.boolean()).map(([b, upper]) => {
    const s = Buffer.from(b).toString('hex');
    return upper ? s.toUpperCase() : s;
  });

const hrTime: fc.Arbitrary<HrTime> = fc.tuple(fc.integer({ min: 0, max: 2 ** 34 }), fc.integer({ min: 0, max: 999_999_999 }));

/** Span attribute values: primitives and homogeneous arrays (with nulls), as the trace API allows. */
const attributeValue = fc.oneof(
  text,
  number,
  fc.boolean(),
  fc.array(fc.option(text), { maxLength: 4 }),
  fc.array(fc.option(number), { maxLength: 4 }),
  fc.array(fc.boolean(), { maxLength: 4 }),
  fc.constant(undefined),
);

const attributes = <T>(value: fc.Arbitrary<T>) => fc.dictionary(text, value, { maxKeys: 6 });

/** Log AnyValue: anything the logs API allows, nested. */
const anyValue: fc.Arbitrary<AnyValue> = fc.letrec<{ value: AnyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.uint8Array({ maxLength: 40 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const traceState = fc.option(
  fc
    .array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/), fc.stringMatching(/^[a-zA-Z0-9]{1,12}$/)), { maxLength: 3 })
    .map((kvs) => new TraceState(kvs.map(([k, v]) => `${k}=${v}`).join(','))),
  { nil: undefined },
);

const spanContext: fc.Arbitrary<SpanContext> = fc.record(
  { traceId: hex(16), spanId: hex(8), traceFlags: fc.integer({ min: 0, max: 255 }), isRemote: fc.option(fc.boolean(), { nil: undefined }), traceState },
  { requiredKeys: ['traceId', 'spanId', 'traceFlags'] },
);

/** A few resources and scopes shared by the items of a batch, so that grouping is exercised. */
const resources: fc.Arbitrary<Resource[]> = fc.array(
  fc
    .tuple(attributes(attributeValue), fc.option(text, { nil: undefined }))
    .map(([attrs, schemaUrl]) => resourceFromAttributes(attrs as Record<string, string>, schemaUrl === undefined ? undefined : { schemaUrl })),
  { minLength: 1, maxLength: 3 },
);
const scopes = fc.array(
  fc.record(
    { name: text, version: text, schemaUrl: text, attributes: attributes(attributeValue), droppedAttributesCount: fc.nat() },
    { requiredKeys: ['name'] },
  ),
  { minLength: 1, maxLength: 3 },
);

const pick = <T>(pool: readonly T[]) => fc.nat({ max: pool.length - 1 }).map((i) => pool[i] as T);

export const spanBatches: fc.Arbitrary<ReadableSpan[]> = fc.tuple(resources, scopes).chain(([rs, ss]) =>
  fc.array(
    fc
      .record({
        resource: pick(rs),
        instrumentationScope: pick(ss),
        context: spanContext,
        parentSpanContext: fc.option(spanContext, { nil: undefined }),
        name: text,
        kind: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        startTime: hrTime,
        endTime: hrTime,
        attributes: attributes(attributeValue),
        droppedAttributesCount: fc.nat(),
        events: fc.array(
          fc.record({ name: text, time: hrTime, attributes: attributes(attributeValue), droppedAttributesCount: fc.nat() }, { requiredKeys: ['name', 'time'] }),
          { maxLength: 3 },
        ),
        droppedEventsCount: fc.nat(),
        links: fc.array(
          fc.record({ context: spanContext, attributes: attributes(attributeValue), droppedAttributesCount: fc.nat() }, { requiredKeys: ['context'] }),
          {
            maxLength: 2,
          },
        ),
        droppedLinksCount: fc.nat(),
        status: fc.record({ code: fc.integer({ min: 0, max: 2 }), message: text }, { requiredKeys: ['code'] }),
      })
      .map(({ context, ...span }) => ({ ...span, spanContext: () => context, duration: [0, 0], ended: true }) as unknown as ReadableSpan),
    { maxLength: 12 },
  ),
);

export const logRecordBatches: fc.Arbitrary<ReadableLogRecord[]> = fc.tuple(resources, scopes).chain(([rs, ss]) =>
  fc.array(
    fc
      .record(
        {
          resource: pick(rs),
          instrumentationScope: pick(ss),
          hrTime,
          hrTimeObserved: hrTime,
          spanContext,
          severityNumber: fc.integer({ min: 0, max: 24 }),
          severityText: text,
          body: anyValue,
          attributes: attributes(anyValue),
          droppedAttributesCount: fc.nat(),
          eventName: text,
        },
        { requiredKeys: ['resource', 'instrumentationScope', 'hrTime', 'hrTimeObserved', 'attributes', 'droppedAttributesCount'] },
      )
      .map((record) => record as unknown as ReadableLogRecord),
    { maxLength: 12 },
  ),
);
