import { Registry } from 'prom-client';

/**
 * The SDK's own prom-client Registry: never prom-client's global one, and shared across
 * every copy of @platform/telemetry loaded in the process (two copies in node_modules, or a
 * CJS and an ESM instance) through a global symbol, so metrics are registered once and
 * "already registered" can never crash the host.
 */
const REGISTRY_KEY = Symbol.for('@platform/telemetry.registry');

type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: Registry };

export function getRegistry(): Registry {
  const g = globalThis as GlobalWithRegistry;
  let registry = g[REGISTRY_KEY];
  if (!registry) {
    registry = new Registry();
    g[REGISTRY_KEY] = registry;
  }
  return registry;
}
