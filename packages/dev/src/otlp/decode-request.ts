/**
 * One OTLP/HTTP request body to an OtlpBatch. Protobuf is decoded by protobufjs from the schema
 * in proto-schema.ts, JSON by JSON.parse; both then go through the same normalizers. Any
 * failure is an OtlpDecodeError (the receiver answers 400), never an exception of another kind.
 */
import protobuf from 'protobufjs';
import type { OtlpBatch, Signal } from '../model.js';
import { OTLP_PROTO_SCHEMA } from './proto-schema.js';
import { normalizeLogs } from './normalize-logs.js';
import { normalizeMetrics } from './normalize-metrics.js';
import { normalizeTraces } from './normalize-traces.js';

export type OtlpEncoding = 'protobuf' | 'json';

export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

const root = protobuf.parse(OTLP_PROTO_SCHEMA, { keepCase: false }).root;
const REQUEST_TYPES: Record<Signal, protobuf.Type> = {
  traces: root.lookupType('otlp.ExportTraceServiceRequest'),
  logs: root.lookupType('otlp.ExportLogsServiceRequest'),
  metrics: root.lookupType('otlp.ExportMetricsServiceRequest'),
};

/** `application/x-protobuf` or `application/json` (parameters ignored); undefined otherwise. */
export function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

export function decodeOtlpRequest(signal: Signal, encoding: OtlpEncoding, body: Uint8Array): OtlpBatch {
  let message: unknown;
  try {
    message =
      encoding === 'protobuf' ? REQUEST_TYPES[signal].decode(body) : JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (error) {
    throw new OtlpDecodeError(
      `invalid ${encoding === 'protobuf' ? 'protobuf' : 'JSON'} ${signal} request: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) {
    throw new OtlpDecodeError(`invalid ${signal} request: the body is not an object`);
  }
  try {
    switch (signal) {
      case 'traces':
        return { signal, spans: normalizeTraces(message) };
      case 'logs':
        return { signal, logs: normalizeLogs(message) };
      case 'metrics':
        return { signal, points: normalizeMetrics(message) };
    }
  } catch (error) {
    // Structurally wrong JSON (e.g. a number where a list belongs deep inside): still a bad request.
    throw new OtlpDecodeError(`invalid ${signal} request: ${error instanceof Error ? error.message : String(error)}`);
  }
}
