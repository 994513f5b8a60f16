export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

/** Context propagation formats (OTEL_PROPAGATORS): W3C trace context and baggage, Zipkin B3 (single or multi header), Jaeger. */
export type PropagatorName = 'tracecontext' | 'baggage' | 'b3' | 'b3multi' | 'jaeger';

export interface SignalExportConfig {
  /** Full URL; undefined means the signal is not exported over the network. */
  endpoint: string | undefined;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  timeoutMs: number;
  /** PEM files for an https:// endpoint (OTEL_EXPORTER_OTLP_[SIGNAL_]CERTIFICATE, _CLIENT_CERTIFICATE, _CLIENT_KEY). */
  tls: OtlpTlsFiles;
}

export interface OtlpTlsFiles {
  /** CA bundle that verifies the collector; default: Node's trusted roots. */
  caFile?: string;
  /** Client certificate and key, for a collector that requires mTLS. */
  certFile?: string;
  keyFile?: string;
}

export type DiagLevelName = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

/** Fully resolved configuration: no optional fields, every value validated. */
export interface TelemetryConfig {
  disabled: boolean;
  serviceName: string;
  serviceVersion: string | undefined;
  environment: string;
  resourceAttributes: Record<string, string>;
  traces: SignalExportConfig & {
    sampler: SamplerName;
    samplerArg: number;
    /** Longest span attribute value kept, in UTF-16 code units. */
    attributeValueLengthLimit: number;
  };
  logs: SignalExportConfig & { level: string };
  metrics: { port: number | false; host: string; maxLabelValues: number };
  instrumentations: { enabled: string[] | undefined; disabled: string[] };
  resourceDetectors: string[];
  redactKeys: string[];
  redactQueryParams: string[];
  shutdownTimeoutMs: number;
  diagLogLevel: DiagLevelName;
  handleSignals: boolean;
  /** Propagation formats, in order (OTEL_PROPAGATORS); empty: none. */
  propagators: PropagatorName[];
  /** Whether incoming requests' traceparent/baggage are honoured (PLATFORM_TRUST_INCOMING_CONTEXT). */
  trustIncomingContext: boolean;
}

export interface ResolvedConfig {
  config: TelemetryConfig;
  /** One human-readable line per invalid setting; the SDK logs each once. */
  warnings: string[];
}
