import { HTTP_DURATION_BUCKETS_SECONDS } from './buckets.js';
import { LABEL } from './labels.js';
import type { MetricDefinition } from './metric-definition.js';

export const HTTP_SERVER_REQUEST_DURATION = {
  name: 'http_server_request_duration_seconds',
  type: 'histogram',
  help: 'Duration of HTTP server requests.',
  unit: 'seconds',
  labels: [LABEL.httpRequestMethod, LABEL.httpRoute, LABEL.httpResponseStatusCode, LABEL.errorType],
  optionalLabels: [LABEL.errorType],
  buckets: HTTP_DURATION_BUCKETS_SECONDS,
  otelName: 'http.server.request.duration',
} as const satisfies MetricDefinition;

export const HTTP_SERVER_ACTIVE_REQUESTS = {
  name: 'http_server_active_requests',
  type: 'gauge',
  help: 'Number of active HTTP server requests.',
  unit: 'requests',
  labels: [LABEL.httpRequestMethod, LABEL.urlScheme],
  otelName: 'http.server.active_requests',
} as const satisfies MetricDefinition;

export const HTTP_CLIENT_REQUEST_DURATION = {
  name: 'http_client_request_duration_seconds',
  type: 'histogram',
  help: 'Duration of HTTP client requests.',
  unit: 'seconds',
  labels: [LABEL.httpRequestMethod, LABEL.serverAddress, LABEL.serverPort, LABEL.httpResponseStatusCode, LABEL.errorType],
  optionalLabels: [LABEL.httpResponseStatusCode, LABEL.errorType],
  buckets: HTTP_DURATION_BUCKETS_SECONDS,
  otelName: 'http.client.request.duration',
} as const satisfies MetricDefinition;
