import type { Resource } from '@opentelemetry/resources';
import { createRequire } from 'node:module';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { TelemetryConfig } from '../config/telemetry-config.js';
import { createLogExporter } from '../tracing/create-exporters.js';
import { rootSerializers, setLogEventSink } from './logger.js';
import { createOtlpLogForwarder } from './otlp-log-forwarder.js';

export const MAX_LOG_QUEUE_SIZE = 2048;

const ownRequire = createRequire(import.meta.url);
type SdkLogs = typeof import('@opentelemetry/sdk-logs');

/** When a logs endpoint is configured, every SDK logger line is also exported as an OTLP log record. */
export function installLogExport(config: TelemetryConfig, resource: Resource): LoggerProvider | undefined {
  const endpoint = config.logs.endpoint;
  if (endpoint === undefined) return undefined;
  // Loaded only when logs are exported: it is not needed (nor paid for at startup) otherwise.
  const { BatchLogRecordProcessor, LoggerProvider } = ownRequire('@opentelemetry/sdk-logs') as SdkLogs;
  const provider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: createLogExporter({ ...config.logs, endpoint }),
        maxQueueSize: MAX_LOG_QUEUE_SIZE,
        maxExportBatchSize: 512,
        exportTimeoutMillis: config.logs.timeoutMs,
      }),
    ],
  });
  setLogEventSink(createOtlpLogForwarder(provider.getLogger('@platform/telemetry'), rootSerializers));
  return provider;
}
