import type { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { groupByResourceAndScope } from './group-by-resource-and-scope.js';
import { writeAnyValueBody, writeAttributes, writeResource, writeScope } from './otlp-common-messages.js';
import { OtlpProtoWriter, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './otlp-proto-writer.js';

// opentelemetry/proto/collector/logs/v1/logs_service.proto (ExportLogsServiceRequest) and
// logs/v1/logs.proto, field for field with @opentelemetry/otlp-transformer's presence rules.

/** A constant rather than the enum: the api-logs module stays off the startup path. */
const SEVERITY_UNSPECIFIED = 0 satisfies SeverityNumber.UNSPECIFIED;
/** Most log records are 128 B to 16 KiB. */
const RECORD_LENGTH_RESERVE = 2;
/** Whole batches: up to 2 MiB without moving. */
const GROUP_LENGTH_RESERVE = 3;

/**
 * Serializes an export batch of log records to ExportLogsServiceRequest protobuf bytes,
 * encoding directly from the SDK's ReadableLogRecord objects into one reused buffer. One
 * instance per exporter.
 */
export class LogRecordSerializer {
  private readonly w = new OtlpProtoWriter();

  serialize(records: readonly ReadableLogRecord[]): Uint8Array {
    const w = this.w;
    try {
      for (const [resource, byScope] of groupByResourceAndScope(records)) {
        w.tag(1, WIRE_LENGTH_DELIMITED); // resource_logs
        const resourceLogs = w.begin(GROUP_LENGTH_RESERVE);
        writeResource(w, 1, resource);
        for (const [scope, group] of byScope) {
          w.tag(2, WIRE_LENGTH_DELIMITED); // scope_logs
          const scopeLogs = w.begin(GROUP_LENGTH_RESERVE);
          writeScope(w, 1, scope);
          for (const record of group) writeLogRecord(w, record);
          if (scope.schemaUrl) {
            w.tag(3, WIRE_LENGTH_DELIMITED);
            w.string(scope.schemaUrl);
          }
          w.end(scopeLogs, GROUP_LENGTH_RESERVE);
        }
        if (resource.schemaUrl) {
          w.tag(3, WIRE_LENGTH_DELIMITED);
          w.string(resource.schemaUrl);
        }
        w.end(resourceLogs, GROUP_LENGTH_RESERVE);
      }
      return w.finish();
    } finally {
      w.reset();
    }
  }
}

function writeLogRecord(w: OtlpProtoWriter, record: ReadableLogRecord): void {
  w.tag(2, WIRE_LENGTH_DELIMITED); // ScopeLogs.log_records
  const mark = w.begin(RECORD_LENGTH_RESERVE);
  w.tag(1, WIRE_FIXED64);
  w.hrTime(record.hrTime);
  if (record.severityNumber !== undefined && record.severityNumber !== SEVERITY_UNSPECIFIED) {
    w.tag(2, WIRE_VARINT);
    w.uint32(record.severityNumber);
  }
  if (record.severityText) {
    w.tag(3, WIRE_LENGTH_DELIMITED);
    w.string(record.severityText);
  }
  if (record.body !== undefined) {
    w.tag(5, WIRE_LENGTH_DELIMITED);
    writeAnyValueBody(w, record.body);
  }
  if (record.attributes) writeAttributes(w, 6, record.attributes);
  w.tag(7, WIRE_VARINT);
  w.uint32(record.droppedAttributesCount);
  const ctx = record.spanContext;
  if (ctx?.traceFlags) {
    w.tag(8, WIRE_FIXED32);
    w.fixed32(ctx.traceFlags);
  }
  if (ctx?.traceId) {
    w.tag(9, WIRE_LENGTH_DELIMITED);
    w.hexBytes(ctx.traceId);
  }
  if (ctx?.spanId) {
    w.tag(10, WIRE_LENGTH_DELIMITED);
    w.hexBytes(ctx.spanId);
  }
  w.tag(11, WIRE_FIXED64);
  w.hrTime(record.hrTimeObserved);
  if (record.eventName) {
    w.tag(12, WIRE_LENGTH_DELIMITED);
    w.string(record.eventName);
  }
  w.end(mark, RECORD_LENGTH_RESERVE);
}
