/**
 * PLATFORM_TRUST_INCOMING_CONTEXT: a real server (instrumented) that calls a real downstream
 * server, propagating the request's context as the client instrumentation does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpServerMetrics } from '../metrics/http-server-metrics.js';
import { instrumentHttpServers } from './http-server-instrumentation.js';

const exporter = new InMemorySpanExporter();
// BasicTracerProvider's default sampler is parentbased_always_on, the SDK's default too.
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const INCOMING_TRACE = '0af7651916cd43dd8448eb211c80319c';
const INCOMING_SPAN = 'b7ad6b7169203331';

let downstream: http.Server;
let edge: http.Server;
let edgeUrl: string;
let downstreamHeaders: http.IncomingHttpHeaders[] = [];
let handlerTraceIds: string[] = [];
let uninstall: (() => void) | undefined;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }));
  downstream = http.createServer((req, res) => {
    downstreamHeaders.push(req.headers);
    res.end('ok');
  });
  await new Promise<void>((r) => downstream.listen(0, '127.0.0.1', r));
  const downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/inventory`;
  edge = http.createServer((_req, res) => {
    handlerTraceIds.push(trace.getActiveSpan()?.spanContext().traceId ?? '');
    // What the client instrumentation does for every outgoing call: inject the active context.
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    fetch(downstreamUrl, { headers })
      .then((r) => r.text())
      .then(
        () => res.end('done'),
        () => res.end('failed'),
      );
  });
  await new Promise<void>((r) => edge.listen(0, '127.0.0.1', r));
  edgeUrl = `http://127.0.0.1:${(edge.address() as AddressInfo).port}/orders`;
});
afterAll(async () => {
  await new Promise((r) => edge.close(r));
  await new Promise((r) => downstream.close(r));
  context.disable();
  propagation.disable();
});
afterEach(() => {
  uninstall?.();
  exporter.reset();
  downstreamHeaders = [];
  handlerTraceIds = [];
});

function instrument(trustIncomingContext: boolean | undefined): void {
  uninstall = instrumentHttpServers({
    tracer: provider.getTracer('test'),
    metrics: new HttpServerMetrics(new Registry()),
    ignore: () => false,
    ...(trustIncomingContext === undefined ? {} : { trustIncomingContext }),
  });
}

async function callEdge(): Promise<void> {
  const res = await fetch(edgeUrl, {
    headers: { traceparent: `00-${INCOMING_TRACE}-${INCOMING_SPAN}-00`, baggage: 'user.id=victim,role=admin' },
  });
  expect(await res.text()).toBe('done');
  for (let i = 0; i < 50 && !exporter.getFinishedSpans().some((s) => s.attributes['url.path'] === '/orders'); i++) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('PLATFORM_TRUST_INCOMING_CONTEXT', () => {
  it('default (trusted): the caller decides sampling and trace id, and its baggage is forwarded', async () => {
    instrument(undefined);
    await callEdge();
    expect(handlerTraceIds).toEqual([INCOMING_TRACE]);
    expect(exporter.getFinishedSpans()).toHaveLength(0); // `-00` suppressed the edge span (and the downstream one)
    expect(downstreamHeaders[0]!.baggage).toContain('user.id=victim');
    expect(downstreamHeaders[0]!.traceparent).toContain(INCOMING_TRACE);
  });

  it('false (edge): a new sampled root trace with the caller as a link; the caller baggage goes nowhere', async () => {
    instrument(false);
    await callEdge();
    // The downstream server is instrumented too (same process); the edge span is the /orders one.
    const span = exporter.getFinishedSpans().find((s) => s.attributes['url.path'] === '/orders');
    expect(span).toBeDefined();
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.spanContext().traceId).not.toBe(INCOMING_TRACE);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.links.map((l) => [l.context.traceId, l.context.spanId])).toEqual([[INCOMING_TRACE, INCOMING_SPAN]]);
    expect(handlerTraceIds).toEqual([span!.spanContext().traceId]);
    expect(downstreamHeaders[0]!.baggage).toBeUndefined();
    expect(downstreamHeaders[0]!.traceparent).toContain(span!.spanContext().traceId);
    expect(downstreamHeaders[0]!.traceparent).not.toContain(INCOMING_TRACE);
  });
});
