import { getLogger } from './logging/logger.js';

export { initTelemetry } from './init-telemetry.js';
export type { TelemetryHandle } from './telemetry-handle.js';
export type { TelemetryOptions, SignalExportOptions } from './config/telemetry-options.js';
export type { TelemetryConfig } from './config/telemetry-config.js';
export { getLogger } from './logging/logger.js';
export { metricsHandler } from './metrics/metrics-handler.js';
export { getRegistry } from './metrics/registry.js';
/** The route template of a request, for node:http servers and frameworks the SDK does not instrument. */
export { setRoute } from './tracing/request-route.js';
/** Default redaction lists, to extend rather than replace: `redactKeys: [...DEFAULT_REDACT_KEYS, 'ssn']`. */
export { DEFAULT_REDACT_KEYS, DEFAULT_REDACT_QUERY_PARAMS } from './config/defaults.js';

/** The SDK logger: pino, trace-correlated, secrets redacted. Usable before initTelemetry(). */
export const logger = getLogger();

export * from './resilience/index.js';
