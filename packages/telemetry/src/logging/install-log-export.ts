import type { Resource } from '@opentelemetry/resources';
import { createRequire } from 'node:module';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import { createLogExporter } from '../tracing/create-exporters.js';
import { rootSerializers, setLogEventSink } from './logger.js';
import { createOtlpLogForwarder } from './otlp-log-forwarder.js';

export const MAX_LOG_QUEUE_SIZE = 2048;

/** The instrumentation scope of every exported log record. */
const LOG_SCOPE = Object.freeze({ name: '@platform/telemetry' });

const ownRequire = createRequire(import.meta.url);
type SdkLogs = typeof import('@opentelemetry/sdk-logs');

/**
 * When a logs endpoint is configured, every SDK logger line is also exported as an OTLP log
 * record: the forwarder queues it on a bounded BatchLogRecordProcessor (no LoggerProvider: the
 * SDK's logger is the only producer, see otlp-log-forwarder.ts). Returns the processor
 * (forceFlush, shutdown), or undefined when logs are not exported.
 */
export function installLogExport(config: TelemetryConfig, resource: Resource): LogRecordProcessor | undefined {
  const endpoint = config.logs.endpoint;
  if (endpoint === undefined) return undefined;
  // Loaded only when logs are exported: it is not needed (nor paid for at startup) otherwise.
  const { BatchLogRecordProcessor } = ownRequire('@opentelemetry/sdk-logs') as SdkLogs;
  const processor = new BatchLogRecordProcessor({
    exporter: createLogExporter({ ...config.logs, endpoint }),
    maxQueueSize: MAX_LOG_QUEUE_SIZE,
    maxExportBatchSize: 512,
    exportTimeoutMillis: config.logs.timeoutMs,
  });
  setLogEventSink(createOtlpLogForwarder({ resource, scope: LOG_SCOPE, processor }, rootSerializers));
  return processor;
}
