import { context } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { InstrumentationBase, InstrumentationNodeModuleDefinition, type InstrumentationConfig } from '@opentelemetry/instrumentation';
import { routeTemplate } from './framework-route.js';

const kMounts = Symbol.for('@platform/telemetry.express.mounts');
const kPatched = Symbol.for('@platform/telemetry.express.patched');

type Handle = ((this: unknown, req: TrackedRequest, res: unknown, next: (...args: unknown[]) => unknown) => unknown) & { [kPatched]?: true };
interface Layer {
  handle: Handle;
}
interface RouterProto {
  stack?: Layer[];
  route: (this: RouterProto, ...args: unknown[]) => unknown;
  use: (this: RouterProto, ...args: unknown[]) => unknown;
}
type TrackedRequest = { [kMounts]?: string[] };
type ExpressExports = { Router?: RouterProto & { prototype?: RouterProto } };

/**
 * Reports the matched Express route template (`/api/users/:id`, mount paths included) as the
 * request's `http.route`, and nothing else: no span per middleware, router or handler layer.
 * It wraps `Router#route` and `Router#use` at setup time; per request, only the route that
 * matched (and each mounted router the request enters) runs a small wrapper, where
 * @opentelemetry/instrumentation-express wraps every layer of every request, which was one of
 * the largest items in the HTTP benchmark's profile. Express 4 and 5.
 */
export class ExpressRouteInstrumentation extends InstrumentationBase {
  constructor(config: InstrumentationConfig = {}) {
    super('@platform/telemetry/express-route', '1.0.0', config);
  }

  protected init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        'express',
        ['>=4.0.0 <6'],
        (exports: ExpressExports) => {
          const proto = routerProto(exports);
          if (proto !== undefined) {
            if (!(proto.route as Handle)[kPatched]) this._wrap(proto, 'route', patchRoute);
            if (!(proto.use as Handle)[kPatched]) this._wrap(proto, 'use', patchUse);
          }
          return exports;
        },
        (exports: ExpressExports | undefined) => {
          const proto = exports === undefined ? undefined : routerProto(exports);
          if (proto === undefined) return;
          this._unwrap(proto, 'route');
          this._unwrap(proto, 'use');
        },
      ),
    ];
  }
}

/** Express 5 routers are `Router` instances; Express 4's `Router` is the prototype object itself. */
function routerProto(exports: ExpressExports): RouterProto | undefined {
  const Router = exports.Router;
  if (typeof Router?.prototype?.route === 'function') return Router.prototype;
  if (typeof Router?.route === 'function') return Router;
  return undefined;
}

/** Route template of the request: every mount it entered, then the route. */
export function joinRoute(mounts: readonly string[] | undefined, route: string): string {
  if (mounts === undefined || mounts.length === 0) return route;
  const joined = mounts.join('') + route;
  return joined.length > 1 ? joined.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1') : joined;
}

function patchRoute(original: RouterProto['route']): RouterProto['route'] {
  const patched = function route(this: RouterProto, ...args: unknown[]): unknown {
    const result = original.apply(this, args);
    const template = routeTemplate(args[0]);
    const layer = this.stack?.[this.stack.length - 1];
    if (template !== undefined && layer !== undefined && typeof layer.handle === 'function' && !layer.handle[kPatched]) {
      const handle = layer.handle;
      // Runs only when this route matched: report it (later matches overwrite earlier ones).
      const reporting: Handle = function (this: unknown, req, res, next) {
        const rpc = getRPCMetadata(context.active());
        if (rpc !== undefined) rpc.route = joinRoute(req[kMounts], template);
        return handle.call(this, req, res, next);
      };
      reporting[kPatched] = true;
      layer.handle = reporting;
    }
    return result;
  };
  (patched as Handle)[kPatched] = true;
  return patched;
}

function patchUse(original: RouterProto['use']): RouterProto['use'] {
  const patched = function use(this: RouterProto, ...args: unknown[]): unknown {
    const before = this.stack?.length ?? 0;
    const result = original.apply(this, args);
    const template = typeof args[0] === 'function' ? undefined : routeTemplate(args[0]);
    if (template === undefined || template === '/' || this.stack === undefined) return result;
    for (const layer of this.stack.slice(before)) {
      const handle = layer.handle;
      // Error handlers (arity 4) keep their arity; Express tells them apart by it.
      if (typeof handle !== 'function' || handle.length > 3 || handle[kPatched]) continue;
      // Runs when the request enters the mounted router or app; leaves it when it calls next().
      const mounted: Handle = function (this: unknown, req, res, next) {
        const mounts = (req[kMounts] ??= []);
        const depth = mounts.push(template);
        return handle.call(this, req, res, function (this: unknown, ...nextArgs: unknown[]) {
          mounts.length = depth - 1;
          return next.apply(this, nextArgs);
        });
      };
      mounted[kPatched] = true;
      layer.handle = mounted;
    }
    return result;
  };
  (patched as Handle)[kPatched] = true;
  return patched;
}
