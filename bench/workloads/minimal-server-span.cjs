// @ts-check
'use strict';
/**
 * Preload (`node --require`) for the instruction counter's `platform-minimal-span` ablation: the
 * trace SDK's `Tracer.startSpan` hands out, for SERVER spans, a span that does only what figure
 * 1b's requests need (ids, parent, attributes set as given, name, status, end time, the same
 * processor chain and exporter) and none of the SDK span's bookkeeping: no sampler call, no
 * attribute sanitizing or limits, no time anchoring, no self-metrics. It prices the SDK span
 * lifecycle against the floor any span must pay, the one item of our per-request cost that a
 * purpose-built span could remove. A measuring device, not an implementation: events, links,
 * limits and the spec's rules are left out on purpose.
 */
const path = require('node:path');
const { trace, SpanKind } = require('@opentelemetry/api');

// Resolved as the telemetry package's sdk-trace-base resolves its own `@opentelemetry/sdk-trace`,
// then required by path: the same module instance, whose prototype the SDK's tracers use.
const baseDir = path.dirname(require.resolve('@opentelemetry/sdk-trace-base/package.json', { paths: [path.join(__dirname, '../../packages/telemetry')] }));
const sdkDir = path.dirname(require.resolve('@opentelemetry/sdk-trace/package.json', { paths: [baseDir] }));
const { Tracer } = require(path.join(sdkDir, 'build/src/Tracer.js'));

// A patch that reached another copy of the SDK would measure the SDK span under this name: say so.
let minimalSpans = 0;
process.once('exit', () => {
  if (minimalSpans > 0) return;
  process.stderr.write('minimal-server-span.cjs: no SERVER span went through the patched Tracer; the ablation measured the SDK span\n');
  process.exitCode = 70;
});

/** @param {number} ms @returns {[number, number]} */
const hrTime = (ms) => {
  const s = Math.trunc(ms / 1000);
  return [s, Math.round((ms - s * 1000) * 1e6)];
};

class MinimalSpan {
  /**
   * @param {any} tracer @param {string} name @param {any} spanContext @param {any} parentSpanContext
   * @param {Record<string, unknown>} attributes @param {unknown} context
   */
  constructor(tracer, name, spanContext, parentSpanContext, attributes, context) {
    this._spanContext = spanContext;
    this._processor = tracer._spanProcessor;
    this.name = name;
    this.kind = SpanKind.SERVER;
    this.parentSpanContext = parentSpanContext;
    this.attributes = attributes;
    this.links = [];
    this.events = [];
    /** @type {{ code: number, message?: string }} */
    this.status = { code: 0, message: undefined };
    this.resource = tracer._resource;
    this.instrumentationScope = tracer.instrumentationScope;
    this.droppedAttributesCount = 0;
    this.droppedEventsCount = 0;
    this.droppedLinksCount = 0;
    this.ended = false;
    this._start = performance.timeOrigin + performance.now();
    this.startTime = hrTime(this._start);
    /** @type {[number, number]} */
    this.endTime = [0, 0];
    /** @type {[number, number]} */
    this.duration = [0, 0];
    this._processor.onStart(this, context);
  }
  spanContext() {
    return this._spanContext;
  }
  /** @param {string} key @param {unknown} value */
  setAttribute(key, value) {
    this.attributes[key] = value;
    return this;
  }
  /** @param {Record<string, unknown>} attributes */
  setAttributes(attributes) {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent() {
    return this;
  }
  addLink() {
    return this;
  }
  addLinks() {
    return this;
  }
  /** @param {{ code: number, message?: string }} status */
  setStatus(status) {
    this.status.code = status.code;
    this.status.message = status.message;
    return this;
  }
  /** @param {string} name */
  updateName(name) {
    this.name = name;
    return this;
  }
  isRecording() {
    return !this.ended;
  }
  recordException() {}
  end() {
    if (this.ended) return;
    const end = performance.timeOrigin + performance.now();
    this.endTime = hrTime(end);
    this.duration = hrTime(end - this._start);
    this._processor.onEnding?.(this);
    this.ended = true;
    this._processor.onEnd(this);
  }
}

const startSpan = Tracer.prototype.startSpan;
/** @this {any} @param {string} name @param {any} options @param {any} context */
Tracer.prototype.startSpan = function startMinimalServerSpan(name, options = {}, context) {
  if (options.kind !== SpanKind.SERVER || options.root || context === undefined) return startSpan.call(this, name, options, context);
  const parent = trace.getSpanContext(context);
  const spanContext = {
    traceId: parent?.traceId ?? this._idGenerator.generateTraceId(),
    spanId: this._idGenerator.generateSpanId(),
    traceFlags: 1,
    traceState: parent?.traceState,
  };
  /** @type {Record<string, unknown>} */
  const attributes = {};
  for (const key in options.attributes) attributes[key] = options.attributes[key];
  minimalSpans++;
  return new MinimalSpan(this, name, spanContext, parent, attributes, context);
};
