import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { TelemetryConfig } from './config/telemetry-config.js';

/** What initTelemetry() returns. */
export interface TelemetryHandle {
  /** The SDK logger (same as the exported `logger`). */
  readonly logger: Logger;
  /** The SDK's prom-client registry (what /metrics serves). */
  readonly registry: Registry;
  /** The resolved configuration. */
  readonly config: Readonly<TelemetryConfig>;
  /** Configuration problems found (each was logged once as a warning). */
  readonly warnings: readonly string[];
  /** Exports everything buffered; resolves within the shutdown timeout, never rejects. */
  forceFlush(): Promise<void>;
  /** Flushes and stops all signals; idempotent; resolves within the shutdown timeout, never rejects. */
  shutdown(): Promise<void>;
}
