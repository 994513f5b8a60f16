import type { Clock } from './clock.js';

export interface RetryBudgetOptions {
  /** Retries may add at most this share of extra load over the window. Default 0.2 (20 %). */
  ratio?: number;
  /** Sliding window length. Default 10 000 ms. */
  windowMs?: number;
  /** Floor so low-traffic dependencies can still retry: retries/second always allowed. Default 1. */
  minRetriesPerSecond?: number;
}

export const RETRY_BUDGET_DEFAULTS = { ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 1 } as const;

const BUCKETS = 10;

/**
 * Sliding-window retry budget (Finagle / gRPC style): over the last `windowMs`,
 *   retries <= minRetriesPerSecond * windowSeconds + ratio * requests
 * where requests are first attempts. The window is 10 buckets; recording a request is a couple
 * of integer operations (hot path), checking a retry sums the buckets (retry path only).
 */
export class RetryBudget {
  readonly ratio: number;
  readonly windowMs: number;
  readonly minRetriesPerSecond: number;
  private readonly bucketMs: number;
  private readonly requests = new Float64Array(BUCKETS);
  private readonly retries = new Float64Array(BUCKETS);
  private epoch = -1;

  constructor(options: RetryBudgetOptions = {}) {
    this.ratio = options.ratio ?? RETRY_BUDGET_DEFAULTS.ratio;
    this.windowMs = options.windowMs ?? RETRY_BUDGET_DEFAULTS.windowMs;
    this.minRetriesPerSecond = options.minRetriesPerSecond ?? RETRY_BUDGET_DEFAULTS.minRetriesPerSecond;
    if (!(this.ratio >= 0) || !(this.windowMs > 0) || !(this.minRetriesPerSecond >= 0)) {
      throw new RangeError('retry budget: ratio >= 0, windowMs > 0 and minRetriesPerSecond >= 0 required');
    }
    this.bucketMs = this.windowMs / BUCKETS;
  }

  /** Records one call (first attempt). */
  onRequest(nowMs: number): void {
    const e = Math.floor(nowMs / this.bucketMs);
    if (e !== this.epoch) this.advance(e);
    this.requests[e % BUCKETS]! += 1;
  }

  /** Takes one retry from the budget; false when exhausted (nothing recorded then). */
  tryRetry(nowMs: number): boolean {
    if (this.headroom(nowMs) < 1 - 1e-9) return false;
    this.retries[this.epoch % BUCKETS]! += 1;
    return true;
  }

  /** Retries still available in the current window (for inspection and tests). */
  available(clock: Clock): number {
    return Math.max(0, Math.floor(this.headroom(clock.now()) + 1e-9));
  }

  /** Retries allowed in the window at `nowMs` minus retries already made (may be fractional). */
  private headroom(nowMs: number): number {
    const e = Math.floor(nowMs / this.bucketMs);
    if (e !== this.epoch) this.advance(e);
    let req = 0;
    let ret = 0;
    for (let i = 0; i < BUCKETS; i++) {
      req += this.requests[i]!;
      ret += this.retries[i]!;
    }
    return this.minRetriesPerSecond * (this.windowMs / 1000) + this.ratio * req - ret;
  }

  private advance(e: number): void {
    if (this.epoch < 0 || e - this.epoch >= BUCKETS || e < this.epoch) {
      this.requests.fill(0);
      this.retries.fill(0);
    } else {
      for (let k = this.epoch + 1; k <= e; k++) {
        this.requests[k % BUCKETS] = 0;
        this.retries[k % BUCKETS] = 0;
      }
    }
    this.epoch = e;
  }
}
