import { isSpanContextValid, trace } from '@opentelemetry/api';
import { activeContext } from '../tracing/active-context.js';

/** Returned when there is no active span; recognised by `mergeTraceContext` to skip the merge. */
export const NO_TRACE_CONTEXT: Readonly<Record<string, string>> = Object.freeze({});

/** pino mixin: trace_id, span_id, trace_flags of the active span (W3C hex form). */
export function traceContextMixin(): Record<string, string> {
  const span = trace.getSpan(activeContext());
  if (span === undefined) return NO_TRACE_CONTEXT;
  const sc = span.spanContext();
  if (!isSpanContextValid(sc)) return NO_TRACE_CONTEXT;
  return { trace_id: sc.traceId, span_id: sc.spanId, trace_flags: sc.traceFlags === 1 ? '01' : sc.traceFlags.toString(16).padStart(2, '0') };
}

/** pino mixinMergeStrategy: user fields win; no allocation when there is no span. */
export function mergeTraceContext(mergeObject: object, mixinObject: object): object {
  if (mixinObject === NO_TRACE_CONTEXT) return mergeObject;
  return Object.assign(mixinObject, mergeObject);
}
