import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanBatches } from '../../test/support/otlp-arbitraries.js';
import { SpanSerializer } from './span-serializer.js';

describe('SpanSerializer', () => {
  // Byte-for-byte, not decode-and-compare: both writers emit fields in proto field order with
  // minimal varints, so any difference at all is a difference in what a collector would read.
  it('writes exactly the bytes of @opentelemetry/otlp-transformer for random span batches', () => {
    const serializer = new SpanSerializer();
    fc.assert(
      fc.property(spanBatches, (spans) => {
        const ours = Buffer.from(serializer.serialize(spans));
        const upstream = Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array());
        expect(ours.toString('hex')).toBe(upstream.toString('hex'));
      }),
      { numRuns: 500 },
    );
  });
});
