import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  it('lets low traffic retry through the per-second floor', () => {
    const b = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 0.1 });
    b.onRequest(0);
    expect(b.tryRetry(0)).toBe(true); // floor 0.1/s * 10 s = 1 retry
    expect(b.tryRetry(1)).toBe(false);
  });

  it('allows ratio * requests extra retries over the window', () => {
    const b = new RetryBudget({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 0 });
    for (let i = 0; i < 100; i++) b.onRequest(i * 10);
    let granted = 0;
    while (b.tryRetry(1_000)) granted++;
    expect(granted).toBe(20);
  });

  it('slides: old requests and retries leave the window', () => {
    const b = new RetryBudget({ ratio: 0.5, windowMs: 1_000, minRetriesPerSecond: 0 });
    for (let i = 0; i < 10; i++) b.onRequest(0);
    for (let i = 0; i < 5; i++) expect(b.tryRetry(10)).toBe(true);
    expect(b.tryRetry(10)).toBe(false);
    expect(b.tryRetry(1_500)).toBe(false); // requests expired too
    for (let i = 0; i < 2; i++) b.onRequest(1_600);
    expect(b.tryRetry(1_600)).toBe(true);
    expect(b.tryRetry(1_600)).toBe(false);
  });
});
