import type { RandomSource } from '../clock.js';

/**
 * AWS "decorrelated jitter" (Exponential Backoff and Jitter, AWS Architecture Blog):
 *
 *   sleep = min(cap, random_between(base, previousSleep * 3))
 *
 * `previousMs` is the previous sleep (use `baseMs` before the first retry). The result always
 * lies in [min(base, cap), cap].
 */
export function decorrelatedJitter(previousMs: number, baseMs: number, capMs: number, random: RandomSource): number {
  const upper = Math.max(baseMs, previousMs * 3);
  const sleep = baseMs + random() * (upper - baseMs);
  return Math.min(capMs, sleep);
}

/** Stateful helper: successive delays of one call's retries. */
export class DecorrelatedJitterBackoff {
  private previous: number;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
    private readonly random: RandomSource = Math.random,
  ) {
    this.previous = baseMs;
  }

  next(): number {
    const d = decorrelatedJitter(this.previous, this.baseMs, this.capMs, this.random);
    this.previous = d;
    return d;
  }
}
