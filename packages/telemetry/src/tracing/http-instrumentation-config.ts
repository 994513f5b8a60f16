import { errorMonitor } from 'node:events';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { HttpClientMetrics } from '../metrics/http-client-metrics.js';
import type { HttpServerMetrics } from '../metrics/http-server-metrics.js';

function isClientRequest(req: ClientRequest | IncomingMessage): req is ClientRequest {
  return typeof (req as ClientRequest).getHeader === 'function';
}

/**
 * Config for @opentelemetry/instrumentation-http that records the HTTP metrics from the
 * instrumentation's own hooks (no second set of listeners on the hot server path), ignores
 * /metrics scrapes and redacts secret query parameters.
 */
export function httpInstrumentationConfig(input: {
  server: HttpServerMetrics;
  client: HttpClientMetrics;
  ignoreIncoming: (req: IncomingMessage) => boolean;
  redactQueryParams: readonly string[];
}): object {
  const { server, client } = input;
  // The instrumentation matches names exactly; pass common spellings.
  const redacted = [...new Set(input.redactQueryParams.flatMap((p) => [p, p.toUpperCase(), p[0]!.toUpperCase() + p.slice(1)]))];
  return {
    ignoreIncomingRequestHook: input.ignoreIncoming,
    redactedQueryParams: redacted,
    redactedQueryParamsServer: redacted,
    requestHook: (_span: Span, req: ClientRequest | IncomingMessage): void => {
      if (isClientRequest(req)) {
        client.onHttpRequestStart(req);
        req.once(errorMonitor, (error: Error) => client.onHttpRequestEnd(req, undefined, error));
      } else {
        server.onRequestStart(req);
      }
    },
    applyCustomAttributesOnSpan: (
      span: Span,
      req: ClientRequest | IncomingMessage,
      res: IncomingMessage | ServerResponse,
    ): void => {
      if (isClientRequest(req)) client.onHttpRequestEnd(req, res as IncomingMessage);
      else server.onResponseFinish(span, req, res as ServerResponse);
    },
  };
}
