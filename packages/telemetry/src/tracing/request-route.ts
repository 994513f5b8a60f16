import type { IncomingMessage } from 'node:http';

const kRoute = Symbol.for('@platform/telemetry.route');

/** A route template, or how to read it once the request is over (the framework matched by then). */
type ReportedRoute = string | (() => string | undefined);
type RoutedRequest = IncomingMessage & { [kRoute]?: ReportedRoute };

/**
 * Sets the route template of `req` (`'/users/:id'`): the `http_route` label of its
 * `http_server_request_duration_seconds` observation, the `http.route` attribute of its SERVER
 * span and the span's name (`GET /users/:id`). For plain `node:http` servers and any framework
 * the SDK does not know; it also overrides what a known framework reported. `req` is the Node
 * request (`request.raw` in Fastify, `ctx.req` in Koa, `request.raw.req` in Hapi). The last
 * call before the response ends wins. Pass a template, never the raw URL: every distinct
 * value is a new time series.
 */
export function setRoute(req: IncomingMessage, route: string): void {
  if (typeof route !== 'string' || route === '' || typeof req !== 'object' || req === null) return;
  (req as RoutedRequest)[kRoute] = route;
}

/**
 * For framework instrumentations: the route is read from `resolve` when the request ends,
 * unless `setRoute` was called after this. `resolve` must return a template (a throw counts as none).
 */
export function reportRouteLazily(req: IncomingMessage, resolve: () => string | undefined): void {
  (req as RoutedRequest)[kRoute] = resolve;
}

/** The route reported for `req` by `setRoute` or a framework instrumentation, if any. */
export function reportedRoute(req: IncomingMessage): string | undefined {
  const route = (req as RoutedRequest)[kRoute];
  if (route === undefined || typeof route === 'string') return route;
  try {
    const resolved = route();
    return typeof resolved === 'string' && resolved !== '' ? resolved : undefined;
  } catch {
    return undefined; // a framework's internals changed shape: the request still ends, as unmatched
  }
}
