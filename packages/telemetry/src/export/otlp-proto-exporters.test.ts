import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeLogRecords, makeSpans } from '../../../../bench/workloads/otlp-batches.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../test/support/otlp-receiver.js';
import { createLogExporter, createSpanExporter } from '../tracing/create-exporters.js';
import { LogRecordSerializer } from './log-record-serializer.js';
import { SpanSerializer } from './span-serializer.js';

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.stop();
});
afterEach(() => {
  receiver.setMode('ok');
  receiver.clear();
  vi.restoreAllMocks();
  delete process.env.OTEL_EXPORTER_OTLP_COMPRESSION;
});

const exportOnce = <T>(exporter: { export(items: T[], done: (r: ExportResult) => void): void }, items: T[]) =>
  new Promise<ExportResult>((resolve) => exporter.export(items, resolve));
const config = (path: string) => ({
  endpoint: `${receiver.url}${path}`,
  headers: { 'x-tenant': 'orders' },
  protocol: 'http/protobuf' as const,
  timeoutMs: 5_000,
  tls: {},
});
const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');

describe('OTLP/HTTP protobuf exporters', () => {
  it('send spans encoded by SpanSerializer: upstream bytes, headers and content type, gzip when configured', async () => {
    process.env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
    const serialize = vi.spyOn(SpanSerializer.prototype, 'serialize');
    const exporter = createSpanExporter(config('/v1/traces'));
    const spans = makeSpans(20);
    expect((await exportOnce(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    expect(serialize).toHaveBeenCalledTimes(1);
    expect(receiver.rawBodies).toHaveLength(1);
    const [{ wire, body }] = receiver.rawBodies as [(typeof receiver.rawBodies)[0]];
    expect(wire.subarray(0, 2).toString('hex')).toBe('1f8b'); // gzip, by upstream's transport
    expect(body.toString('hex')).toBe(hex(ProtobufTraceSerializer.serializeRequest(spans)));
    expect(receiver.requests[0]).toMatchObject({ contentType: 'application/x-protobuf', headers: { 'x-tenant': 'orders' } });
    expect(receiver.spans.map((s) => s.name)).toEqual(spans.map((s) => s.name));
    expect(receiver.spans[0]?.attributes['http.route']).toBe(spans[0]?.attributes['http.route']);
  });

  it('send log records encoded by LogRecordSerializer, with upstream bytes', async () => {
    const serialize = vi.spyOn(LogRecordSerializer.prototype, 'serialize');
    const exporter = createLogExporter(config('/v1/logs'));
    const records = makeLogRecords(20);
    expect((await exportOnce(exporter, records)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    expect(serialize).toHaveBeenCalledTimes(1);
    expect(receiver.rawBodies.map((r) => r.body.toString('hex'))).toEqual([hex(ProtobufLogsSerializer.serializeRequest(records))]);
    expect(receiver.logs.map((l) => l.body)).toEqual(records.map((r) => r.body));
    expect(receiver.logs[0]?.traceId).toBe(records[0]?.spanContext?.traceId);
  });

  it('retry a refused batch with its own bytes, although the reused buffer has encoded another batch since', async () => {
    receiver.setMode('429', 1); // the retry comes after the switch to 'ok' below (0 would retry at once and race it)
    const exporter = createSpanExporter(config('/v1/traces'));
    const first = makeSpans(8);
    const second = makeSpans(3);
    const firstDone = exportOnce(exporter, first);
    await vi.waitFor(() => expect(receiver.rawBodies.length).toBeGreaterThan(0));
    receiver.setMode('ok');
    const secondDone = exportOnce(exporter, second); // encoded while the first waits for its retry
    expect((await firstDone).code).toBe(ExportResultCode.SUCCESS);
    expect((await secondDone).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();

    const firstBytes = hex(ProtobufTraceSerializer.serializeRequest(first));
    const bodies = receiver.rawBodies.map((r) => r.body.toString('hex'));
    expect(bodies.filter((b) => b === firstBytes).length).toBeGreaterThanOrEqual(2); // refused, then retried intact
    expect(bodies).toContain(hex(ProtobufTraceSerializer.serializeRequest(second)));
    expect(bodies.every((b) => b === firstBytes || b === hex(ProtobufTraceSerializer.serializeRequest(second)))).toBe(true);
  });
});
