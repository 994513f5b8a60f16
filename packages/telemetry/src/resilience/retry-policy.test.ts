import { describe, expect, it } from 'vitest';
import { BreakerOpenError, HttpStatusError, TimeoutError } from './errors/index.js';
import { parseRetryAfter } from './retry-after.js';
import { RetryPolicy, isRetryableError } from './retry-policy.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP-date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores absent or malformed values', () => {
    for (const v of [undefined, null, '', '-1', '1.5', 'soon']) expect(parseRetryAfter(v, now)).toBeUndefined();
  });
});

describe('isRetryableError', () => {
  const status = (s: number) => Object.assign(new Error('http'), { status: s });
  it('retries 5xx, 408, 429, timeouts, network errors and unknown errors', () => {
    for (const e of [status(500), status(503), status(408), status(429), new TimeoutError('d', 10), new Error('boom')]) {
      expect(isRetryableError(e)).toBe(true);
    }
    const undici = new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(isRetryableError(undici)).toBe(true);
    expect(isRetryableError(new HttpStatusError('d', 502, undefined))).toBe(true);
  });
  it('does not retry other 4xx, breaker rejections or aborts', () => {
    for (const e of [status(400), status(404), Object.assign(new Error(), { statusCode: 422 }), new BreakerOpenError('d', 'open', 5)]) {
      expect(isRetryableError(e)).toBe(false);
    }
    expect(isRetryableError(new DOMException('x', 'AbortError'))).toBe(false);
  });
});

describe('RetryPolicy.nextDelay', () => {
  const err = new Error('boom');
  it('stops after maxAttempts', () => {
    const p = new RetryPolicy({ maxAttempts: 3, random: () => 0 });
    expect(p.nextDelay(err, 1, 0, true)).toBe(100);
    expect(p.nextDelay(err, 2, 100, true)).toBe(100);
    expect(p.nextDelay(err, 3, 100, true)).toBe(-1);
  });
  it('uses decorrelated jitter bounded by maxDelayMs', () => {
    const p = new RetryPolicy({ maxAttempts: 10, baseDelayMs: 50, maxDelayMs: 400, random: () => 0.99 });
    let d = 0;
    for (let a = 1; a < 8; a++) {
      const n = p.nextDelay(err, a, d, true);
      expect(n).toBeGreaterThanOrEqual(50);
      expect(n).toBeLessThanOrEqual(400);
      d = n;
    }
    expect(d).toBe(400);
  });
  it('honours Retry-After up to maxRetryAfterMs and gives up beyond it', () => {
    const p = new RetryPolicy({ maxDelayMs: 2_000 });
    expect(p.nextDelay(new HttpStatusError('d', 429, 1_500), 1, 0, true)).toBe(1_500);
    expect(p.nextDelay(new HttpStatusError('d', 503, 2_001), 1, 0, true)).toBe(-1);
    const lenient = new RetryPolicy({ maxDelayMs: 2_000, maxRetryAfterMs: 60_000 });
    expect(lenient.nextDelay(new HttpStatusError('d', 503, 30_000), 1, 0, true)).toBe(30_000);
  });
  it('retries non-idempotent calls only when the request never left', () => {
    const p = new RetryPolicy({ random: () => 0 });
    expect(p.nextDelay(Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 1, 0, false)).toBe(-1);
    expect(p.nextDelay(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 1, 0, false)).toBe(100);
  });
  it('applies a custom predicate', () => {
    const p = new RetryPolicy({ retryOn: (e) => e instanceof RangeError, random: () => 0 });
    expect(p.nextDelay(new RangeError('x'), 1, 0, true)).toBe(100);
    expect(p.nextDelay(new Error('x'), 1, 0, true)).toBe(-1);
  });
});
