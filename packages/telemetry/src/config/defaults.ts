/** Keys whose values never reach a log line (matched case-insensitively, at any depth). */
export const DEFAULT_REDACT_KEYS: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'password',
  'passwd',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'x-api-key',
  'secret',
  'client_secret',
]);

/** Query parameters replaced by `REDACTED` in URLs recorded on spans (matched case-insensitively). */
export const DEFAULT_REDACT_QUERY_PARAMS: readonly string[] = Object.freeze([
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'key',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'signature',
  'sig',
  'code',
  'auth',
  'x-amz-signature',
  'x-amz-credential',
  'x-goog-signature',
  'awsaccesskeyid',
]);

/** Span attribute values longer than this are truncated (OTEL_[SPAN_]ATTRIBUTE_VALUE_LENGTH_LIMIT overrides). */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 4096;

export const DEFAULT_METRICS_PORT = 9464;
export const DEFAULT_METRICS_HOST = '0.0.0.0';
/** Distinct values kept per label that a remote party controls (client server_address, ...). */
export const DEFAULT_MAX_LABEL_VALUES = 100;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5000;
export const DEFAULT_EXPORT_TIMEOUT_MS = 10_000;
export const DEFAULT_RESOURCE_DETECTORS: readonly string[] = Object.freeze(['env', 'host', 'os', 'process', 'serviceinstance', 'container']);
export const CLOUD_RESOURCE_DETECTORS: readonly string[] = Object.freeze(['aws', 'gcp', 'azure', 'alibaba']);
export const KNOWN_RESOURCE_DETECTORS: readonly string[] = Object.freeze([...DEFAULT_RESOURCE_DETECTORS, ...CLOUD_RESOURCE_DETECTORS]);
