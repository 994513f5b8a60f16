import type { OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import type { IExportLogsServiceResponse, IExportTraceServiceResponse, ISerializer } from '@opentelemetry/otlp-transformer';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createRequire } from 'node:module';
import { LogRecordSerializer } from './log-record-serializer.js';
import { SpanSerializer } from './span-serializer.js';

const ownRequire = createRequire(import.meta.url);
type ExporterBase = typeof import('@opentelemetry/otlp-exporter-base');
type NodeHttp = typeof import('@opentelemetry/otlp-exporter-base/node-http');
type Transformer = typeof import('@opentelemetry/otlp-transformer');

const PROTOBUF_HEADERS = { 'Content-Type': 'application/x-protobuf' };

/**
 * The OTLP/HTTP protobuf span exporter, assembled as @opentelemetry/exporter-trace-otlp-proto
 * assembles its OTLPTraceExporter (same export delegate: retries, compression, headers and
 * OTEL_EXPORTER_OTLP_* environment, agent, timeout, concurrency limit, self-observability
 * metrics, response parsing) with one part swapped: the request bytes come from
 * {@link SpanSerializer}, which writes what the upstream serializer writes, byte for byte,
 * at a fraction of its CPU.
 */
export function createOtlpProtoSpanExporter(config: OTLPExporterNodeConfigBase): SpanExporter {
  const { ProtobufTraceSerializer, TraceExporterMetricsHelper } = ownRequire('@opentelemetry/otlp-transformer') as Transformer;
  const spans = new SpanSerializer();
  const serializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
    serializeRequest: (batch) => spans.serialize(batch),
    deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
  };
  const { OTLPExporterBase } = ownRequire('@opentelemetry/otlp-exporter-base') as ExporterBase;
  const { createOtlpHttpExportDelegate, convertLegacyHttpOptions } = ownRequire('@opentelemetry/otlp-exporter-base/node-http') as NodeHttp;
  const options = convertLegacyHttpOptions(config, 'TRACES', 'v1/traces', PROTOBUF_HEADERS);
  return new OTLPExporterBase(createOtlpHttpExportDelegate(options, serializer, 'otlp_http_span_exporter', TraceExporterMetricsHelper, undefined));
}

/** The OTLP/HTTP protobuf log exporter, as {@link createOtlpProtoSpanExporter} for log records. */
export function createOtlpProtoLogExporter(config: OTLPExporterNodeConfigBase): LogRecordExporter {
  const { ProtobufLogsSerializer, LogsExporterMetricsHelper } = ownRequire('@opentelemetry/otlp-transformer') as Transformer;
  const records = new LogRecordSerializer();
  const serializer: ISerializer<ReadableLogRecord[], IExportLogsServiceResponse> = {
    serializeRequest: (batch) => records.serialize(batch),
    deserializeResponse: (data) => ProtobufLogsSerializer.deserializeResponse(data),
  };
  const { OTLPExporterBase } = ownRequire('@opentelemetry/otlp-exporter-base') as ExporterBase;
  const { createOtlpHttpExportDelegate, convertLegacyHttpOptions } = ownRequire('@opentelemetry/otlp-exporter-base/node-http') as NodeHttp;
  const options = convertLegacyHttpOptions(config, 'LOGS', 'v1/logs', PROTOBUF_HEADERS);
  return new OTLPExporterBase(createOtlpHttpExportDelegate(options, serializer, 'otlp_http_log_exporter', LogsExporterMetricsHelper, undefined));
}
