import { context, defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createPropagator } from './create-propagator.js';

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const SPAN_ID = 'b7ad6b7169203331';
const sampled = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED, isRemote: false });
const withBaggage = propagation.setBaggage(sampled, propagation.createBaggage({ tenant: { value: 'acme' } }));

function inject(names: Parameters<typeof createPropagator>[0]): Record<string, string> {
  const carrier: Record<string, string> = {};
  createPropagator(names).inject(withBaggage, carrier, defaultTextMapSetter);
  return carrier;
}

function extract(names: Parameters<typeof createPropagator>[0], headers: Record<string, string>) {
  const ctx = createPropagator(names).extract(context.active(), headers, defaultTextMapGetter);
  return { span: trace.getSpanContext(ctx), baggage: propagation.getBaggage(ctx)?.getEntry('tenant')?.value };
}

describe('createPropagator', () => {
  it('tracecontext + baggage (the default) writes traceparent and baggage, nothing else', () => {
    expect(inject(['tracecontext', 'baggage'])).toEqual({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'tenant=acme' });
  });

  it('b3 writes the single b3 header, b3multi the X-B3-* headers, jaeger uber-trace-id', () => {
    expect(inject(['b3'])).toEqual({ b3: `${TRACE_ID}-${SPAN_ID}-1` });
    expect(inject(['b3multi'])).toEqual({ 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' });
    expect(inject(['jaeger'])).toEqual(expect.objectContaining({ 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:01` }));
  });

  it('reads the formats it was given, and only those', () => {
    expect(extract(['b3'], { b3: `${TRACE_ID}-${SPAN_ID}-1` }).span).toEqual(expect.objectContaining({ traceId: TRACE_ID, spanId: SPAN_ID, isRemote: true }));
    expect(extract(['b3multi'], { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' }).span?.traceId).toBe(TRACE_ID);
    expect(extract(['tracecontext'], { b3: `${TRACE_ID}-${SPAN_ID}-1` }).span).toBeUndefined();
    expect(extract(['b3'], { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` }).span).toBeUndefined();
    expect(extract(['tracecontext', 'baggage'], { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, baggage: 'tenant=acme' }).baggage).toBe('acme');
  });

  it('none: propagates nothing either way', () => {
    expect(inject([])).toEqual({});
    expect(extract([], { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, b3: `${TRACE_ID}-${SPAN_ID}-1` }).span).toBeUndefined();
  });
});
