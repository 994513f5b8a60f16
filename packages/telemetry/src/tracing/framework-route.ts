import type { IncomingMessage } from 'node:http';

interface ExpressRequest {
  route?: { path?: unknown };
  baseUrl?: string;
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
  const path = express.route?.path;
  if (path === undefined || (express.baseUrl !== undefined && express.baseUrl !== '')) return undefined;
  if (typeof path === 'string') return path;
  if (path instanceof RegExp) return String(path);
  if (Array.isArray(path) && path.every((p) => typeof p === 'string')) return path.join(',');
  return undefined;
}
