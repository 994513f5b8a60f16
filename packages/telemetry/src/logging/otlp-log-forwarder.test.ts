import { SeverityNumber } from '@opentelemetry/api-logs';
import { emptyResource } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, SimpleLogRecordProcessor, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import fc from 'fast-check';
import pino, { type Logger } from 'pino';
import { describe, expect, it } from 'vitest';
import type { LogEvent } from './logger.js';
import { createOtlpLogForwarder, LOG_RECORD_ATTRIBUTE_COUNT_LIMIT } from './otlp-log-forwarder.js';

/** A pino logger whose stream hands back what the SDK logger's stream gives its sink. */
function capturingLogger(): { logger: Logger; events: LogEvent[] } {
  const events: LogEvent[] = [];
  let lastFields: Record<string, unknown> = {};
  const stream = {
    [Symbol.for('pino.metadata')]: true,
    write(this: { lastLevel: number; lastMsg: string | undefined; lastTime: string; lastLogger: Logger }, line: string) {
      events.push({ level: this.lastLevel, time: Number(this.lastTime), msg: this.lastMsg, fields: lastFields, logger: this.lastLogger, line });
    },
  };
  const logger = pino({ base: { pid: 1, 'service.name': 'svc' }, formatters: { log: (o) => (lastFields = o) } }, stream as unknown as pino.DestinationStream);
  return { logger, events };
}

async function forward(events: LogEvent[], serializers: () => unknown): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const processor = new SimpleLogRecordProcessor({ exporter });
  const sink = createOtlpLogForwarder({ resource: emptyResource(), scope: { name: 'test' }, processor }, serializers);
  for (const e of events) sink(e);
  await processor.forceFlush();
  return exporter.getFinishedLogRecords();
}

const view = (r: ReadableLogRecord) => ({
  body: r.body,
  severity: r.severityNumber,
  text: r.severityText,
  attributes: r.attributes,
  traceId: r.spanContext?.traceId,
  spanId: r.spanContext?.spanId,
  time: r.hrTime,
});

describe('createOtlpLogForwarder', () => {
  it('builds a record from pino metadata that equals the one read back from the printed line', async () => {
    const key = fc.string({ minLength: 1, maxLength: 8 }).filter((k) => k !== '__proto__');
    const plain = fc.oneof(
      fc.string({ maxLength: 12, unit: 'binary' }),
      fc.integer(),
      fc.double(),
      fc.constantFrom(Infinity, -Infinity, NaN),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(key, plain, { maxKeys: 6 }),
        fc.dictionary(key, fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 3 }),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        fc.constantFrom('debug', 'info', 'warn', 'error', 'fatal'),
        async (fields, bindings, msg, level) => {
          const { logger, events } = capturingLogger();
          logger.level = 'debug';
          const target = Object.keys(bindings).length > 0 ? logger.child({ ...bindings }) : logger;
          const withTrace = { ...fields, trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' };
          if (msg === undefined) target[level](withTrace);
          else target[level](withTrace, msg);
          const root = (logger as unknown as Record<symbol, unknown>)[pino.symbols.serializersSym];
          const fast = (await forward(events, () => root)).map(view);
          const fromLine = (await forward(events, () => 'force the line path')).map(view);
          expect(fast).toEqual(fromLine);
          expect(fast).toHaveLength(1);
          expect(fast[0]!.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads nested objects and errors back from the line, so the record shows what was printed', async () => {
    const { logger, events } = capturingLogger();
    logger.warn({ user: { id: 7, tags: ['a'] }, n: Infinity }, 'nested');
    logger.error(new Error('boom'));
    const [nested, error] = await forward(events, () => (logger as unknown as Record<symbol, unknown>)[pino.symbols.serializersSym]);
    expect(nested!.attributes).toEqual({ user: { id: 7, tags: ['a'] }, n: null });
    expect(nested!.severityNumber).toBe(SeverityNumber.WARN);
    expect(error!.body).toBe('boom');
    expect((error!.attributes.err as Record<string, unknown>).message).toBe('boom');
  });

  it('keeps the logs SDK bound of 128 attributes a record and counts the rest as dropped, on both paths', async () => {
    const { logger, events } = capturingLogger();
    const many = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`k${i}`, i]));
    logger.info(many, 'plain');
    logger.info({ ...many, nested: { a: 1 } }, 'nested');
    const root = (logger as unknown as Record<symbol, unknown>)[pino.symbols.serializersSym];
    const [plain, nested] = await forward(events, () => root);
    expect(Object.keys(plain!.attributes)).toHaveLength(LOG_RECORD_ATTRIBUTE_COUNT_LIMIT);
    expect(plain!.attributes.k127).toBe(127);
    expect(plain!.droppedAttributesCount).toBe(2);
    expect(Object.keys(nested!.attributes)).toHaveLength(LOG_RECORD_ATTRIBUTE_COUNT_LIMIT);
    expect(nested!.droppedAttributesCount).toBe(3);
  });

  it('links a record to the span its ids name only when they are valid, and keeps the line time to the millisecond', async () => {
    const { logger, events } = capturingLogger();
    logger.info({ trace_id: 'not-hex', span_id: 'b7ad6b7169203331' }, 'bad ids');
    logger.info({ trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', trace_flags: '01' }, 'good ids');
    const [bad, good] = await forward(events, () => (logger as unknown as Record<symbol, unknown>)[pino.symbols.serializersSym]);
    expect(bad!.spanContext).toBeUndefined();
    expect(good!.spanContext).toEqual({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: false });
    expect(good!.hrTime[0] * 1000 + good!.hrTime[1] / 1e6).toBe(events[1]!.time);
    expect(good!.hrTimeObserved).toEqual(good!.hrTime);
  });
});
