import type { IncomingMessage } from 'node:http';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { routeTemplate } from './framework-route.js';
import { reportRouteLazily } from './request-route.js';

/** The parts of a Koa context this instrumentation reads; `_matchedRoute` is set by @koa/router (and koa-router). */
interface KoaContext {
  req: IncomingMessage;
  _matchedRoute?: unknown;
}
type HandleRequest = ((this: unknown, ctx: KoaContext, fnMiddleware: unknown) => unknown) & { [kPatched]?: true };
interface KoaApplicationClass {
  prototype: { handleRequest: HandleRequest };
}
type KoaExports = KoaApplicationClass & { default?: KoaApplicationClass };

const kPatched = Symbol.for('@platform/telemetry.koa.patched');

/**
 * Reports the route template @koa/router matched (`ctx._matchedRoute`: router prefixes and
 * nested routers included) as the request's route, read when the request ends; a request no
 * router matched stays unmatched. It wraps `Application#handleRequest` (one closure per
 * request) and nothing else: no span per middleware, where @opentelemetry/instrumentation-koa
 * wraps every middleware of every request in a span. Koa 2 and 3.
 */
export class KoaRouteInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super('@platform/telemetry/koa-route', '1.0.0', config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'koa',
        ['>=2.0.0 <4'],
        (exports: KoaExports) => {
          const proto = applicationProto(exports);
          if (proto !== undefined && !proto.handleRequest[kPatched]) this._wrap(proto, 'handleRequest', patchHandleRequest);
          return exports;
        },
        (exports: KoaExports | undefined) => {
          const proto = exports === undefined ? undefined : applicationProto(exports);
          if (proto !== undefined) this._unwrap(proto, 'handleRequest');
        },
      ),
    ];
  }
}

/** `require('koa')` is the Application class; an ESM namespace carries it as `default`. */
function applicationProto(exports: KoaExports): KoaApplicationClass['prototype'] | undefined {
  for (const candidate of [exports, exports.default]) {
    if (typeof (candidate?.prototype as Partial<KoaApplicationClass['prototype']> | undefined)?.handleRequest === 'function') return candidate!.prototype;
  }
  return undefined;
}

function patchHandleRequest(original: HandleRequest): HandleRequest {
  const patched: HandleRequest = function handleRequest(this: unknown, ctx, fnMiddleware) {
    if (ctx?.req !== undefined) reportRouteLazily(ctx.req, () => koaRoute(ctx));
    return original.call(this, ctx, fnMiddleware);
  };
  patched[kPatched] = true;
  return patched;
}

/** The template the router matched, or undefined when none did. */
export function koaRoute(ctx: KoaContext): string | undefined {
  return routeTemplate(ctx._matchedRoute);
}
