import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logRecordBatches } from '../../test/support/otlp-arbitraries.js';
import { LogRecordSerializer } from './log-record-serializer.js';

describe('LogRecordSerializer', () => {
  // Byte-for-byte, not decode-and-compare: see span-serializer.property.test.ts.
  it('writes exactly the bytes of @opentelemetry/otlp-transformer for random log record batches', () => {
    const serializer = new LogRecordSerializer();
    fc.assert(
      fc.property(logRecordBatches, (records) => {
        const ours = Buffer.from(serializer.serialize(records));
        const upstream = Buffer.from(ProtobufLogsSerializer.serializeRequest(records) ?? new Uint8Array());
        expect(ours.toString('hex')).toBe(upstream.toString('hex'));
      }),
      { numRuns: 500 },
    );
  });
});
