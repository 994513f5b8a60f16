import type { RandomSource } from './clock.js';
import { decorrelatedJitter } from './backoff/decorrelated-jitter.js';
import { BreakerOpenError, HttpStatusError, RetryBudgetExceededError, TimeoutError } from './errors/resilience-errors.js';
import type { RetryBudgetOptions } from './retry-budget.js';

/** Decides whether an error is worth another attempt (`attempt` = attempts made so far). */
export type RetryPredicate = (error: unknown, attempt: number) => boolean;

export interface RetryOptions {
  /** Total attempts including the first. Default 3. `1` disables retries. */
  maxAttempts?: number;
  /** Base (and minimum) backoff delay. Default 100 ms. */
  baseDelayMs?: number;
  /** Upper bound of any backoff delay. Default 5 000 ms. */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends the call without retrying. Default maxDelayMs. */
  maxRetryAfterMs?: number;
  /** Which errors are retried. Default `isRetryableError`. */
  retryOn?: RetryPredicate;
  /**
   * Whether calls are idempotent (safe to repeat after a request may have reached the server).
   * Default true for `execute`; non-idempotent calls are only retried when the request provably
   * never left (connection refused). Overridable per call.
   */
  idempotent?: boolean;
  /** Per-dependency retry budget; `false` disables it. Default 20 % over 10 s, floor 1 retry/s. */
  budget?: RetryBudgetOptions | false;
  /** Random source for jitter (tests). Default Math.random. */
  random?: RandomSource;
}

export const RETRY_DEFAULTS = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 5_000 } as const;

/** Error codes of failures at the network layer (Node net/dns and undici). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Codes meaning the request certainly never reached the server (safe to retry even if not idempotent). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** HTTP statuses worth retrying: 5xx, 408 Request Timeout, 429 Too Many Requests. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

function prop(e: unknown, key: string): unknown {
  return typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
}

/** `code` of the error or of its cause chain (undici wraps socket errors in TypeError('fetch failed')). */
export function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 4 && e != null; i++) {
    const code = prop(e, 'code');
    if (typeof code === 'string') return code;
    e = prop(e, 'cause');
  }
  return undefined;
}

/** HTTP status carried by an error (`status`, `statusCode` or `response.status`), if any. */
export function errorStatus(error: unknown): number | undefined {
  if (error instanceof HttpStatusError) return error.status;
  for (const v of [prop(error, 'status'), prop(error, 'statusCode'), prop(prop(error, 'response'), 'status')]) {
    if (typeof v === 'number' && v >= 100 && v <= 599) return v;
  }
  return undefined;
}

export function isNetworkError(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NETWORK_CODES.has(code);
}

/**
 * Default retry predicate: per-attempt timeouts, network errors, 5xx/408/429 are retried;
 * other HTTP 4xx, breaker rejections, budget exhaustion and aborts are not; any other error
 * (no status, no known code) is retried.
 */
export function isRetryableError(error: unknown): boolean {
  if (error instanceof TimeoutError) return true;
  if (error instanceof BreakerOpenError || error instanceof RetryBudgetExceededError) return false;
  const name = prop(error, 'name');
  if (name === 'AbortError') return false;
  const status = errorStatus(error);
  if (status !== undefined) return isRetryableStatus(status);
  return true;
}

/** True when the request provably never reached the server. */
export function wasNeverSent(error: unknown): boolean {
  const code = errorCode(error);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** `Retry-After` carried by an error (HttpStatusError, or any error with a numeric `retryAfterMs`). */
export function retryAfterOf(error: unknown): number | undefined {
  const v = prop(error, 'retryAfterMs');
  return typeof v === 'number' && v >= 0 ? v : undefined;
}

/** Resolved retry settings (one per policy). */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterMs: number;
  readonly retryOn: RetryPredicate;
  readonly idempotent: boolean;
  readonly random: RandomSource;

  constructor(options: RetryOptions = {}) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts));
    this.baseDelayMs = Math.max(0, options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs);
    this.maxDelayMs = Math.max(this.baseDelayMs, options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs);
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? this.maxDelayMs;
    this.retryOn = options.retryOn ?? ((e) => isRetryableError(e));
    this.idempotent = options.idempotent ?? true;
    this.random = options.random ?? Math.random;
  }

  /**
   * Delay before the next attempt, or -1 to stop: `attempt` attempts were made, the last failed
   * with `error`, `previousDelayMs` was the previous backoff (0 before the first retry).
   */
  nextDelay(error: unknown, attempt: number, previousDelayMs: number, idempotent: boolean): number {
    if (attempt >= this.maxAttempts) return -1;
    if (!idempotent && !wasNeverSent(error)) return -1;
    if (!this.retryOn(error, attempt)) return -1;
    const retryAfter = retryAfterOf(error);
    if (retryAfter !== undefined) return retryAfter > this.maxRetryAfterMs ? -1 : retryAfter;
    return decorrelatedJitter(previousDelayMs || this.baseDelayMs, this.baseDelayMs, this.maxDelayMs, this.random);
  }
}
