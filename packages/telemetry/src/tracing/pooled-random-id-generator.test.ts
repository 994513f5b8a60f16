import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PooledRandomIdGenerator } from './pooled-random-id-generator.js';

describe('PooledRandomIdGenerator', () => {
  it('makes valid W3C ids, lowercase hex, distinct across several refills of its pool', () => {
    const ids = new PooledRandomIdGenerator();
    const traceIds = new Set<string>();
    const spanIds = new Set<string>();
    // 4 KiB pool: 20,000 span ids and 2,000 trace ids take about 45 refills.
    for (let i = 0; i < 20_000; i++) {
      const spanId = ids.generateSpanId();
      expect(spanId).toMatch(/^[0-9a-f]{16}$/);
      spanIds.add(spanId);
      if (i % 10 === 0) {
        const traceId = ids.generateTraceId();
        expect(traceId).toMatch(/^[0-9a-f]{32}$/);
        traceIds.add(traceId);
      }
    }
    expect(spanIds.size).toBe(20_000);
    expect(traceIds.size).toBe(2_000);
  });

  it('writes each byte as its two hex digits, in order', () => {
    const ids = new PooledRandomIdGenerator((pool) => {
      for (let i = 0; i < pool.length; i++) pool[i] = (i * 37 + 11) & 0xff;
    });
    const expected = (from: number, n: number): string =>
      Array.from({ length: n }, (_, k) => (((from + k) * 37 + 11) & 0xff).toString(16).padStart(2, '0')).join('');
    expect(ids.generateTraceId()).toBe(expected(0, 16));
    expect(ids.generateSpanId()).toBe(expected(16, 8));
  });

  it('never returns an all-zero id (invalid in W3C trace context): the last byte becomes 1, as in the SDK', () => {
    const ids = new PooledRandomIdGenerator((pool) => pool.fill(0));
    const traceId = ids.generateTraceId();
    const spanId = ids.generateSpanId();
    expect(isValidTraceId(traceId) && traceId).toBe(`${'0'.repeat(31)}1`);
    expect(isValidSpanId(spanId) && spanId).toBe(`${'0'.repeat(15)}1`);
  });
});
