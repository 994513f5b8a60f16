import { inspect } from 'node:util';
import {
  context,
  diag,
  DiagLogLevel,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type HrTime,
  type Link,
  type Span as ApiSpan,
  type SpanStatus,
  type TimeInput,
} from '@opentelemetry/api';
import { otperformance, suppressTracing, TraceState } from '@opentelemetry/core';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type IdGenerator,
  type ReadableSpan,
  type Sampler,
  type SamplingResult,
  type Span as SdkSpan,
  type SpanLimits,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSampler } from './create-sampler.js';
import { ServerSpan, serverSpanSettingsOf, startServerSpan } from './server-span.js';
import type { SamplerName } from '../config/telemetry-config.js';

// The same operations, on the same clocks, ids, limits, sampler and processors, must give the
// same span as the trace SDK's: what every processor sees at start, while ending and at the end,
// what each call returns, and what the SDK tells its diagnostic logger.

/** Clocks both spans read: Date.now (integral milliseconds) and performance.now, advanced by the ops. */
const EPOCH = 1_790_000_000_000;
let monotonic = 0;
beforeEach(() => {
  monotonic = 1_000.25;
  vi.spyOn(Date, 'now').mockImplementation(() => Math.floor(EPOCH + monotonic));
  vi.spyOn(otperformance, 'now').mockImplementation(() => monotonic);
});
afterEach(() => {
  vi.restoreAllMocks();
  diag.disable();
});

/** Ids from a counter, reset before each of the two runs. */
class CountingIds implements IdGenerator {
  n = 0;
  generateTraceId(): string {
    return (++this.n).toString(16).padStart(32, '0');
  }
  generateSpanId(): string {
    return (++this.n).toString(16).padStart(16, '0');
  }
}

/** A sampler that adds attributes and a trace state: the merge path of startSpan. */
class AnnotatingSampler implements Sampler {
  constructor(private readonly attributes: Attributes) {}
  shouldSample(): SamplingResult {
    return { decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { ...this.attributes }, traceState: new TraceState('vendor=x') };
  }
  toString(): string {
    return 'AnnotatingSampler';
  }
}

/** A sampler that writes into the attributes it is given and keeps them (the SDK hands it a copy). */
class MutatingSampler implements Sampler {
  kept: Attributes | undefined;
  shouldSample(_c: Context, _t: string, _n: string, _k: SpanKind, attributes: Attributes): SamplingResult {
    attributes['sampler.rule'] = 'r'.repeat(12);
    this.kept = attributes;
    return { decision: SamplingDecision.RECORD };
  }
  toString(): string {
    return 'MutatingSampler';
  }
}

type Event = readonly [string, ...unknown[]];

/** A meter provider whose counters write into the run's event log: the SDK's span self-metrics. */
function recordingMeterProvider(events: Event[]) {
  const instrument = (name: string) => ({ add: (value: number, attributes?: Attributes) => events.push([name, value, attributes]) });
  return { getMeter: () => ({ createCounter: () => instrument('started'), createUpDownCounter: () => instrument('live') }) };
}

