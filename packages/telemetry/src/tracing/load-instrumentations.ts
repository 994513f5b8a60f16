import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createInstalledPackageCheck, isResolvableFrom, requireFromDependency } from './require-from-dependency.js';
import { ExpressRouteInstrumentation } from './express-route-instrumentation.js';
import { FastifyRouteInstrumentation } from './fastify-route-instrumentation.js';
import { HapiRouteInstrumentation } from './hapi-route-instrumentation.js';
import { KoaRouteInstrumentation } from './koa-route-instrumentation.js';
import { selectInstrumentations, withoutCovered } from './instrumentation-table.js';

export interface LoadInstrumentationsInput {
  enabled: readonly string[] | undefined;
  disabled: readonly string[];
  /** Directory the application resolves its modules from (process.cwd()). */
  appDir: string;
  /** Per-instrumentation config keyed by short name (`http`, `pino`, ...). */
  configs: Readonly<Record<string, object>>;
  onError: (name: string, error: unknown) => void;
}

type InstrumentationClass = new (config?: object) => Instrumentation;

/** Table entries marked `ownImplementation`, by name. */
const OWN_IMPLEMENTATIONS: Readonly<Record<string, InstrumentationClass>> = {
  express: ExpressRouteInstrumentation,
  fastify: FastifyRouteInstrumentation,
  koa: KoaRouteInstrumentation,
  hapi: HapiRouteInstrumentation,
};

/**
 * Creates instances of the instrumentations whose target module is present. Never loads
 * `@opentelemetry/auto-instrumentations-node`'s index (which would load every instrumentation).
 */
export function loadInstrumentations(input: LoadInstrumentationsInput): Instrumentation[] {
  const req = requireFromDependency('@opentelemetry/auto-instrumentations-node');
  const out: Instrumentation[] = [];
  const mayBeInstalled = createInstalledPackageCheck(input.appDir);
  const present = selectInstrumentations(input.enabled, input.disabled).filter(
    (entry) => entry.core || entry.targets.some((t) => mayBeInstalled(t) && isResolvableFrom(input.appDir, t)),
  );
  for (const entry of withoutCovered(present, input.enabled)) {
    try {
      const own = entry.ownImplementation ? OWN_IMPLEMENTATIONS[entry.name] : undefined;
      const ctor =
        own ??
        (Object.entries(req(entry.packageName) as Record<string, unknown>).find(
          ([key, value]) => key.endsWith('Instrumentation') && typeof value === 'function',
        )?.[1] as InstrumentationClass | undefined);
      if (!ctor) throw new Error(`${entry.packageName} exports no *Instrumentation class`);
      out.push(new ctor(input.configs[entry.name] ?? {}));
    } catch (error) {
      input.onError(entry.name, error);
    }
  }
  return out;
}
