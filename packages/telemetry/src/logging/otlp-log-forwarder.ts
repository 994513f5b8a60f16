import { isSpanContextValid, trace, type HrTime, type SpanContext } from '@opentelemetry/api';
import { SeverityNumber, type AnyValue, type LogAttributes } from '@opentelemetry/api-logs';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { LogRecordProcessor, ReadableLogRecord, SdkLogRecord } from '@opentelemetry/sdk-logs';
import pino from 'pino';
import { activeContext } from '../tracing/active-context.js';
import type { LogEvent, LogEventSink } from './logger.js';

const SEVERITY: Record<number, { number: SeverityNumber; text: string }> = {
  10: { number: SeverityNumber.TRACE, text: 'TRACE' },
  20: { number: SeverityNumber.DEBUG, text: 'DEBUG' },
  30: { number: SeverityNumber.INFO, text: 'INFO' },
  40: { number: SeverityNumber.WARN, text: 'WARN' },
  50: { number: SeverityNumber.ERROR, text: 'ERROR' },
  60: { number: SeverityNumber.FATAL, text: 'FATAL' },
};

/** Fields that become record properties or resource attributes, not log attributes. */
const LIFTED = new Set(['level', 'time', 'msg', 'trace_id', 'span_id', 'trace_flags', 'pid', 'service.name', 'service.version', 'deployment.environment']);

const MAX_CACHED_BINDINGS = 256;

/** The OpenTelemetry logs SDK's default bound on attributes per record (LoggerProvider's logRecordLimits). */
export const LOG_RECORD_ATTRIBUTE_COUNT_LIMIT = 128;

/** Where forwarded records go: the export queue (a BatchLogRecordProcessor), with the resource and scope they carry. */
export interface LogRecordDestination {
  readonly resource: Resource;
  /** One object for every record (exporters group records by scope identity). */
  readonly scope: InstrumentationScope;
  readonly processor: LogRecordProcessor;
}

/**
 * A finished log record as exporters read it. Built once per line, straight from the line's
 * fields: the logs SDK's Logger/LogRecordImpl path (a context spread, an entries array and a
 * validation WeakSet per attribute, two time conversions, a read-only wrapper) cost more than
 * the rest of the forwarding together, and our attributes come from JSON-printable fields that
 * need none of its validation. Readonly once built; processors only read it.
 */
class ForwardedLogRecord implements ReadableLogRecord {
  constructor(
    readonly hrTime: HrTime,
    readonly hrTimeObserved: HrTime,
    readonly spanContext: SpanContext | undefined,
    readonly severityText: string,
    readonly severityNumber: SeverityNumber,
    readonly body: string,
    readonly resource: Resource,
    readonly instrumentationScope: InstrumentationScope,
    readonly attributes: LogAttributes,
    readonly droppedAttributesCount: number,
  ) {}
}

/** What a record is made of before it is built: the line's attributes and its lifted fields. */
interface LineParts {
  attributes: LogAttributes;
  /** Keys in `attributes`. */
  count: number;
  dropped: number;
  msg: unknown;
  traceId: unknown;
  spanId: unknown;
  traceFlags: unknown;
}

/**
 * Turns written (already redacted) log lines into OpenTelemetry log records, in-process and
 * synchronously: no transport, no worker thread. The record carries exactly what the printed
 * line says and is linked to the trace through its trace_id/span_id. It is handed to
 * `destination.processor` (the bounded BatchLogRecordProcessor in production: its queue bound,
 * batching, export timeout and flush on shutdown apply unchanged).
 *
 * Fast path: when every field of the call is a plain value (string, number, boolean, null)
 * the record is built from pino's metadata, with the child logger's bindings parsed once per
 * distinct binding set. Anything else (nested objects, errors, a child logger with its own
 * serializers) is read back from the JSON line, so the record always matches the line.
 */
