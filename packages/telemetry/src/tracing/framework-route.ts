import type { IncomingMessage } from 'node:http';

interface ExpressRequest {
  route?: { path?: unknown };
  baseUrl?: string;
}

/**
 * The template of an Express route or mount path argument (`'/a/:id'`, a RegExp, or an array of
 * those joined with `,`); undefined for anything else.
 */
export function routeTemplate(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (Array.isArray(path) && path.length > 0 && path.every((p) => typeof p === 'string' || p instanceof RegExp)) {
    return path.map((p) => (typeof p === 'string' ? p : String(p))).join(',');
  }
  return undefined;
}

/**
 * The matched route template Express leaves on the request (`req.route.path`), for when no
 * framework instrumentation reported one (Express instrumentation disabled, or Express loaded
 * before telemetry started). Only trusted at the top level: inside a mounted router
 * `req.baseUrl` is the matched URL, not its template (`/users/42`, not `/users/:id`), so a
 * route under a mount is reported as unknown rather than as a raw, unbounded path.
 */
export function frameworkRoute(req: IncomingMessage): string | undefined {
  const express = req as IncomingMessage & ExpressRequest;
  if (express.baseUrl !== undefined && express.baseUrl !== '') return undefined;
  return routeTemplate(express.route?.path);
}

/** A route ending in a catch-all wildcard: `/*`, `/*path`, `/api*path`, `/{*path}`, `/(.*)`. */
const CATCH_ALL = /(\*\w*|\{\*\w+\}|\(\.\*\))$/;

/**
 * The route a request is recorded under: a catch-all route that answered 404 is a not-found
 * handler (NestJS's Express adapter registers `*path` under its global prefix; apps write
 * `app.all('*', notFound)`), so it records as unmatched, as the framework's own 404 does.
 * Any other route keeps its template, whatever the status.
 */
export function recordedRoute(route: string | undefined, status: number): string | undefined {
  return status === 404 && route !== undefined && CATCH_ALL.test(route) ? undefined : route;
}
