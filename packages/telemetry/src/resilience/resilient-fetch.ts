import { HttpStatusError, RetryBudgetExceededError, BreakerOpenError } from './errors/resilience-errors.js';
import { parseRetryAfter } from './retry-after.js';
import { isRetryableStatus } from './retry-policy.js';
import { resilient, type ResilientOptions, type ResilientPolicy } from './resilient.js';

export interface ResilientFetchOptions extends ResilientOptions {
  /** Retry POST/PATCH/... too (default: only GET, HEAD, OPTIONS, PUT, DELETE, TRACE, or any request carrying an Idempotency-Key header). */
  retryNonIdempotent?: boolean;
  /** Dependency name of a URL. Default: its host (`api.example.com:8443`). */
  dependencyName?: (url: URL) => string;
  /** The fetch to wrap. Default: global fetch (undici). */
  fetch?: typeof fetch;
}

export type ResilientFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

function hasIdempotencyKey(init: RequestInit | undefined, request: Request | undefined): boolean {
  if (request?.headers.has('idempotency-key')) return true;
  const h = init?.headers;
  if (!h) return false;
  return new Headers(h).has('idempotency-key');
}

function discard(response: Response | undefined): void {
  response?.body?.cancel().catch(() => undefined);
}

/**
 * A `fetch` with a resilience policy per host (dependency name = host): responses with status
 * 5xx, 408 or 429 count as failures for retry and breaker, `Retry-After` is honoured, the
 * caller's `init.signal` cancels attempts and backoff, and only idempotent methods are retried
 * unless `retryNonIdempotent`. When retries end on such a response (attempts or budget
 * exhausted, or Retry-After too long), that last Response is returned, like plain fetch would.
 * Breaker rejections, timeouts and network errors reject.
 */
export function resilientFetch(options: ResilientFetchOptions = {}): ResilientFetch {
  const { retryNonIdempotent = false, dependencyName = (u: URL) => u.host, fetch: fetchImpl = globalThis.fetch, ...policyOptions } = options;
  const policies = new Map<string, ResilientPolicy>();
  const policyFor = (name: string): ResilientPolicy => {
    let p = policies.get(name);
    if (!p) {
      p = resilient(name, policyOptions);
      policies.set(name, p);
    }
    return p;
  };

  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input instanceof URL ? input.href : input);
    const dependency = dependencyName(url);
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const streamingBody = typeof ReadableStream !== 'undefined' && init?.body instanceof ReadableStream;
    const idempotent = !streamingBody && (retryNonIdempotent || IDEMPOTENT_METHODS.has(method) || hasIdempotencyKey(init, request));
    const callerSignal = init?.signal ?? request?.signal ?? undefined;
    try {
      return await policyFor(dependency).execute(
        async (signal) => {
          const response = await fetchImpl(request ? request.clone() : input, { ...init, signal });
          if (isRetryableStatus(response.status)) {
            throw new HttpStatusError(dependency, response.status, parseRetryAfter(response.headers.get('retry-after')), response);
          }
          return response;
        },
        {
          idempotent,
          ...(callerSignal ? { signal: callerSignal } : {}),
          onRetry: (error) => {
            if (error instanceof HttpStatusError) discard(error.response);
          },
        },
      );
    } catch (error) {
      if (error instanceof HttpStatusError && error.response) return error.response;
      if ((error instanceof RetryBudgetExceededError || error instanceof BreakerOpenError) && error.cause instanceof HttpStatusError && error.cause.response) {
        return error.cause.response;
      }
      throw error;
    }
  };
}
