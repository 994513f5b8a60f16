/** Label names, mapped from OpenTelemetry attribute names (dots become underscores). */
export const LABEL = {
  /** Set by Prometheus / the collector scrape from the service name. */
  job: 'job',
  instance: 'instance',
  httpRequestMethod: 'http_request_method',
  httpRoute: 'http_route',
  httpResponseStatusCode: 'http_response_status_code',
  errorType: 'error_type',
  urlScheme: 'url_scheme',
  serverAddress: 'server_address',
  serverPort: 'server_port',
  dependency: 'dependency',
  outcome: 'outcome',
  fromState: 'from_state',
  toState: 'to_state',
  gcType: 'v8js_gc_type',
  /** The metric and label a bound applied to (telemetry_label_values_overflow_total). */
  metric: 'metric',
  label: 'label',
  heapSpace: 'v8js_heap_space_name',
} as const;

export type LabelName = (typeof LABEL)[keyof typeof LABEL];

/**
 * `http_route` value used when a request matched no route template. Raw URLs never become
 * label values, so 10,000 distinct unknown paths still produce one series per method/status.
 */
export const UNMATCHED_ROUTE = 'unmatched';

/** HTTP methods kept as label values; anything else is recorded as `_OTHER` (semconv). */
export const KNOWN_HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;
export const OTHER_HTTP_METHOD = '_OTHER';

/**
 * Label value that replaces new values once a label of a metric reached its cap on distinct
 * values (labels that follow what a remote party controls, e.g. the host/port an app calls).
 */
export const OVERFLOW_LABEL_VALUE = '_other';
