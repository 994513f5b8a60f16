import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { InstrumentationBase, type InstrumentationConfig, type InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { setRoute } from './request-route.js';

/** The parts of a Fastify 4/5 instance and request this instrumentation reads. */
interface FastifyRequest {
  raw: IncomingMessage;
  is404?: boolean;
  routeOptions?: { url?: unknown };
}
interface FastifyInstance {
  addHook(name: 'onRequest', hook: (request: FastifyRequest, reply: unknown, done: () => void) => void): unknown;
}

const INITIALIZATION_CHANNEL = 'fastify.initialization';
const kHooked = Symbol.for('@platform/telemetry.fastify.hooked');
let subscribed = false;

/**
 * Reports the matched Fastify route template (`/api/v1/items/:id`, plugin prefixes included, as
 * `request.routeOptions.url` spells it) as the request's route; 404s stay unmatched. Fastify 4
 * and 5 publish every new instance on the `fastify.initialization` diagnostics channel before
 * any plugin or route is registered, so one root `onRequest` hook, inherited by every
 * encapsulated plugin, covers the whole app (and NestJS's Fastify adapter) without patching
 * the module: it works for CommonJS and ESM apps alike. No span per hook or handler.
 */
export class FastifyRouteInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super('@platform/telemetry/fastify-route', '1.0.0', config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [];
  }

  // One subscription per process, whichever instance enables it (the base constructor calls
  // enable() before subclass fields exist, so the state cannot live on the instance).
  override enable(): void {
    if (subscribed) return;
    subscribed = true;
    diagnosticsChannel.subscribe(INITIALIZATION_CHANNEL, onFastifyCreated);
  }

  override disable(): void {
    if (!subscribed) return;
    subscribed = false;
    diagnosticsChannel.unsubscribe(INITIALIZATION_CHANNEL, onFastifyCreated);
  }
}

function onFastifyCreated(message: unknown): void {
  const fastify = (message as { fastify?: FastifyInstance & { [kHooked]?: true } } | undefined)?.fastify;
  if (fastify === undefined || typeof fastify.addHook !== 'function' || fastify[kHooked]) return;
  fastify[kHooked] = true;
  fastify.addHook('onRequest', reportFastifyRoute);
}

function reportFastifyRoute(request: FastifyRequest, _reply: unknown, done: () => void): void {
  try {
    // Routing is done before onRequest hooks run: the template (or the 404) is known here.
    const route = fastifyRoute(request);
    if (route !== undefined) setRoute(request.raw, route);
  } catch {
    /* never cost the app its request */
  }
  done();
}

/** The route template Fastify matched, or undefined for its 404 handler. */
export function fastifyRoute(request: FastifyRequest): string | undefined {
  if (request.is404 === true) return undefined;
  const url = request.routeOptions?.url;
  return typeof url === 'string' ? url : undefined;
}
