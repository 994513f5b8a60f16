import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest `capacity` items in order and counts what it overwrote', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.push(1)).toBeUndefined();
    ring.push(2);
    ring.push(3);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect([...ring]).toEqual([3, 4, 5]);
    expect(ring.length).toBe(3);
    expect(ring.dropped).toBe(2);
    expect([ring.at(0), ring.at(2), ring.at(3)]).toEqual([3, 5, undefined]);
  });

  it('findNewest walks newest first and stops at the limit', () => {
    const ring = new RingBuffer<number>(5);
    for (let i = 1; i <= 8; i++) ring.push(i);
    expect(ring.findNewest((n) => n % 2 === 0, 2)).toEqual([8, 6]);
    expect(ring.findNewest(() => true, 100)).toEqual([8, 7, 6, 5, 4]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(RangeError);
  });
});