export function createOtlpLogForwarder(destination: LogRecordDestination, rootSerializers: () => unknown): LogEventSink {
  const { resource, scope, processor } = destination;
  const bindingsCache = new Map<string, Record<string, unknown>>();
  const bindingsOf = (logger: LogEvent['logger']): Record<string, unknown> | undefined => {
    const chindings = (logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym];
    if (typeof chindings !== 'string' || chindings.length === 0) return undefined;
    let bindings = bindingsCache.get(chindings);
    if (bindings === undefined) {
      try {
        bindings = JSON.parse(`{${chindings.slice(1)}}`) as Record<string, unknown>;
      } catch {
        bindings = {};
      }
      if (bindingsCache.size >= MAX_CACHED_BINDINGS) bindingsCache.clear();
      bindingsCache.set(chindings, bindings);
    }
    return bindings;
  };

  return (event: LogEvent): void => {
    let parts = partsFromMetadata(event, bindingsOf, rootSerializers);
    if (parts === undefined) {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(event.line) as Record<string, unknown>;
      } catch {
        return;
      }
      parts = emptyParts();
      addFields(parts, parsed);
    } else if (event.msg !== undefined) {
      parts.msg = event.msg;
    }
    const severity = SEVERITY[event.level] ?? { number: SeverityNumber.UNSPECIFIED, text: String(event.level) };
    const time = millisToHrTime(event.time);
    const record = new ForwardedLogRecord(
      time,
      time,
      spanContextOf(parts),
      severity.text,
      severity.number,
      typeof parts.msg === 'string' ? parts.msg : '',
      resource,
      scope,
      parts.attributes,
      parts.dropped,
    );
    // The processor's type is the SDK's writable record; the batch processor only queues it.
    processor.onEmit(record as unknown as SdkLogRecord);
  };
}

function emptyParts(): LineParts {
  return { attributes: {}, count: 0, dropped: 0, msg: undefined, traceId: undefined, spanId: undefined, traceFlags: undefined };
}

/** Adds a record's fields (later calls win, as in the printed line), lifting the record-level ones. */
function addFields(parts: LineParts, fields: Readonly<Record<string, unknown>>): void {
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    addField(parts, key, fields[key]);
  }
}

function addField(parts: LineParts, key: string, value: unknown): void {
  if (LIFTED.has(key)) {
    if (key === 'msg') parts.msg = value;
    else if (key === 'trace_id') parts.traceId = value;
    else if (key === 'span_id') parts.spanId = value;
    else if (key === 'trace_flags') parts.traceFlags = value;
    return;
  }
  const attributes = parts.attributes;
  if (!Object.prototype.hasOwnProperty.call(attributes, key)) {
    if (parts.count >= LOG_RECORD_ATTRIBUTE_COUNT_LIMIT) {
      parts.dropped++;
      return;
    }
    parts.count++;
  }
  attributes[key] = value as AnyValue;
}

/**
 * The span the line names: usually it was written inside that span, whose context is reused;
 * else (fields copied from elsewhere) a context built from the ids when they are valid.
 */
function spanContextOf(parts: LineParts): SpanContext | undefined {
  const { traceId, spanId } = parts;
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
  const active = trace.getSpanContext(activeContext());
  if (active !== undefined && active.spanId === spanId && active.traceId === traceId) return active;
  const sc: SpanContext = { traceId, spanId, traceFlags: parts.traceFlags === '01' ? 1 : 0, isRemote: false };
  return isSpanContextValid(sc) ? sc : undefined;
}

/** Epoch milliseconds as [seconds, nanoseconds]. */
function millisToHrTime(ms: number): HrTime {
  const seconds = Math.trunc(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

/**
 * What the printed line holds (child bindings, then the call's fields), when that is knowable
 * without parsing it: all field values plain and the root logger's serializers in effect.
 * Undefined otherwise.
 */
function partsFromMetadata(
  event: LogEvent,
  bindingsOf: (logger: LogEvent['logger']) => Record<string, unknown> | undefined,
  rootSerializers: () => unknown,
): LineParts | undefined {
  const serializers = (event.logger as unknown as Record<symbol, unknown>)[pino.symbols.serializersSym];
  if (serializers !== rootSerializers()) return undefined;
  const fields = event.fields;
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const value = fields[key];
    const type = typeof value;
    if ((type === 'object' && value !== null) || type === 'symbol' || type === 'bigint') return undefined;
  }
  const parts = emptyParts();
  const bindings = bindingsOf(event.logger);
  if (bindings !== undefined) addFields(parts, bindings);
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const value = fields[key];
    switch (typeof value) {
      case 'string':
      case 'boolean':
        addField(parts, key, value);
        break;
      case 'number':
        // As pino prints it: non-finite numbers as null, -0 as 0.
        addField(parts, key, Number.isFinite(value) ? (value === 0 ? 0 : value) : null);
        break;
      case 'undefined':
      case 'function':
        break; // pino leaves these out of the line
      default:
        addField(parts, key, null); // null: objects, symbols and bigints took the line path above
    }
  }
  return parts;
}
