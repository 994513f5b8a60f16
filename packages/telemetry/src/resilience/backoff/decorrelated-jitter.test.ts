import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecorrelatedJitterBackoff, decorrelatedJitter } from './decorrelated-jitter.js';

describe('decorrelatedJitter', () => {
  it('spans [base, prev*3] and is capped', () => {
    expect(decorrelatedJitter(100, 100, 10_000, () => 0)).toBe(100);
    expect(decorrelatedJitter(100, 100, 10_000, () => 0.999999)).toBeCloseTo(300, 2);
    expect(decorrelatedJitter(1_000, 100, 10_000, () => 0.5)).toBe(1_550);
    expect(decorrelatedJitter(5_000, 100, 2_000, () => 0.9)).toBe(2_000);
  });

  it('grows at most 3x per step from a deterministic random source', () => {
    const seq = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9];
    const b = new DecorrelatedJitterBackoff(100, 5_000, () => seq.shift() ?? 0);
    const delays = Array.from({ length: 6 }, () => b.next());
    expect(delays[0]).toBeCloseTo(280);
    expect(delays[1]).toBeCloseTo(100 + 0.9 * (840 - 100));
    expect(delays.at(-1)).toBe(5_000);
  });

  it('property: always within [min(base,cap), cap] and <= max(base, 3*prev)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (prev, base, cap, r) => {
          const d = decorrelatedJitter(prev, base, cap, () => r);
          expect(d).toBeGreaterThanOrEqual(Math.min(base, cap));
          expect(d).toBeLessThanOrEqual(cap);
          expect(d).toBeLessThanOrEqual(Math.max(base, prev * 3) + 1e-9);
        },
      ),
    );
  });
});
