/** Outcome bits recorded per call in a breaker window. */
export const FAILED = 1;
export const SLOW = 2;

/** Aggregates over the calls currently inside a breaker's sliding window. */
export interface WindowTotals {
  calls: number;
  failures: number;
  slow: number;
}

export interface SlidingWindow {
  record(bits: number, nowMs: number): void;
  totals(nowMs: number): WindowTotals;
  reset(): void;
}

/** Last `size` calls (resilience4j COUNT_BASED): a ring of outcome bits with running totals. */
export class CountWindow implements SlidingWindow {
  private ring: Uint8Array | undefined;
  private next = 0;
  private readonly t: WindowTotals = { calls: 0, failures: 0, slow: 0 };

  constructor(private readonly size: number) {
    if (!(size >= 1)) throw new RangeError('count window size must be >= 1');
  }

  record(bits: number): void {
    // Allocated on first use so thousands of idle breakers stay small.
    const ring = (this.ring ??= new Uint8Array(this.size));
    const t = this.t;
    if (t.calls === this.size) {
      const old = ring[this.next]!;
      if (old & FAILED) t.failures--;
      if (old & SLOW) t.slow--;
    } else {
      t.calls++;
    }
    ring[this.next] = bits;
    if (bits & FAILED) t.failures++;
    if (bits & SLOW) t.slow++;
    this.next = this.next + 1 === this.size ? 0 : this.next + 1;
  }

  totals(): WindowTotals {
    return this.t;
  }

  reset(): void {
    this.ring?.fill(0);
    this.next = 0;
    this.t.calls = 0;
    this.t.failures = 0;
    this.t.slow = 0;
  }
}

const TIME_BUCKETS = 10;

/** Calls of the last `windowMs` (resilience4j TIME_BASED), in 10 buckets. */
export class TimeWindow implements SlidingWindow {
  private readonly bucketMs: number;
  private readonly calls = new Float64Array(TIME_BUCKETS);
  private readonly failures = new Float64Array(TIME_BUCKETS);
  private readonly slow = new Float64Array(TIME_BUCKETS);
  private epoch = -1;
  private readonly t: WindowTotals = { calls: 0, failures: 0, slow: 0 };

  constructor(windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError('time window must be > 0 ms');
    this.bucketMs = windowMs / TIME_BUCKETS;
  }

  record(bits: number, nowMs: number): void {
    const i = this.rotate(nowMs);
    this.calls[i]! += 1;
    if (bits & FAILED) this.failures[i]! += 1;
    if (bits & SLOW) this.slow[i]! += 1;
  }

  totals(nowMs: number): WindowTotals {
    this.rotate(nowMs);
    let c = 0;
    let f = 0;
    let s = 0;
    for (let i = 0; i < TIME_BUCKETS; i++) {
      c += this.calls[i]!;
      f += this.failures[i]!;
      s += this.slow[i]!;
    }
    this.t.calls = c;
    this.t.failures = f;
    this.t.slow = s;
    return this.t;
  }

  reset(): void {
    this.calls.fill(0);
    this.failures.fill(0);
    this.slow.fill(0);
    this.epoch = -1;
  }

  private rotate(nowMs: number): number {
    const e = Math.floor(nowMs / this.bucketMs);
    if (e !== this.epoch) {
      if (this.epoch < 0 || e - this.epoch >= TIME_BUCKETS || e < this.epoch) {
        this.calls.fill(0);
        this.failures.fill(0);
        this.slow.fill(0);
      } else {
        for (let k = this.epoch + 1; k <= e; k++) {
          const j = k % TIME_BUCKETS;
          this.calls[j] = 0;
          this.failures[j] = 0;
          this.slow[j] = 0;
        }
      }
      this.epoch = e;
    }
    return e % TIME_BUCKETS;
  }
}