/** Records, per processor call, a deep copy of what the processor can read. */
class RecordingProcessor implements SpanProcessor {
  events: Event[] = [];
  onStart(span: SdkSpan, parent: Context): void {
    this.events.push(['onStart', snapshot(span), trace.getSpanContext(parent)?.spanId]);
  }
  onEnding(span: SdkSpan): void {
    this.events.push(['onEnding', snapshot(span)]);
  }
  onEnd(span: ReadableSpan): void {
    this.events.push(['onEnd', snapshot(span)]);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

function snapshot(span: ReadableSpan): unknown {
  return structuredClone({
    name: span.name,
    kind: span.kind,
    spanContext: { ...span.spanContext(), traceState: span.spanContext().traceState?.serialize() },
    parentSpanContext: span.parentSpanContext && { ...span.parentSpanContext, traceState: span.parentSpanContext.traceState?.serialize() },
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    ended: span.ended,
    status: span.status,
    attributes: Object.entries(span.attributes),
    links: span.links.map((l) => ({ ...l, context: { ...l.context, traceState: l.context.traceState?.serialize() } })),
    events: span.events.map((e) => ({ ...e, attributes: e.attributes && Object.entries(e.attributes) })),
    resource: span.resource.attributes,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  });
}

// --- inputs ---------------------------------------------------------------------------------

const key = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'url.path', 'http.request.method', 'exception.message') },
  { weight: 1, arbitrary: fc.constant('') },
);
const text = fc.oneof(fc.string({ maxLength: 4 }), fc.string({ minLength: 5, maxLength: 12 }));
const validValue = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.array(text, { maxLength: 3 }),
  fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 3 }),
);
const anyValue = fc.oneof(
  { weight: 6, arbitrary: validValue },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, undefined, {}, [1, 'x'], () => 1, Symbol.for('s')) },
);
const attributes = fc.dictionary(key, anyValue, { maxKeys: 6 }) as fc.Arbitrary<Attributes>;
const validAttributes = fc.dictionary(
  fc.constantFrom('url.path', 'http.request.method', 'server.port', 'url.scheme', 'a'),
  fc.oneof(text, fc.integer({ min: 0 })),
  {
    maxKeys: 5,
  },
) as fc.Arbitrary<Attributes>;
const timeInput: fc.Arbitrary<TimeInput | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.double({ min: 0, max: 3_000, noNaN: true }), // below performance.now(): a monotonic time (or not, past the clock)
  fc.integer({ min: EPOCH - 10_000, max: EPOCH + 10_000 }), // wall-clock milliseconds
  fc.integer({ min: EPOCH - 10_000, max: EPOCH + 10_000 }).map((ms) => new Date(ms)),
  fc.tuple(fc.integer({ min: 1_789_999_990, max: 1_790_000_010 }), fc.integer({ min: 0, max: 999_999_999 })) as fc.Arbitrary<HrTime>,
);
const spanContext = fc
  .record({
    traceId: fc.constantFrom('0af7651916cd43dd8448eb211c80319c', '00000000000000000000000000000000'),
    spanId: fc.constantFrom('b7ad6b7169203331', '00f067aa0ba902b7'),
    traceFlags: fc.constantFrom(TraceFlags.NONE, TraceFlags.SAMPLED),
    isRemote: fc.boolean(),
    traceState: fc.option(fc.constant('rojo=00f067aa0ba902b7'), { nil: undefined }),
  })
  .map((sc) => ({ ...sc, traceState: sc.traceState === undefined ? undefined : new TraceState(sc.traceState) }));
const link = fc.record({ context: spanContext, attributes: fc.option(attributes, { nil: undefined }) });
const status: fc.Arbitrary<SpanStatus> = fc.record({
  code: fc.constantFrom(SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR),
  message: fc.oneof(fc.constant(undefined), text, fc.integer() as fc.Arbitrary<never>),
});
const exception = fc.oneof(
  text,
  fc.record({ name: text, message: text, stack: fc.option(text, { nil: undefined }) }),
  fc.record({ code: fc.oneof(text, fc.integer()), message: text }),
  fc.constant({}),
);

type Op =
  | { op: 'tick'; ms: number }
  | { op: 'setAttribute'; key: string; value: unknown }
  | { op: 'setAttributes'; attributes: Attributes }
  | { op: 'addEvent'; name: string; a: Attributes | TimeInput | undefined; t: TimeInput | undefined }
  | { op: 'addLink'; link: Link }
  | { op: 'addLinks'; links: Link[] }
  | { op: 'setStatus'; status: SpanStatus }
  | { op: 'updateName'; name: string }
  | { op: 'recordException'; exception: unknown; t: TimeInput | undefined }
  | { op: 'end'; t: TimeInput | undefined }
  | { op: 'isRecording' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('tick' as const), ms: fc.double({ min: 0, max: 5, noNaN: true }) }),
  fc.record({ op: fc.constant('setAttribute' as const), key, value: anyValue }),
  fc.record({ op: fc.constant('setAttributes' as const), attributes }),
  fc.record({ op: fc.constant('addEvent' as const), name: text, a: fc.oneof(attributes, timeInput), t: timeInput }),
  fc.record({ op: fc.constant('addLink' as const), link }),
  fc.record({ op: fc.constant('addLinks' as const), links: fc.array(link, { maxLength: 3 }) }),
  fc.record({ op: fc.constant('setStatus' as const), status }),
  fc.record({ op: fc.constant('updateName' as const), name: text }),
  fc.record({ op: fc.constant('recordException' as const), exception, t: timeInput }),
  fc.record({ op: fc.constant('end' as const), t: timeInput }),
  fc.record({ op: fc.constant('isRecording' as const) }),
);

