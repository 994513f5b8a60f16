/** Label names, mapped from OpenTelemetry attribute names (dots become underscores). */
export const LABEL = {
  /** Set by Prometheus / the collector scrape from the service name. */
  job: 'job',
  instance: 'instance',
  /** Which ingestion path wrote a series; set by the scraper (collector or Prometheus), never by the service. */
  telemetrySource: 'telemetry_source',
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
 * `telemetry_source` values. The SLO rules and dashboards read only series whose source is
 * `scrape`: the collector's Prometheus receiver (or Prometheus itself) sets it as a target label,
 * which a scraped service cannot override (honor_labels is off, so an exposed `telemetry_source`
 * becomes `exported_telemetry_source`). Metrics pushed over OTLP into the agent are stamped `otlp`
 * whatever they claim, so a forged OTLP write cannot add to or dilute an SLO.
 */
export const TELEMETRY_SOURCE = { scrape: 'scrape', otlp: 'otlp' } as const;

/**
 * Label value that replaces new values once a label of a metric reached its cap on distinct
 * values (labels that follow what a remote party controls, e.g. the host/port an app calls).
 */
export const OVERFLOW_LABEL_VALUE = '_other';
