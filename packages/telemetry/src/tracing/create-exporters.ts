import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { SignalExportConfig } from '../config/telemetry-config.js';
import { createOtlpProtoLogExporter, createOtlpProtoSpanExporter } from '../export/otlp-proto-exporters.js';
import { DeferredExporter } from './deferred-exporter.js';
import { AbandonableExporter, nonBlockingAgentFactory } from './abandonable-exporter.js';
import { readOtlpTlsFiles } from './read-otlp-tls-files.js';
import { requireFromDependency } from './require-from-dependency.js';

type ExporterCtor<T> = new (config: {
  url: string;
  headers: Record<string, string>;
  timeoutMillis: number;
  concurrencyLimit: number;
  httpAgentOptions: (protocol: string) => import('node:http').Agent;
}) => T;

/** Parallel export requests per signal: with the bounded queue this caps exporter memory. */
const CONCURRENCY_LIMIT = 4;

/**
 * OTLP/HTTP exporters, created only when an endpoint is configured and loaded on their first
 * export (they cost ~150 ms to load: see DeferredExporter). http/protobuf is upstream's export
 * delegate with our direct serializers (src/export/); http/json the -http variants that
 * sdk-node depends on.
 */
export function createSpanExporter(config: SignalExportConfig & { endpoint: string }): SpanExporter {
  return new DeferredExporter(() => {
    if (config.protocol !== 'http/json') return new AbandonableExporter(createOtlpProtoSpanExporter(options(config)));
    const mod = requireFromDependency('@opentelemetry/sdk-node')('@opentelemetry/exporter-trace-otlp-http') as {
      OTLPTraceExporter: ExporterCtor<SpanExporter>;
    };
    return new AbandonableExporter(new mod.OTLPTraceExporter(options(config)));
  }) as SpanExporter;
}

export function createLogExporter(config: SignalExportConfig & { endpoint: string }): LogRecordExporter {
  return new DeferredExporter(() => {
    if (config.protocol !== 'http/json') return new AbandonableExporter(createOtlpProtoLogExporter(options(config)));
    const mod = requireFromDependency('@opentelemetry/sdk-node')('@opentelemetry/exporter-logs-otlp-http') as {
      OTLPLogExporter: ExporterCtor<LogRecordExporter>;
    };
    return new AbandonableExporter(new mod.OTLPLogExporter(options(config)));
  }) as LogRecordExporter;
}

function options(config: SignalExportConfig & { endpoint: string }) {
  const tls = readOtlpTlsFiles(config.tls);
  return {
    url: config.endpoint,
    headers: config.headers,
    timeoutMillis: config.timeoutMs,
    concurrencyLimit: CONCURRENCY_LIMIT,
    // Export sockets never keep the process alive; shutdown holds it open for a bounded time.
    httpAgentOptions: (protocol: string) => nonBlockingAgentFactory(protocol, tls),
  };
}
