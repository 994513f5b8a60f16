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

describe('SpanSerializer one-pass attributes', () => {
  const [batch] = fc.sample(
    spanBatches.filter((b) => b.length > 0),
    { numRuns: 1, seed: 7 },
  );
  const withAttributes = (attributes: Record<string, unknown>) => [{ ...batch![0]!, attributes }] as unknown as NonNullable<typeof batch>;

  // Around every limit of the one-pass KeyValue writers (one-byte lengths, ASCII only, small
  // non-negative integers): the bytes must still be upstream's, on either side of each limit.
  it.each([
    ['key + value of 120, 121 and 122 characters', { ['k'.repeat(21)]: 'v'.repeat(99), ['a'.repeat(21)]: 'v'.repeat(100), ['b'.repeat(21)]: 'v'.repeat(101) }],
    ['non-ASCII first or last in key or value', { é: 'ascii', ascii: 'é', 'tail-é': 'x', x: 'tail-é', emoji: '🙂', '': '' }],
    [
      'integers at the varint and range limits',
      { zero: 0, negZero: -0, b127: 127, b128: 128, b28: 2 ** 28, max: 2 ** 32 - 1, over: 2 ** 32, neg: -1, frac: 1.5, big: 2 ** 53, nan: Number.NaN },
    ],
    [
      'integer keys of 100, 101 and 118 characters (the widest value), non-ASCII and a lone surrogate',
      { ['k'.repeat(100)]: 2 ** 32 - 1, ['k'.repeat(101)]: 7, ['k'.repeat(118)]: 2 ** 32 - 1, ['k'.repeat(99) + 'é']: 7, '\uD800': 7, lone: '\uDC00' },
    ],
  ])('%s', (_, attributes) => {
    const serializer = new SpanSerializer();
    const spans = withAttributes(attributes);
    expect(ours(serializer, spans)).toBe(upstream(spans));
  });
});
