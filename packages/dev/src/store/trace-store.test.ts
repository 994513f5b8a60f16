import { describe, expect, it } from 'vitest';
import type { DevSpan } from '../model.js';
import { TraceStore } from './trace-store.js';

function span(traceDigit: string, spanNo: number, extra: Partial<DevSpan> = {}): DevSpan {
  return {
    traceId: traceDigit.repeat(32),
    spanId: spanNo.toString(16).padStart(16, '0'),
    parentSpanId: '',
    name: `s${spanNo}`,
    kind: 1,
    service: 'svc',
    scope: '',
    startMs: 1000 + spanNo,
    durationMs: 10,
    statusCode: 0,
    statusMessage: '',
    attributes: {},
    resource: {},
    events: [],
    linkCount: 0,
    truncated: false,
    ...extra,
  };
}

describe('TraceStore', () => {
  it('maxTraces alone: the oldest trace goes as a whole', () => {
    const store = new TraceStore({ maxTraces: 2, maxSpans: 1_000 });
    store.add(span('1', 1), 0);
    store.add(span('1', 2), 0);
    store.add(span('2', 3), 0);
    store.add(span('3', 4), 0);
    expect(store.get('1'.repeat(32))).toBeUndefined();
    expect([store.traceCount, store.heldSpans, store.droppedTraces, store.droppedSpans]).toEqual([2, 2, 1, 2]);
  });

  it('a span of an old trace that is still held keeps the trace (eviction is by first arrival)', () => {
    const store = new TraceStore({ maxTraces: 2, maxSpans: 1_000 });
    store.add(span('1', 1), 0);
    store.add(span('2', 2), 0);
    store.add(span('1', 3), 0);
    store.add(span('3', 4), 0);
    expect(store.get('1'.repeat(32))).toBeUndefined();
    expect(store.get('2'.repeat(32))?.spans).toHaveLength(1);
  });

  it('one trace never exceeds maxSpans; the excess is counted dropped', () => {
    const store = new TraceStore({ maxTraces: 10, maxSpans: 3 });
    for (let i = 1; i <= 5; i++) store.add(span('1', i), 0);
    expect(store.get('1'.repeat(32))?.spans).toHaveLength(3);
    expect(store.droppedSpans).toBe(2);
  });

  it('root, time range and error count follow the spans as they arrive in any order', () => {
    const store = new TraceStore({ maxTraces: 10, maxSpans: 100 });
    store.add(span('1', 5, { parentSpanId: '0000000000000001', startMs: 1_010, durationMs: 5 }), 0);
    store.add(span('1', 6, { parentSpanId: '0000000000000001', startMs: 1_012, durationMs: 50, statusCode: 2 }), 0);
    store.add(span('1', 1, { startMs: 1_000, durationMs: 40, kind: 2, attributes: { 'http.response.status_code': 503 } }), 0);
    const entry = store.get('1'.repeat(32))!;
    expect(entry.root.spanId).toBe('0000000000000001');
    expect([entry.startMs, entry.endMs, entry.errorCount]).toEqual([1_000, 1_062, 2]);
  });
});
