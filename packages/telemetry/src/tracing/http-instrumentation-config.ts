import { errorMonitor } from 'node:events';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Span } from '@opentelemetry/api';
import type { HttpClientMetrics } from '../metrics/http-client-metrics.js';
import { isExportRequest } from './export-agents.js';

/**
 * Config for @opentelemetry/instrumentation-http, used for outgoing requests only (incoming
 * ones are traced by instrumentHttpServers). It records http_client_request_duration_seconds
 * from the instrumentation's own hooks and redacts secret query parameters. The SDK's own OTLP
 * export requests get neither a span nor metrics.
 */
export function httpInstrumentationConfig(input: { client: HttpClientMetrics; redactQueryParams: readonly string[] }): object {
  const { client } = input;
  // The instrumentation matches names exactly; pass common spellings.
  const redacted = [...new Set(input.redactQueryParams.flatMap((p) => [p, p.toUpperCase(), p[0]!.toUpperCase() + p.slice(1)]))];
  return {
    disableIncomingRequestInstrumentation: true,
    redactedQueryParams: redacted,
    ignoreOutgoingRequestHook: (options: { agent?: unknown }): boolean => isExportRequest(options),
    requestHook: (_span: Span, req: ClientRequest | IncomingMessage): void => {
      const request = req as ClientRequest;
      client.onHttpRequestStart(request);
      request.once(errorMonitor, (error: Error) => client.onHttpRequestEnd(request, undefined, error));
    },
    applyCustomAttributesOnSpan: (_span: Span, req: ClientRequest | IncomingMessage, res: IncomingMessage): void => {
      client.onHttpRequestEnd(req as ClientRequest, res);
    },
  };
}
