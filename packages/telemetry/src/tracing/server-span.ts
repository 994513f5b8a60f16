import {
  diag,
  isSpanContextValid,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  INVALID_SPAN_CONTEXT,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span as ApiSpan,
  type SpanContext,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import {
  addHrTimes,
  hrTime,
  hrTimeDuration,
  isAttributeValue,
  isTimeInput,
  isTimeInputHrTime,
  isTracingSuppressed,
  millisToHrTime,
  otperformance,
  sanitizeAttributes,
  type InstrumentationScope,
} from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { IdGenerator, ReadableSpan, Sampler, Span as SdkSpan, SpanLimits, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { inspect, type InspectOptionsStylized } from 'node:util';
import { ignoresAttributes } from './create-sampler.js';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * What the HTTP server instrumentation's SERVER span is started with: the pieces of the SDK tracer
 * it came from (sampler, limits, ids, resource, scope, the provider's processor chain and the
 * tracer's span self-metrics), so that a server span is sampled, bounded, processed, counted and
 * exported exactly as the tracer's own spans are.
 */
export interface ServerSpanSettings {
  readonly sampler: Sampler;
  readonly spanLimits: SpanLimits;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly idGenerator: IdGenerator;
  readonly spanProcessor: SpanProcessor;
  readonly tracerMetrics: TracerMetrics;
  /** The sampler neither reads, changes nor keeps the attributes (create-sampler.ts made it). */
  readonly samplerIgnoresAttributes: boolean;
}

/** The SDK tracer's span self-metrics (`otel.sdk.span.started`, `otel.sdk.span.live`). */
interface TracerMetrics {
  startSpan(parentSpanContext: SpanContext | undefined, decision: SamplingDecision): () => void;
}

/** The fields of the trace SDK's `Tracer` (sdk-trace 2.x) that hold its settings. */
interface SdkTracerFields {
  _sampler?: Sampler;
  _spanLimits?: SpanLimits;
  _resource?: Resource;
  _idGenerator?: IdGenerator;
  _spanProcessor?: SpanProcessor;
  _tracerMetrics?: Partial<TracerMetrics>;
  instrumentationScope?: InstrumentationScope;
}

/**
 * The settings of the trace SDK's own `Tracer` (not a subclass, not a wrapper, `startSpan` not
 * replaced), or undefined for any other tracer, or when this version of the SDK keeps them in
 * other fields: the instrumentation then starts its spans through `tracer.startSpan`, as before.
 * The fields are the SDK's private ones; server-span.differential.test.ts runs both spans through
 * the same operations against the installed SDK, so an upgrade that changes the span's behaviour
 * fails there.
 */
export function serverSpanSettingsOf(tracer: Tracer): ServerSpanSettings | undefined {
  const proto = Object.getPrototypeOf(tracer) as { constructor?: { name?: string }; startSpan?: unknown } | null;
  if (proto === null || proto.constructor?.name !== 'Tracer' || Object.getPrototypeOf(proto) !== Object.prototype) return undefined;
  if (hasOwn.call(tracer, 'startSpan') || typeof proto.startSpan !== 'function') return undefined;
  const t = tracer as Tracer & SdkTracerFields;
  const { _sampler: sampler, _spanLimits: spanLimits, _resource: resource, _idGenerator: idGenerator, _spanProcessor: spanProcessor } = t;
  const { _tracerMetrics: tracerMetrics, instrumentationScope } = t;
  if (typeof sampler?.shouldSample !== 'function') return undefined;
  if (typeof idGenerator?.generateSpanId !== 'function' || typeof idGenerator.generateTraceId !== 'function') return undefined;
  if (typeof spanProcessor?.onStart !== 'function' || typeof spanProcessor.onEnd !== 'function') return undefined;
  if (typeof spanLimits !== 'object' || spanLimits === null || typeof resource !== 'object' || resource === null) return undefined;
  if (typeof instrumentationScope?.name !== 'string' || typeof tracerMetrics?.startSpan !== 'function') return undefined;
  return {
    sampler,
    spanLimits,
    resource,
    instrumentationScope,
    idGenerator,
    spanProcessor,
    tracerMetrics: tracerMetrics as TracerMetrics,
    samplerIgnoresAttributes: ignoresAttributes(sampler),
  };
}

/**
 * Starts a SERVER span as `tracer.startSpan(name, { kind: SERVER, attributes, links }, parent)`
 * of the SDK's tracer would: the same sampling decision and sampler attributes, ids, parent, limits,
 * times, self-metrics, processor calls and a span that behaves as the SDK's does for every call an
 * application makes on it. What it leaves out is the SDK's copying: `startSpan` copies and checks
 * the attributes twice before the span copies them a third time. When the sampler ignores
 * attributes and every value is valid and within the limits, `attributes` becomes the span's own
 * object: the caller hands it over (the instrumentation builds a fresh one per request and never
 * touches it again). Otherwise it is copied as the SDK does, and left as it was given. Over the
 * SDK span this saves 13k of the 125k instructions a request of the benchmark's minimal server
 * (README: where the remaining cost goes).
 */
export function startServerSpan(settings: ServerSpanSettings, name: string, attributes: Attributes, parent: Context, links?: Link[]): ApiSpan {
  if (isTracingSuppressed(parent)) {
    diag.debug('Instrumentation suppressed, returning Noop Span');
    return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
  }
  const parentSpanContext = trace.getSpanContext(parent);
  const spanId = settings.idGenerator.generateSpanId();
  let traceId: string;
  let traceState = undefined;
  let validParent: SpanContext | undefined;
  if (parentSpanContext === undefined || !isSpanContextValid(parentSpanContext)) {
    traceId = settings.idGenerator.generateTraceId();
  } else {
    traceId = parentSpanContext.traceId;
    traceState = parentSpanContext.traceState;
    validParent = parentSpanContext;
  }
  const sanitizedLinks =
    links === undefined || links.length === 0 ? [] : links.map((link) => ({ context: link.context, attributes: sanitizeAttributes(link.attributes) }));
  // Valid and within the limits (what the instrumentation builds): sanitizing would copy it unchanged.
  const count = settings.samplerIgnoresAttributes ? adoptableCount(attributes, settings.spanLimits) : -1;
  const checked = count >= 0 ? attributes : sanitizeAttributes(attributes);
  const sampled = settings.sampler.shouldSample(parent, traceId, name, SpanKind.SERVER, checked, sanitizedLinks);
  const recordEndMetrics = settings.tracerMetrics.startSpan(parentSpanContext, sampled.decision);
  traceState = sampled.traceState ?? traceState;
  const traceFlags = sampled.decision === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE;
  const spanContext: SpanContext = { traceId, spanId, traceFlags, traceState };
  if (sampled.decision === SamplingDecision.NOT_RECORD) {
    diag.debug('Recording is off, propagating context in a non-recording span');
    return trace.wrapSpanContext(spanContext);
  }
  const adopt = count >= 0 && sampled.attributes === undefined;
  // As the SDK does: the sampler's attributes merged over the checked ones (never into the
  // caller's object), sanitized again.
  const initial = adopt ? attributes : sanitizeAttributes(Object.assign(checked === attributes ? { ...attributes } : checked, sampled.attributes));
  const span = new ServerSpan(settings, spanContext, validParent, name, sanitizedLinks, adopt ? attributes : {}, adopt ? count : 0, recordEndMetrics);
  if (!adopt) span.setAttributes(initial);
  settings.spanProcessor.onStart(span, parent);
  return span;
}

/**
 * How many attributes `attributes` holds when a span can keep the object as it is (every value a
 * string, number or boolean, every key its own and not empty, within the count limit and the value
 * length limit); -1 otherwise.
 */
function adoptableCount(attributes: Attributes, limits: SpanLimits): number {
  const lengthLimit = limits.attributeValueLengthLimit ?? 0;
  if (!(lengthLimit > 0)) return -1;
  let count = 0;
  for (const key in attributes) {
    const value = attributes[key];
    if (typeof value === 'string') {
      if (value.length > lengthLimit) return -1;
    } else if (typeof value !== 'number' && typeof value !== 'boolean') {
      return -1;
    }
    if (key.length === 0 || !hasOwn.call(attributes, key)) return -1;
    count++;
  }
  if (limits.attributeCountLimit !== undefined && count > limits.attributeCountLimit) return -1;
  return count;
}

/**
 * A recording SERVER span: the trace SDK's `SpanImpl` semantics (sdk-trace 2.x) for every method
 * of the API's `Span` and every field of `ReadableSpan`, without its start-up copies. Start time
 * is the wall clock at start (milliseconds, as the SDK's), later times run on the monotonic clock
 * from there; explicit times are read as the SDK reads them.
 */
export class ServerSpan implements SdkSpan {
  readonly kind = SpanKind.SERVER;
  readonly attributes: Attributes;
  readonly links: Link[] = [];
  readonly events: TimedEvent[] = [];
  readonly startTime: HrTime;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  name: string;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  endTime: HrTime = [0, 0];
  private _ended = false;
  private _duration: HrTime = [-1, -1];
  private _droppedAttributesCount = 0;
  private _droppedEventsCount = 0;
  private _droppedLinksCount = 0;
  private readonly _performanceStartTime: number;
  private readonly _performanceOffset: number;
  /** Truly private: the processor chain (exporters, their headers) stays out of inspect and JSON. */
  readonly #settings: ServerSpanSettings;
  readonly #recordEndMetrics: () => void;

  constructor(
    settings: ServerSpanSettings,
    private readonly _spanContext: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    name: string,
    links: Link[],
    attributes: Attributes,
    private _attributesCount: number,
    recordEndMetrics: () => void,
  ) {
    this.#settings = settings;
    this.#recordEndMetrics = recordEndMetrics;
    this.attributes = attributes;
    this.resource = settings.resource;
    this.instrumentationScope = settings.instrumentationScope;
    const now = Date.now();
    this._performanceStartTime = otperformance.now();
    this._performanceOffset = now - (this._performanceStartTime + otperformance.timeOrigin);
    this.name = name;
    for (const link of links) this.addLink(link);
    this.startTime = millisToHrTime(now);
  }

  get duration(): HrTime {
    return this._duration;
  }

  get ended(): boolean {
    return this._ended;
  }

  get droppedAttributesCount(): number {
    return this._droppedAttributesCount;
  }

  get droppedEventsCount(): number {
    return this._droppedEventsCount;
  }

  get droppedLinksCount(): number {
    return this._droppedLinksCount;
  }

  spanContext(): SpanContext {
    return this._spanContext;
  }

  setAttribute(key: string, value?: AttributeValue): this {
    if (value == null || this.isEnded()) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const isNewKey = !hasOwn.call(this.attributes, key);
    const limit = this.#settings.spanLimits.attributeCountLimit;
    if (limit !== undefined && this._attributesCount >= limit && isNewKey) {
      this._droppedAttributesCount++;
      return this;
    }
    this.attributes[key] = this.truncated(value);
    if (isNewKey) this._attributesCount++;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    for (const key in attributes) if (hasOwn.call(attributes, key)) this.setAttribute(key, attributes[key]);
    return this;
  }

  addEvent(name: string, attributesOrStartTime?: Attributes | TimeInput, timeStamp?: TimeInput): this {
    if (this.isEnded()) return this;
    const { eventCountLimit, attributePerEventCountLimit } = this.#settings.spanLimits;
    if (eventCountLimit === 0) {
      diag.warn('No events allowed.');
      this._droppedEventsCount++;
      return this;
    }
    if (eventCountLimit !== undefined && this.events.length >= eventCountLimit) {
      if (this._droppedEventsCount === 0) diag.debug('Dropping extra events.');
      this.events.shift();
      this._droppedEventsCount++;
    }
    if (isTimeInput(attributesOrStartTime)) {
      if (!isTimeInput(timeStamp)) timeStamp = attributesOrStartTime;
      attributesOrStartTime = undefined;
    }
    const { attributes, droppedAttributesCount } = this.boundedAttributes(attributesOrStartTime, attributePerEventCountLimit);
    this.events.push({ name, attributes, time: this.time(timeStamp), droppedAttributesCount });
    return this;
  }

  addLink(link: Link): this {
    if (this.isEnded()) return this;
    const { linkCountLimit, attributePerLinkCountLimit } = this.#settings.spanLimits;
    if (linkCountLimit === 0) {
      this._droppedLinksCount++;
      return this;
    }
    if (linkCountLimit !== undefined && this.links.length >= linkCountLimit) {
      if (this._droppedLinksCount === 0) diag.debug('Dropping extra links.');
      this.links.shift();
      this._droppedLinksCount++;
    }
    const { attributes, droppedAttributesCount, count } = this.boundedAttributes(link.attributes, attributePerLinkCountLimit);
    const kept: Link = { context: link.context };
    if (count > 0) kept.attributes = attributes;
    if (droppedAttributesCount > 0) kept.droppedAttributesCount = droppedAttributesCount;
    this.links.push(kept);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.isEnded() || status.code === SpanStatusCode.UNSET || this.status.code === SpanStatusCode.OK) return this;
    const next: SpanStatus = { code: status.code };
    if (status.code === SpanStatusCode.ERROR) {
      if (typeof status.message === 'string') next.message = status.message;
      else if (status.message != null) diag.warn(`Dropping invalid status.message of type '${typeof status.message}', expected 'string'`);
    }
    this.status = next;
    return this;
  }

  updateName(name: string): this {
    if (!this.isEnded()) this.name = name;
    return this;
  }

  isRecording(): boolean {
    return !this._ended;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) this.addEvent('exception', attributes, time);
    // Formatted as the SDK formats it (a Symbol throws there too).
    else diag.warn(`Failed to record an exception ${exception as string}`);
  }

  end(endTime?: TimeInput): void {
    if (this.isEnded()) {
      diag.error(`${this.name} ${this._spanContext.traceId}-${this._spanContext.spanId} - You can only call end() on a span once.`);
      return;
    }
    this.endTime = this.time(endTime);
    this._duration = hrTimeDuration(this.startTime, this.endTime);
    if (this._duration[0] < 0) {
      diag.warn('Inconsistent start and end time, startTime > endTime. Setting span duration to 0ms.', this.startTime, this.endTime);
      this.endTime = this.startTime.slice() as HrTime;
      this._duration = [0, 0];
    }
    if (this._droppedEventsCount > 0) diag.warn(`Dropped ${this._droppedEventsCount} events because eventCountLimit reached`);
    if (this._droppedLinksCount > 0) diag.warn(`Dropped ${this._droppedLinksCount} links because linkCountLimit reached`);
    const processor = this.#settings.spanProcessor;
    processor.onEnding?.(this);
    this.#recordEndMetrics();
    this._ended = true;
    processor.onEnd(this as ReadableSpan);
  }

  /** As the SDK span prints itself: its fields, never the tracer's settings. */
  [inspect.custom](depth: number, options: InspectOptionsStylized, format: typeof inspect): unknown {
    if (depth < 0) return options.stylize('[ServerSpan]', 'special');
    const payload = {
      name: this.name,
      kind: this.kind,
      spanContext: this._spanContext,
      parentSpanContext: this.parentSpanContext,
      status: this.status,
      startTime: this.startTime,
      endTime: this.endTime,
      duration: this._duration,
      ended: this._ended,
      attributes: this.attributes,
      events: this.events,
      links: this.links,
      droppedAttributesCount: this._droppedAttributesCount,
      droppedEventsCount: this._droppedEventsCount,
      droppedLinksCount: this._droppedLinksCount,
      instrumentationScope: this.instrumentationScope,
      resource: { attributes: settledAttributes(this.resource) },
    };
    return `ServerSpan ${format(payload, { ...options, depth: options.depth == null ? options.depth : options.depth - 1 })}`;
  }

  /** A time input as the SDK's span reads it (a number below `performance.now()` is a monotonic time). */
  private time(input: TimeInput | undefined): HrTime {
    if (typeof input === 'number' && input <= otperformance.now()) return hrTime(input + this._performanceOffset);
    if (typeof input === 'number') return millisToHrTime(input);
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (isTimeInputHrTime(input)) return input;
    return addHrTimes(this.startTime, millisToHrTime(otperformance.now() - this._performanceStartTime));
  }

  /** An event's or link's attributes: sanitized, at most `limit` of them, values truncated. */
  private boundedAttributes(input: unknown, limit: number | undefined): { attributes: Attributes; droppedAttributesCount: number; count: number } {
    const sanitized = sanitizeAttributes(input);
    const attributes: Attributes = {};
    let droppedAttributesCount = 0;
    let count = 0;
    for (const key in sanitized) {
      if (!hasOwn.call(sanitized, key)) continue;
      if (limit !== undefined && count >= limit) {
        droppedAttributesCount++;
        continue;
      }
      attributes[key] = this.truncated(sanitized[key]!);
      count++;
    }
    return { attributes, droppedAttributesCount, count };
  }

  private truncated(value: AttributeValue): AttributeValue {
    const limit = this.#settings.spanLimits.attributeValueLengthLimit ?? 0;
    if (limit <= 0) {
      diag.warn(`Attribute value limit must be positive, got ${limit}`);
      return value;
    }
    if (typeof value === 'string') return value.length <= limit ? value : value.substring(0, limit);
    if (Array.isArray(value)) return (value as unknown[]).map((v) => (typeof v === 'string' && v.length > limit ? v.substring(0, limit) : v)) as AttributeValue;
    return value;
  }

  private isEnded(): boolean {
    if (this._ended) {
      const { traceId, spanId } = this._spanContext;
      const error = new Error(`Operation attempted on ended Span {traceId: ${traceId}, spanId: ${spanId}}`);
      diag.warn(`Cannot execute the operation on ended Span {traceId: ${traceId}, spanId: ${spanId}}`, error);
    }
    return this._ended;
  }
}

/** A resource's attributes that are known now (an asynchronous detector's pending ones are left out). */
function settledAttributes(resource: Resource): Attributes {
  const out: Attributes = {};
  for (const [key, value] of resource.getRawAttributes()) {
    if (typeof (value as { then?: unknown } | undefined)?.then === 'function') continue;
    if (value != null) out[key] ??= value as AttributeValue;
  }
  return out;
}
