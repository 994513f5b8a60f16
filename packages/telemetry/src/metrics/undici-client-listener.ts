import diagnosticsChannel from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import type { HttpClientMetrics } from './http-client-metrics.js';

const kStart = Symbol('platform.telemetry.undiciStart');
const kStatus = Symbol('platform.telemetry.undiciStatus');

interface UndiciRequest {
  method: string;
  origin: string;
  [kStart]?: number;
  [kStatus]?: number;
}

/**
 * Feeds undici's (and so global fetch's) diagnostics channels into the client duration
 * histogram: create -> headers (status) -> trailers (end) | error.
 * Returns an unsubscribe function.
 */
export function listenToUndici(metrics: HttpClientMetrics): () => void {
  const onCreate = (msg: unknown): void => {
    const { request } = msg as { request: UndiciRequest };
    request[kStart] = performance.now();
  };
  const onHeaders = (msg: unknown): void => {
    const { request, response } = msg as { request: UndiciRequest; response: { statusCode: number } };
    request[kStatus] = response.statusCode;
  };
  const finish = (request: UndiciRequest, error: Error | undefined): void => {
    const start = request[kStart];
    if (start === undefined) return;
    request[kStart] = undefined;
    metrics.onUndiciEnd(request.method, String(request.origin), request[kStatus], error, start);
  };
  const onTrailers = (msg: unknown): void => finish((msg as { request: UndiciRequest }).request, undefined);
  const onError = (msg: unknown): void => {
    const { request, error } = msg as { request: UndiciRequest; error: Error };
    finish(request, error);
  };
  const subs: Array<[string, (msg: unknown) => void]> = [
    ['undici:request:create', onCreate],
    ['undici:request:headers', onHeaders],
    ['undici:request:trailers', onTrailers],
    ['undici:request:error', onError],
  ];
  for (const [name, fn] of subs) diagnosticsChannel.subscribe(name, fn);
  return () => {
    for (const [name, fn] of subs) diagnosticsChannel.unsubscribe(name, fn);
  };
}