const limit = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 4 }));
const limits: fc.Arbitrary<SpanLimits> = fc.record({
  attributeCountLimit: limit,
  attributeValueLengthLimit: fc.oneof(fc.constant(undefined), fc.constant(-1), fc.integer({ min: 1, max: 8 })),
  eventCountLimit: limit,
  linkCountLimit: limit,
  attributePerEventCountLimit: limit,
  attributePerLinkCountLimit: limit,
});
const samplerNames: SamplerName[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];
const sampler: fc.Arbitrary<() => Sampler> = fc.oneof(
  // As installTracing makes them: the span may keep the caller's attribute object.
  { weight: 5, arbitrary: fc.constantFrom(...samplerNames).map((name) => () => createSampler(name, 0.5)) },
  fc.constant(() => new ParentBasedSampler({ root: new AlwaysOnSampler() })),
  fc.constant(() => new MutatingSampler()),
  fc.constant(() => new AlwaysOnSampler()),
  fc.constant(() => new AlwaysOffSampler()),
  fc.constant(() => new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) })),
  attributes.map((a) => () => new AnnotatingSampler(a)),
);
/** The parent context: none, a span context (valid or not, sampled or not, remote or local), or suppressed. */
const parent: fc.Arbitrary<() => Context> = fc.oneof(
  fc.constant(() => ROOT_CONTEXT),
  spanContext.map((sc) => () => trace.setSpanContext(ROOT_CONTEXT, sc)),
  fc.constant(() => suppressTracing(ROOT_CONTEXT)),
);

interface Scenario {
  limits: SpanLimits;
  sampler: () => Sampler;
  parent: () => Context;
  name: string;
  attributes: Attributes;
  links: Link[] | undefined;
  ops: Op[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  limits,
  sampler,
  parent,
  name: text,
  attributes: fc.oneof(validAttributes, attributes),
  links: fc.option(fc.array(link, { maxLength: 3 }), { nil: undefined }),
  ops: fc.array(op, { maxLength: 14 }),
});

// --- running both ---------------------------------------------------------------------------

interface Run {
  calls: unknown[];
  processor: Event[];
  diag: unknown[];
}

function run(s: Scenario, start: (tracer: ReturnType<BasicTracerProvider['getTracer']>, attributes: Attributes, parentContext: Context) => ApiSpan): Run {
  monotonic = 1_000.25;
  const processor = new RecordingProcessor();
  const diagnostics: unknown[] = [];
  const record = (level: string) => (message: string) => diagnostics.push([level, message]);
  diag.setLogger({ error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), verbose: record('verbose') }, DiagLogLevel.ALL);
  const provider = new BasicTracerProvider({
    sampler: s.sampler(),
    spanLimits: s.limits,
    idGenerator: new CountingIds(),
    spanProcessors: [processor],
    meterProvider: recordingMeterProvider(processor.events) as never,
  });
  const tracer = provider.getTracer('@platform/telemetry', '1.2.3');
  diagnostics.length = 0;
  const given = copyAttributes(s.attributes);
  const span = start(tracer, given, s.parent());
  const calls: unknown[] = [
    // The caller's object as start left it: the SDK never writes into it (a span that keeps it may later).
    {
      isRecording: span.isRecording(),
      spanContext: { ...span.spanContext(), traceState: span.spanContext().traceState?.serialize() },
      given: Object.entries(given),
    },
  ];
  for (const o of s.ops) {
    switch (o.op) {
      case 'tick':
        monotonic += o.ms;
        break;
      case 'setAttribute':
        calls.push(span.setAttribute(o.key, o.value as never) === span);
        break;
      case 'setAttributes':
        calls.push(span.setAttributes(copyAttributes(o.attributes)) === span);
        break;
      case 'addEvent':
        calls.push(span.addEvent(o.name, copyInput(o.a), copyInput(o.t) as TimeInput | undefined) === span);
        break;
      case 'addLink':
        calls.push(span.addLink(o.link) === span);
        break;
      case 'addLinks':
        calls.push(span.addLinks(o.links) === span);
        break;
      case 'setStatus':
        calls.push(span.setStatus({ ...o.status }) === span);
        break;
      case 'updateName':
        calls.push(span.updateName(o.name) === span);
        break;
      case 'recordException':
        span.recordException(copyInput(o.exception) as never, copyInput(o.t) as TimeInput | undefined);
        break;
      case 'end':
        span.end(copyInput(o.t) as TimeInput | undefined);
        break;
      case 'isRecording':
        calls.push(span.isRecording());
        break;
    }
  }
  const recorded = [...diagnostics];
  diag.disable();
  return { calls, processor: processor.events, diag: recorded };
}

