import { ROOT_CONTEXT, trace, type Context } from '@opentelemetry/api';
import { SeverityNumber, type AnyValueMap, type Logger as OtelLogger } from '@opentelemetry/api-logs';
import type { LogLineSink } from './logger.js';

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

/**
 * Turns serialized (already redacted) pino lines into OpenTelemetry log records, in-process
 * and synchronously: no transport, no worker thread. The record is linked to the trace through
 * the line's trace_id/span_id. Export batching and bounds are the LoggerProvider's.
 */
export function createOtlpLogForwarder(otelLogger: OtelLogger): LogLineSink {
  return (line: string): void => {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const level = typeof parsed.level === 'number' ? parsed.level : 30;
    const severity = SEVERITY[level] ?? { number: SeverityNumber.UNSPECIFIED, text: String(parsed.level) };
    const attributes: AnyValueMap = {};
    for (const key in parsed) if (!LIFTED.has(key)) attributes[key] = parsed[key] as AnyValueMap[string];
    let ctx: Context = ROOT_CONTEXT;
    if (typeof parsed.trace_id === 'string' && typeof parsed.span_id === 'string') {
      ctx = trace.setSpanContext(ROOT_CONTEXT, {
        traceId: parsed.trace_id,
        spanId: parsed.span_id,
        traceFlags: parsed.trace_flags === '01' ? 1 : 0,
        isRemote: false,
      });
    }
    otelLogger.emit({
      timestamp: typeof parsed.time === 'number' ? parsed.time : Date.now(),
      severityNumber: severity.number,
      severityText: severity.text,
      body: typeof parsed.msg === 'string' ? parsed.msg : '',
      attributes,
      context: ctx,
    });
  };
}
