import type { Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { groupByResourceAndScope } from './group-by-resource-and-scope.js';
import { writeAttributes, writeResource, writeScope } from './otlp-common-messages.js';
import { OtlpProtoWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './otlp-proto-writer.js';

// opentelemetry/proto/collector/trace/v1/trace_service.proto (ExportTraceServiceRequest) and
// trace/v1/trace.proto, field for field with @opentelemetry/otlp-transformer's presence rules.

const SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_CONTEXT_IS_REMOTE = 0x200;
/** Most spans are 128 B to 16 KiB: two bytes of length prefix, moved only for the others. */
const SPAN_LENGTH_RESERVE = 2;
/** Whole batches: up to 2 MiB without moving. */
const GROUP_LENGTH_RESERVE = 3;

/**
 * Serializes an export batch of spans to ExportTraceServiceRequest protobuf bytes, encoding
 * directly from the SDK's ReadableSpan objects into one reused buffer. One instance per exporter
 * (serialization is synchronous, so an instance is never used by two batches at once).
 */
export class SpanSerializer {
  private readonly w = new OtlpProtoWriter();

  serialize(spans: readonly ReadableSpan[]): Uint8Array {
    const w = this.w;
    try {
      for (const [resource, byScope] of groupByResourceAndScope(spans)) {
        w.tag(1, WIRE_LENGTH_DELIMITED); // resource_spans
        const resourceSpans = w.begin(GROUP_LENGTH_RESERVE);
        writeResource(w, 1, resource);
        for (const [scope, group] of byScope) {
          w.tag(2, WIRE_LENGTH_DELIMITED); // scope_spans
          const scopeSpans = w.begin(GROUP_LENGTH_RESERVE);
          writeScope(w, 1, scope);
          for (const span of group) writeSpan(w, span);
          if (scope.schemaUrl) {
            w.tag(3, WIRE_LENGTH_DELIMITED);
            w.string(scope.schemaUrl);
          }
          w.end(scopeSpans, GROUP_LENGTH_RESERVE);
        }
        if (resource.schemaUrl) {
          w.tag(3, WIRE_LENGTH_DELIMITED);
          w.string(resource.schemaUrl);
        }
        w.end(resourceSpans, GROUP_LENGTH_RESERVE);
      }
      return w.finish();
    } finally {
      w.reset();
    }
  }
}

function writeSpan(w: OtlpProtoWriter, span: ReadableSpan): void {
  w.tag(2, WIRE_LENGTH_DELIMITED); // ScopeSpans.spans
  const mark = w.begin(SPAN_LENGTH_RESERVE);
  const ctx = span.spanContext();
  w.tag(1, WIRE_LENGTH_DELIMITED);
  w.hexBytes(ctx.traceId);
  w.tag(2, WIRE_LENGTH_DELIMITED);
  w.hexBytes(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, WIRE_LENGTH_DELIMITED);
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.tag(4, WIRE_LENGTH_DELIMITED);
    w.hexBytes(parent.spanId);
  }
  w.tag(5, WIRE_LENGTH_DELIMITED);
  w.string(span.name);
  // The API's SpanKind starts at INTERNAL = 0; the proto reserves 0 for UNSPECIFIED.
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.tag(6, WIRE_VARINT);
    w.uint32(kind);
  }
  w.tag(7, WIRE_FIXED64);
  w.hrTime(span.startTime);
  w.tag(8, WIRE_FIXED64);
  w.hrTime(span.endTime);
  if (span.attributes) writeAttributes(w, 9, span.attributes);
  w.tag(10, WIRE_VARINT);
  w.uint32(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event);
  w.tag(12, WIRE_VARINT);
  w.uint32(span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link);
  w.tag(14, WIRE_VARINT);
  w.uint32(span.droppedLinksCount);
  w.tag(15, WIRE_LENGTH_DELIMITED); // status
  const status = w.begin(1);
  if (span.status.message) {
    w.tag(2, WIRE_LENGTH_DELIMITED);
    w.string(span.status.message);
  }
  w.tag(3, WIRE_VARINT);
  w.uint32(span.status.code);
  w.end(status, 1);
  w.tag(16, WIRE_FIXED32);
  w.fixed32(spanFlags(ctx, parent?.isRemote));
  w.end(mark, SPAN_LENGTH_RESERVE);
}

function writeEvent(w: OtlpProtoWriter, event: TimedEvent): void {
  w.tag(11, WIRE_LENGTH_DELIMITED); // Span.events
  const mark = w.begin(1);
  w.tag(1, WIRE_FIXED64);
  w.hrTime(event.time);
  w.tag(2, WIRE_LENGTH_DELIMITED);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, 3, event.attributes);
  w.tag(4, WIRE_VARINT);
  w.uint32(event.droppedAttributesCount || 0);
  w.end(mark, 1);
}

function writeLink(w: OtlpProtoWriter, link: Link): void {
  w.tag(13, WIRE_LENGTH_DELIMITED); // Span.links
  const mark = w.begin(1);
  const ctx = link.context;
  w.tag(1, WIRE_LENGTH_DELIMITED);
  w.hexBytes(ctx.traceId);
  w.tag(2, WIRE_LENGTH_DELIMITED);
  w.hexBytes(ctx.spanId);
  const traceState = ctx.traceState?.serialize();
  if (traceState) {
    w.tag(3, WIRE_LENGTH_DELIMITED);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, 4, link.attributes);
  w.tag(5, WIRE_VARINT);
  w.uint32(link.droppedAttributesCount || 0);
  w.tag(6, WIRE_FIXED32);
  w.fixed32(spanFlags(ctx, ctx.isRemote));
  w.end(mark, 1);
}

/** W3C trace flags in the low byte, plus whether the (parent) context is known to be remote. */
function spanFlags(ctx: SpanContext, isRemote: boolean | undefined): number {
  return (ctx.traceFlags & 0xff) | SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE | (isRemote ? SPAN_FLAGS_CONTEXT_IS_REMOTE : 0);
}
