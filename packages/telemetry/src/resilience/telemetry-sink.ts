import type { Registry } from 'prom-client';
import { getLogger } from '../logging/logger.js';
import { getRegistry } from '../metrics/registry.js';

/**
 * The only place the resilience module reaches into the SDK core, so it stays decoupled:
 * the SDK's pino logger (its mixin adds trace ids) and the SDK's prom-client Registry.
 * Tests inject their own logger and Registry through `resilient(name, { telemetry })`.
 */

/** The subset of a pino Logger the resilience policies use. */
export interface ResilienceLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  debug(fields: Record<string, unknown>, message: string): void;
}

/** The SDK logger, resolved on every line so reconfiguration by initTelemetry() applies. */
export const sdkLogger: ResilienceLogger = {
  warn: (fields, message) => getLogger().warn(fields, message),
  debug: (fields, message) => getLogger().debug(fields, message),
};

export function sdkRegistry(): Registry {
  return getRegistry();
}
