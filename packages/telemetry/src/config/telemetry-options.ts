/** Programmatic options for `initTelemetry`. Every field overrides the matching environment variable. */
export interface TelemetryOptions {
  /** `service.name` (env OTEL_SERVICE_NAME). */
  serviceName?: string;
  /** `service.version` (env OTEL_RESOURCE_ATTRIBUTES service.version, else the app's package.json). */
  serviceVersion?: string;
  /** `deployment.environment.name` (env OTEL_RESOURCE_ATTRIBUTES, else NODE_ENV). */
  environment?: string;
  /** Extra resource attributes, merged over OTEL_RESOURCE_ATTRIBUTES. */
  resourceAttributes?: Record<string, string>;
  /** Disable the whole SDK (env OTEL_SDK_DISABLED). Logger and metricsHandler keep working. */
  disabled?: boolean;
  traces?: SignalExportOptions & {
    /** always_on | always_off | traceidratio | parentbased_always_on | parentbased_always_off | parentbased_traceidratio */
    sampler?: string;
    /** Ratio for the *traceidratio samplers, 0..1. */
    samplerArg?: number;
    /** Longest span attribute value kept (env OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT, OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT), default 4096. */
    attributeValueLengthLimit?: number;
  };
  logs?: SignalExportOptions & {
    /** pino level of the SDK logger (env LOG_LEVEL), default `info`. */
    level?: string;
  };
  metrics?: {
    /** Port of the separate /metrics server (env PLATFORM_METRICS_PORT); 0 picks a free one (logged), `false` disables it. */
    port?: number | false;
    /** Bind address of the /metrics server (env PLATFORM_METRICS_HOST), default 0.0.0.0. */
    host?: string;
    /** Distinct values kept per remotely controlled label (env PLATFORM_METRICS_MAX_LABEL_VALUES), default 100. */
    maxLabelValues?: number;
  };
  instrumentations?: {
    /** Only these (env OTEL_NODE_ENABLED_INSTRUMENTATIONS), e.g. ['http', 'express']. */
    enabled?: string[];
    /** Never these (env OTEL_NODE_DISABLED_INSTRUMENTATIONS). */
    disabled?: string[];
  };
  /**
   * Context propagation formats, extracted from incoming and injected into outgoing requests in this
   * order (env OTEL_PROPAGATORS): tracecontext, baggage, b3, b3multi, jaeger; `['none']` for none.
   * Default tracecontext and baggage.
   */
  propagators?: string[];
  /** env, host, os, process, serviceinstance, container, aws, gcp, azure, alibaba, all, none. */
  resourceDetectors?: string[];
  /** Keys redacted at any depth in logs (case-insensitive); replaces the default list. */
  redactKeys?: string[];
  /** Query parameters redacted from URLs recorded on spans; replaces the default list. */
  redactQueryParams?: string[];
  /** Upper bound for flushing on shutdown, default 5000 ms. */
  shutdownTimeoutMs?: number;
  /** OTel diagnostic level (env OTEL_LOG_LEVEL): none, error, warn, info, debug, verbose, all. */
  diagLogLevel?: string;
  /** Install SIGTERM/SIGINT/beforeExit flush hooks, default true. */
  handleSignals?: boolean;
  /**
   * Honour incoming `traceparent` (sampling, trace id) and `baggage` on HTTP server requests
   * (env PLATFORM_TRUST_INCOMING_CONTEXT), default true; set false for services at the edge.
   */
  trustIncomingContext?: boolean;
}

export interface SignalExportOptions {
  /** Full URL of the OTLP/HTTP endpoint for this signal (e.g. http://collector:4318/v1/traces). */
  endpoint?: string;
  headers?: Record<string, string>;
  protocol?: 'http/protobuf' | 'http/json';
}
