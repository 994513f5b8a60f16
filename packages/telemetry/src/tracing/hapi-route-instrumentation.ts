import type { IncomingMessage } from 'node:http';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { reportRouteLazily } from './request-route.js';

/** The parts of a Hapi server and request this instrumentation reads. */
interface HapiRequest {
  raw: { req: IncomingMessage };
  route?: { method?: unknown; path?: unknown } | null;
}
interface HapiToolkit {
  continue: symbol;
}
interface HapiServer {
  ext(event: 'onRequest', method: (request: HapiRequest, h: HapiToolkit) => symbol): unknown;
}
type ServerFactory = ((this: unknown, ...args: unknown[]) => HapiServer) & { [kPatched]?: true };
interface HapiFactories {
  server?: ServerFactory;
  Server?: ServerFactory;
}
/** `require('@hapi/hapi')`, or an ESM namespace whose `default` is that object. */
type HapiExports = HapiFactories & { default?: HapiFactories };
const FACTORIES = ['server', 'Server'] as const;

const kPatched = Symbol.for('@platform/telemetry.hapi.patched');

/**
 * Reports the route Hapi matched (`request.route.path`, with route prefixes of plugins
 * included) as the request's route, in the manifest's and Express's syntax: `/orders/{id}`
 * becomes `/orders/:id`, `{id?}` `:id?`, and a catch-all `{path*}` / `{path*2}` `*path`. Hapi's
 * own not-found route stays unmatched. It adds one `onRequest` extension to each server made
 * by `Hapi.server()` / `new Hapi.Server()`; no span per route handler, where
 * @opentelemetry/instrumentation-hapi adds one. Hapi 20 and 21.
 */
export class HapiRouteInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super('@platform/telemetry/hapi-route', '1.0.0', config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        '@hapi/hapi',
        ['>=20.0.0 <22'],
        (exports: HapiExports) => {
          for (const target of [exports, exports.default]) {
            for (const name of FACTORIES) {
              const factory = target?.[name];
              if (target !== undefined && typeof factory === 'function' && !factory[kPatched])
                this._wrap(target as Required<HapiFactories>, name, patchServerFactory);
            }
          }
          return exports;
        },
        (exports: HapiExports | undefined) => {
          for (const target of [exports, exports?.default]) {
            for (const name of FACTORIES) if (target?.[name]?.[kPatched]) this._unwrap(target, name);
          }
        },
      ),
    ];
  }
}

function patchServerFactory(original: ServerFactory): ServerFactory {
  // `Hapi.server(options)` and `new Hapi.Server(options)` are the same function.
  const patched = function (this: unknown, ...args: unknown[]): HapiServer {
    const server = new.target === undefined ? original.apply(this, args) : (Reflect.construct(original, args, new.target) as HapiServer);
    try {
      server.ext('onRequest', reportHapiRoute);
    } catch {
      /* an unexpected server shape: the app runs, its routes record as unmatched */
    }
    return server;
  } as ServerFactory;
  patched[kPatched] = true;
  return patched;
}

function reportHapiRoute(request: HapiRequest, h: HapiToolkit): symbol {
  // onRequest runs before routing; the route is read when the request ends.
  const req = request.raw?.req;
  if (req !== undefined) reportRouteLazily(req, () => hapiRoute(request));
  return h.continue;
}

/** The matched route in `:param` syntax; undefined for Hapi's not-found / bad-request routes. */
export function hapiRoute(request: HapiRequest): string | undefined {
  const route = request.route;
  if (route == null || route.method === '_special' || typeof route.path !== 'string') return undefined;
  return hapiPathToRoute(route.path);
}

/** `/orders/{id}` → `/orders/:id`, `{id?}` → `:id?`, `{path*}` and `{path*2}` → `*path`. */
export function hapiPathToRoute(path: string): string {
  return path.replace(/\{(\w+)(\?|\*\d*)?\}/g, (_m, name: string, modifier: string | undefined) => {
    if (modifier === undefined) return `:${name}`;
    return modifier === '?' ? `:${name}?` : `*${name}`;
  });
}