/** Each run gets its own copy of mutable inputs (the span may keep them). */
function copyAttributes(a: Attributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(a)) out[k] = Array.isArray(v) ? ([...v] as typeof v) : v;
  return out;
}
function copyInput<T>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (Array.isArray(v)) return [...v] as T;
  if (typeof v === 'object' && v !== null) return { ...v };
  return v;
}

const sdkStart = (tracer: ReturnType<BasicTracerProvider['getTracer']>, attributes: Attributes, parentContext: Context, links: Link[] | undefined) =>
  tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes, links }, parentContext);

describe('startServerSpan', () => {
  it('behaves as the SDK span does for random start conditions and operation sequences', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const sdk = run(s, (tracer, attrs, parentContext) => sdkStart(tracer, attrs, parentContext, s.links));
        const ours = run(s, (tracer, attrs, parentContext) => {
          const settings = serverSpanSettingsOf(tracer);
          expect(settings).toBeDefined();
          return startServerSpan(settings!, 'GET', attrs, parentContext, s.links);
        });
        expect(ours).toEqual(sdk);
      }),
      { numRuns: 1500 },
    );
  });

  it('keeps the attribute object it was given when the sampler ignores attributes and every value is valid and within the limits, and copies it otherwise', () => {
    const tracer = new BasicTracerProvider({ sampler: createSampler('parentbased_always_on', 1), spanLimits: { attributeValueLengthLimit: 5 } }).getTracer('t');
    const settings = serverSpanSettingsOf(tracer)!;
    const fits = { 'url.path': '/a', 'server.port': 80 };
    const adopted = startServerSpan(settings, 'GET', fits, ROOT_CONTEXT) as ServerSpan;
    expect(adopted).toBeInstanceOf(ServerSpan);
    expect(adopted.attributes).toBe(fits);
    const atLimit = { 'url.path': '/abcd' };
    expect((startServerSpan(settings, 'GET', atLimit, ROOT_CONTEXT) as ServerSpan).attributes).toBe(atLimit);
    const long = { 'url.path': '/abcde' };
    const copied = startServerSpan(settings, 'GET', long, ROOT_CONTEXT) as ServerSpan;
    expect(copied.attributes).not.toBe(long);
    expect(copied.attributes).toEqual({ 'url.path': '/abcd' });
    // A sampler createSampler did not make may read, change or keep what it is given: a copy.
    const custom = serverSpanSettingsOf(new BasicTracerProvider({ sampler: new MutatingSampler() }).getTracer('t'))!;
    const given = { 'url.path': '/a' };
    const span = startServerSpan(custom, 'GET', given, ROOT_CONTEXT) as ServerSpan;
    expect(span.attributes).not.toBe(given);
    expect(given).toEqual({ 'url.path': '/a' });
    expect(span.attributes).toEqual({ 'url.path': '/a', 'sampler.rule': 'rrrrrrrrrrrr' });
  });

  it('prints as the SDK span does, without the tracer settings it holds (processors, exporters and their headers)', () => {
    const exporterLike = { url: 'https://collector.example', headers: { authorization: 'Bearer s3cr3t' } };
    const processor = Object.assign(new RecordingProcessor(), { exporterLike });
    const tracer = new BasicTracerProvider({ sampler: createSampler('always_on', 1), spanProcessors: [processor] }).getTracer('t');
    const span = startServerSpan(serverSpanSettingsOf(tracer)!, 'GET', { 'url.path': '/a' }, ROOT_CONTEXT);
    const printed = inspect(span, { depth: 5 });
    expect(printed).toMatch(/^ServerSpan \{/);
    expect(printed).toContain("'url.path': '/a'");
    expect(printed).not.toContain('s3cr3t');
    expect(JSON.stringify(span)).not.toContain('s3cr3t');
  });

  it('gives no settings for a tracer that is not the SDK tracer', () => {
    expect(serverSpanSettingsOf(trace.getTracer('noop'))).toBeUndefined();
    const sdkTracer = new BasicTracerProvider().getTracer('t');
    expect(
      serverSpanSettingsOf({ startSpan: sdkTracer.startSpan.bind(sdkTracer), startActiveSpan: sdkTracer.startActiveSpan.bind(sdkTracer) }),
    ).toBeUndefined();
    expect(context.active()).toBe(ROOT_CONTEXT);
  });
});
