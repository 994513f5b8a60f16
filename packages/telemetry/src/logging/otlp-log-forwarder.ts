import { context, ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber, type AnyValue, type AnyValueMap, type Logger as OtelLogger } from '@opentelemetry/api-logs';
import pino from 'pino';
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

/**
 * Turns written (already redacted) log lines into OpenTelemetry log records, in-process and
 * synchronously: no transport, no worker thread. The record carries exactly what the printed
 * line says and is linked to the trace through its trace_id/span_id. Export batching and
 * bounds are the LoggerProvider's.
 *
 * Fast path: when every field of the call is a plain value (string, number, boolean, null)
 * the record is built from pino's metadata, with the child logger's bindings parsed once per
 * distinct binding set. Anything else (nested objects, errors, a child logger with its own
 * serializers) is read back from the JSON line, so the record always matches the line.
 */
export function createOtlpLogForwarder(otelLogger: OtelLogger, rootSerializers: () => unknown): LogEventSink {
  const bindingsCache = new Map<string, Record<string, unknown>>();
  const bindingsOf = (logger: LogEvent['logger']): Record<string, unknown> => {
    const chindings = (logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym];
    if (typeof chindings !== 'string' || chindings.length === 0) return {};
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
    let record = recordFromMetadata(event, bindingsOf, rootSerializers);
    if (record === undefined) {
      try {
        record = JSON.parse(event.line) as Record<string, unknown>;
      } catch {
        return;
      }
    } else if (event.msg !== undefined) {
      record.msg = event.msg;
    }
    const severity = SEVERITY[event.level] ?? { number: SeverityNumber.UNSPECIFIED, text: String(event.level) };
    const attributes: AnyValueMap = {};
    for (const key in record) if (!LIFTED.has(key)) attributes[key] = record[key] as AnyValue;
    let ctx: Context = ROOT_CONTEXT;
    if (typeof record.trace_id === 'string' && typeof record.span_id === 'string') {
      // Usually the line was written inside the span it names: reuse the active context.
      const active = context.active();
      const sc = trace.getSpanContext(active);
      if (sc !== undefined && sc.spanId === record.span_id && sc.traceId === record.trace_id) {
        ctx = active;
      } else {
        ctx = trace.setSpanContext(ROOT_CONTEXT, {
          traceId: record.trace_id,
          spanId: record.span_id,
          traceFlags: record.trace_flags === '01' ? 1 : 0,
          isRemote: false,
        });
      }
    }
    otelLogger.emit({
      timestamp: event.time,
      severityNumber: severity.number,
      severityText: severity.text,
      body: typeof record.msg === 'string' ? record.msg : '',
      attributes,
      context: ctx,
    });
  };
}

/**
 * What the printed line holds (child bindings, then the call's fields), when that is knowable
 * without parsing it: all field values plain and the root logger's serializers in effect.
 * Undefined otherwise.
 */
function recordFromMetadata(
  event: LogEvent,
  bindingsOf: (logger: LogEvent['logger']) => Record<string, unknown>,
  rootSerializers: () => unknown,
): Record<string, unknown> | undefined {
  const serializers = (event.logger as unknown as Record<symbol, unknown>)[pino.symbols.serializersSym];
  if (serializers !== rootSerializers()) return undefined;
  const fields = event.fields;
  const out: Record<string, unknown> = Object.assign({}, bindingsOf(event.logger));
  for (const key in fields) {
    if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
    const value = fields[key];
    switch (typeof value) {
      case 'string':
      case 'boolean':
        out[key] = value;
        break;
      case 'number':
        // As pino prints it: non-finite numbers as null, -0 as 0.
        out[key] = Number.isFinite(value) ? (value === 0 ? 0 : value) : null;
        break;
      case 'undefined':
      case 'function':
        break; // pino leaves these out of the line
      default:
        if (value !== null) return undefined;
        out[key] = null;
    }
  }
  return out;
}
