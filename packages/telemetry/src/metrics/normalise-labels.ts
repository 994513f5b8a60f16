import { KNOWN_HTTP_METHODS, OTHER_HTTP_METHOD, UNMATCHED_ROUTE } from '@platform/conventions';

const KNOWN_METHODS: ReadonlySet<string> = new Set(KNOWN_HTTP_METHODS);

/** Method label value: one of KNOWN_HTTP_METHODS (case-sensitive, as semconv says) or `_OTHER`. */
export function normaliseMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  return KNOWN_METHODS.has(method) ? method : OTHER_HTTP_METHOD;
}

/** Route label value: the matched route template, or UNMATCHED_ROUTE. Never a raw URL. */
export function normaliseRoute(route: string | undefined): string {
  return route ? route : UNMATCHED_ROUTE;
}

/** `error_type` label value for a finished request, or undefined when it was no error. */
export function errorTypeForStatus(status: number): string | undefined {
  return status >= 500 ? String(status) : undefined;
}
