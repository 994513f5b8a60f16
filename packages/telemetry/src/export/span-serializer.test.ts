import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spanBatches } from '../../test/support/otlp-arbitraries.js';
import { SpanSerializer } from './span-serializer.js';

const upstream = (spans: Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0]) =>
  Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array()).toString('hex');
const ours = (serializer: SpanSerializer, spans: Parameters<SpanSerializer['serialize']>[0]) => Buffer.from(serializer.serialize(spans)).toString('hex');

describe('SpanSerializer buffer reuse', () => {
  const [small] = fc.sample(
    spanBatches.filter((b) => b.length > 0),
    { numRuns: 1, seed: 42 },
  );

  it('encodes a batch larger than the retained buffer (multi-byte length prefixes), then small batches again', () => {
    const serializer = new SpanSerializer();
    const huge = small!.map((span, i) => (i === 0 ? { ...span, attributes: { big: 'x'.repeat(3 * 1024 * 1024), ü: 'é'.repeat(70_000) } } : span));
    expect(ours(serializer, huge!)).toBe(upstream(huge!));
    expect(ours(serializer, small!)).toBe(upstream(small!));
  });

  it('starts the next batch clean after a batch whose serialization threw', () => {
    const serializer = new SpanSerializer();
    const broken = [
      ...small!,
      {
        ...small![0]!,
        spanContext: () => {
          throw new Error('broken span');
        },
      },
    ] as typeof small;
    expect(() => serializer.serialize(broken!)).toThrow('broken span');
    expect(ours(serializer, small!)).toBe(upstream(small!));
  });
});
