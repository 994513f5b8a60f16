import { LABEL, TELEMETRY_SOURCE } from '@platform/conventions';
import type { BackendModel, ListenersModel, PlatformModel, Signal, TlsModel, VendorBackendModel } from '../model.js';

/** A collector configuration as plain data (serialised to YAML by the caller). */
export interface CollectorConfig {
  extensions: Record<string, unknown>;
  receivers: Record<string, unknown>;
  processors: Record<string, unknown>;
  exporters: Record<string, unknown>;
  service: {
    extensions: string[];
    telemetry: Record<string, unknown>;
    pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }>;
  };
}

/**
 * Attribute keys that look like secrets are deleted (RE2 syntax: the collector's regexp engine).
 * Covers spellings such as x-auth-key, ocp-apim-subscription-key, accessToken, jwt.
 */
export const SECRET_ATTRIBUTE_PATTERN =
  '(?i).*(password|passwd|secret|token|api[-_.]?key|auth[-_.]?key|authorization|cookie|session[-_.]?id|credential|private[-_.]?key|subscription[-_.]?key|jwt|signature).*';
/** A URL whose query carries a secret-looking parameter (`?token=`, `&X-Amz-Signature=`, `?pass=`). */
export const SECRET_QUERY_PATTERN =
  '(?i).*[?&][^=&#]*(token|secret|pass|passwd|password|sig|signature|api[-_.]?key|jwt|auth|session|credential|code)[^=&#]*=.*';
/** A database statement that sets or carries a credential. */
export const SECRET_STATEMENT_PATTERN = '(?i).*(password|passwd|identified[[:space:]]+by|secret|credential|token).*';
/** User identifiers: hashed, so they still group but are not readable. */
const HASHED_ATTRIBUTES = ['enduser.id', 'user.id', 'user.email'];
/** Network identity of the caller: deleted (an unsalted hash of an IPv4 address is reversed in milliseconds). */
const DELETED_ATTRIBUTES = ['client.address', 'client.ip', 'http.client_ip', 'net.sock.peer.addr', 'network.peer.address'];
const URL_ATTRIBUTES = ['url.full', 'url.query', 'http.url', 'http.target'];
const STATEMENT_ATTRIBUTES = ['db.query.text', 'db.statement'];
const DROPPED_RESOURCE_ATTRIBUTES = ['process.command_args', 'process.command_line', 'host.ip'];

const STORAGE = 'file_storage/queue';

function tlsBlock(tls: TlsModel): Record<string, unknown> {
  // TLS stays on unless the manifest says `insecure: true` (validation refuses http:// otherwise).
  if (tls.insecure) return { insecure: true };
  const out: Record<string, unknown> = { insecure: false };
  if (tls.insecureSkipVerify) out['insecure_skip_verify'] = true;
  if (tls.caFile) out['ca_file'] = tls.caFile;
  if (tls.certFile) out['cert_file'] = tls.certFile;
  if (tls.keyFile) out['key_file'] = tls.keyFile;
  if (tls.serverName) out['server_name_override'] = tls.serverName;
  out['min_version'] = tls.minVersion ?? '1.2';
  return out;
}

const RETRY = { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '0s', multiplier: 1.5, randomization_factor: 0.5 };

/** Persistent queue: data waits on disk through a backend outage and a collector restart, bounded on disk. */
function persistentQueue(model: PlatformModel): Record<string, unknown> {
  const q = model.collector.queue;
  return { enabled: true, storage: STORAGE, num_consumers: 4, ...(q.sizer === 'bytes' ? { sizer: 'bytes' } : {}), queue_size: q.size };
}

function withHeaders(base: Record<string, unknown>, headers: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.keys(headers).length > 0 ? { ...base, headers: { ...headers } } : base;
}

function otlpExporter(
  model: PlatformModel,
  protocol: 'grpc' | 'http',
  b: Pick<BackendModel, 'endpoint' | 'headers' | 'tls'>,
): [string, Record<string, unknown>] {
  const type = protocol === 'grpc' ? model.collector.otlpGrpcExporter : model.collector.otlpHttpExporter;
  const config = withHeaders({ endpoint: b.endpoint, tls: tlsBlock(b.tls) }, b.headers);
  if (protocol === 'grpc') config['compression'] = 'gzip';
  config['timeout'] = '30s';
  config['retry_on_failure'] = { ...RETRY };
  config['sending_queue'] = persistentQueue(model);
  return [type, config];
}

function memoryLimiter(mib: number): Record<string, unknown> {
  return { check_interval: '1s', limit_mib: mib, spike_limit_mib: Math.max(16, Math.round(mib / 4)) };
}

const BATCH = { send_batch_size: 8192, send_batch_max_size: 10000, timeout: '5s' };

function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  return { host: address.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(address.slice(i + 1)) };
}

function telemetry(model: PlatformModel, role: 'agent' | 'gateway', listeners: ListenersModel): Record<string, unknown> {
  const { host, port } = splitHostPort(listeners.metricsEndpoint);
  return {
    resource: { 'service.name': `otelcol-${role}`, 'deployment.environment.name': model.environment },
    logs: { level: 'info', encoding: 'json' },
    metrics: { level: 'detailed', readers: [{ pull: { exporter: { prometheus: { host, port } } } }] },
  };
}

function extensions(model: PlatformModel, role: 'agent' | 'gateway', listeners: ListenersModel, auth: Record<string, unknown>): Record<string, unknown> {
  const dir = `${model.collector.storageDirectory}/${role}`;
  return {
    health_check: { endpoint: listeners.healthCheckEndpoint },
    [STORAGE]: { directory: dir, create_directory: true, timeout: '1s', compaction: { on_start: true, on_rebound: true, directory: dir } },
    ...auth,
  };
}

/**
 * Scrubbing shared by both roles (defence in depth: the SDK already redacts). The attributes
 * processor reaches span, log-record and data-point attributes; span events (exception messages)
 * and log bodies are only redacted in the SDK (see collector/README.md).
 */
/** Attributes deleted when their VALUE looks secret: [attribute, pattern]. One processor each, see below. */
const VALUE_SCRUBS: ReadonlyArray<readonly [string, string]> = [
  ...URL_ATTRIBUTES.map((key) => [key, SECRET_QUERY_PATTERN] as const),
  ...STATEMENT_ATTRIBUTES.map((key) => [key, SECRET_STATEMENT_PATTERN] as const),
];
const valueScrubName = (key: string): string => `attributes/scrub-${key.replace(/[^a-z0-9]+/g, '-')}`;

function scrubProcessors(model: PlatformModel): Record<string, unknown> {
  return {
    'resource/environment': {
      attributes: [
        { key: 'deployment.environment.name', value: model.environment, action: 'upsert' },
        ...DROPPED_RESOURCE_ATTRIBUTES.map((key) => ({ key, action: 'delete' })),
      ],
    },
    'attributes/scrub': {
      actions: [
        { pattern: SECRET_ATTRIBUTE_PATTERN, action: 'delete' },
        ...DELETED_ATTRIBUTES.map((key) => ({ key, action: 'delete' })),
        ...HASHED_ATTRIBUTES.map((key) => ({ key, action: 'hash' })),
      ],
    },
    // An include filter matches only when ALL its listed attributes match, so each value check is
    // its own processor (proven against otelcol 0.156 by the collector-path test).
    ...Object.fromEntries(
      VALUE_SCRUBS.map(([key, pattern]) => [
        valueScrubName(key),
        { include: { match_type: 'regexp', attributes: [{ key, value: pattern }] }, actions: [{ key, action: 'delete' }] },
      ]),
    ),
  };
}
const SCRUB = ['attributes/scrub', ...VALUE_SCRUBS.map(([key]) => valueScrubName(key))];

const PIPELINE_ORDER: readonly Signal[] = ['traces', 'metrics', 'logs'];

/**
 * How agents reach the gateways. One gateway: a plain OTLP exporter carries every signal. Several
 * (or a replica set behind a resolver): traces go through the load-balancing exporter keyed by trace
 * id, so every span of a trace meets the same gateway's tail_sampling. Metrics and logs, which
 * nothing on the gateway joins across agents, keep the plain exporter to `endpoint`. Logs are not
 * load-balanced by trace id: otelcol 0.156 routes a whole batch of log records by one trace id
 * (the sharded-gateways test saw records land apart from their trace), and newer contrib releases
 * drop traceID routing for logs altogether.
 */
export interface GatewayRoute {
  /** host:port of the plain OTLP exporter (every signal with one gateway; metrics and logs with several). */
  readonly endpoint: string;
  /** Backends of the load-balancing exporter; absent: one gateway, no load balancing. */
  readonly resolver?:
    { readonly static: { readonly hostnames: readonly string[] } } | { readonly k8s: { readonly service: string; readonly ports: readonly number[] } };
  /** TLS server name checked on every gateway connection (overrides the manifest's serverName). */
  readonly serverName?: string;
}

/** The route the manifest describes: `collector.gateway.endpoint`, or a static list of `endpoints`. */
export function gatewayRouteOf(model: PlatformModel): GatewayRoute {
  const g = model.collector.gateway;
  return g.endpoints.length > 1 ? { endpoint: g.endpoint, resolver: { static: { hostnames: [...g.endpoints] } } } : { endpoint: g.endpoint };
}

/** One Prometheus receiver scrape job per service (the receiver's `config.scrape_configs`). */
export type ScrapeConfig = Record<string, unknown>;

/** Static scrape targets: each service's metrics endpoint on the host the manifest names. */
export function staticScrapeConfigs(model: PlatformModel): ScrapeConfig[] {
  return model.services.map((s) => ({
    job_name: s.name,
    scrape_interval: model.collector.scrapeInterval,
    metrics_path: s.metricsPath,
    static_configs: [{ targets: [`${s.host}:${s.metricsPort}`], labels: { service_version: s.version, [LABEL.telemetrySource]: TELEMETRY_SOURCE.scrape } }],
  }));
}

/** Where an agent runs: how it reaches the gateways and how it finds the services to scrape. */
export interface AgentPlacement {
  readonly route?: GatewayRoute;
  readonly scrapeConfigs?: readonly ScrapeConfig[];
}

/** Agent: runs next to the services, receives OTLP, scrapes /metrics, forwards to the gateway. */
export function renderCollectorAgent(model: PlatformModel, placement: AgentPlacement = {}): CollectorConfig {
  const c = model.collector;
  const a = c.agent;
  const g = c.gateway;
  const route = placement.route ?? gatewayRouteOf(model);
  const serverName = route.serverName ?? g.serverName;
  const gateway = `${c.otlpGrpcExporter}/gateway`;
  // What the agent -> gateway hop needs besides the address, for the plain exporter and for each
  // backend of the load-balancing exporter alike.
  const connection: Record<string, unknown> = {
    tls: g.insecure
      ? { insecure: true }
      : {
          insecure: false,
          ca_file: g.caFile,
          ...(g.auth === 'mtls' ? { cert_file: g.clientCertFile, key_file: g.clientKeyFile } : {}),
          ...(serverName ? { server_name_override: serverName } : {}),
          min_version: g.minVersion,
        },
    ...(g.auth === 'bearer' ? { auth: { authenticator: 'bearertokenauth/gateway' } } : {}),
    compression: 'gzip',
    timeout: '30s',
  };
  const delivery = { retry_on_failure: { ...RETRY }, sending_queue: persistentQueue(model) };
  const exporters: Record<string, unknown> = { [gateway]: { endpoint: route.endpoint, ...connection, ...delivery } };
  // Traces: the load-balancing exporter when there are several gateways.
  let tracesExporter = gateway;
  if (route.resolver) {
    tracesExporter = `${c.loadBalancingExporter}/gateway`;
    exporters[tracesExporter] = {
      routing_key: 'traceID',
      // The disk queue and the retries sit on the load balancer, not on its per-gateway exporters:
      // those all share one component id, so a second gateway's persistent queue cannot open the
      // file the first one holds (otelcol 0.156: "failed to start new exporter for endpoint").
      protocol: { otlp: { ...connection, retry_on_failure: { enabled: false }, sending_queue: { enabled: false } } },
      resolver: route.resolver,
      timeout: '30s',
      ...delivery,
    };
  }
  const receiverTls = a.tls
    ? { tls: { cert_file: a.tls.certFile, key_file: a.tls.keyFile, ...(a.tls.clientCaFile ? { client_ca_file: a.tls.clientCaFile } : {}) } }
    : {};
  const traced = ['memory_limiter', 'resource/environment', ...SCRUB, 'batch'];
  return {
    extensions: extensions(model, 'agent', a, g.auth === 'bearer' ? { 'bearertokenauth/gateway': { token: g.bearerToken } } : {}),
    receivers: {
      otlp: { protocols: { grpc: { endpoint: a.grpcEndpoint, ...receiverTls }, http: { endpoint: a.httpEndpoint, ...receiverTls } } },
      prometheus: { config: { scrape_configs: [...(placement.scrapeConfigs ?? staticScrapeConfigs(model))] } },
    },
    processors: {
      memory_limiter: memoryLimiter(c.memoryLimitMiB),
      ...scrubProcessors(model),
      // Whatever a pushed data point claims, it is not a trusted scrape (see TELEMETRY_SOURCE).
      'attributes/telemetry-source': { actions: [{ key: LABEL.telemetrySource, value: TELEMETRY_SOURCE.otlp, action: 'upsert' }] },
      batch: { ...BATCH },
    },
    exporters,
    service: {
      extensions: ['health_check', STORAGE, ...(g.auth === 'bearer' ? ['bearertokenauth/gateway'] : [])],
      telemetry: telemetry(model, 'agent', a),
      pipelines: {
        traces: { receivers: ['otlp'], processors: [...traced], exporters: [tracesExporter] },
        'metrics/scrape': { receivers: ['prometheus'], processors: ['memory_limiter', 'resource/environment', 'batch'], exporters: [gateway] },
        // Include filters by span or log attributes are not valid for metrics: key-based scrubbing only.
        'metrics/otlp': {
          receivers: ['otlp'],
          processors: ['memory_limiter', 'resource/environment', 'attributes/telemetry-source', 'attributes/scrub', 'batch'],
          exporters: [gateway],
        },
        logs: { receivers: ['otlp'], processors: [...traced], exporters: [gateway] },
      },
    },
  };
}

/** Gateway: receives OTLP from authenticated agents, samples traces, exports to each backend. */
export function renderCollectorGateway(model: PlatformModel): CollectorConfig {
  const c = model.collector;
  const g = c.gateway;
  const b = model.backends;
  const exporters: Record<string, unknown> = {};
  const bySignal: Record<Signal, string[]> = { traces: [], metrics: [], logs: [] };

  if (b.metrics.type === 'prometheus-remote-write') {
    // No `wal:` and no persistent queue: the exporter has no sending_queue, and its WAL lost data
    // in our runs (0.117: never sends; 0.156: late replays rejected as out of order). Data waits in
    // the in-memory remote_write_queue; see the loss window in collector/README.md.
    exporters['prometheusremotewrite'] = withHeaders(
      {
        endpoint: b.metrics.endpoint,
        tls: tlsBlock(b.metrics.tls),
        timeout: '30s',
        retry_on_failure: { ...RETRY },
        remote_write_queue: { enabled: true, queue_size: 10000, num_consumers: 5 },
        external_labels: { environment: model.environment },
      },
      b.metrics.headers,
    );
    bySignal.metrics.push('prometheusremotewrite');
  } else if (b.metrics.type === 'otlp') {
    const [type, config] = otlpExporter(model, 'http', b.metrics);
    exporters[`${type}/metrics`] = config;
    bySignal.metrics.push(`${type}/metrics`);
  } else {
    // Prometheus scrapes the gateway; it serves with the gateway's certificate unless told otherwise.
    exporters['prometheus'] = {
      endpoint: b.metrics.endpoint,
      ...(b.metrics.tls.insecure || g.insecure ? {} : { tls: { cert_file: g.certFile, key_file: g.keyFile, min_version: g.minVersion } }),
      send_timestamps: false,
      enable_open_metrics: true,
      metric_expiration: '5m',
      resource_to_telemetry_conversion: { enabled: false },
    };
    bySignal.metrics.push('prometheus');
  }

  const [logsType, logsConfig] = otlpExporter(model, 'http', b.logs);
  exporters[`${logsType}/loki`] = logsConfig;
  bySignal.logs.push(`${logsType}/loki`);

  const [tracesType, tracesConfig] = otlpExporter(model, b.traces.protocol, b.traces);
  exporters[`${tracesType}/${b.traces.type}`] = tracesConfig;
  bySignal.traces.push(`${tracesType}/${b.traces.type}`);

  for (const v of b.vendors as VendorBackendModel[]) {
    const [type, config] = otlpExporter(model, v.protocol, v);
    exporters[`${type}/${v.name}`] = config;
    for (const s of v.signals) bySignal[s].push(`${type}/${v.name}`);
  }

  const slowestThresholdMs = Math.min(...model.services.map((s) => s.slos.latency?.thresholdMs ?? Infinity));
  const policies: unknown[] = [
    { name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
    ...(Number.isFinite(slowestThresholdMs) ? [{ name: 'keep-slo-violations', type: 'latency', latency: { threshold_ms: slowestThresholdMs } }] : []),
    { name: 'sample-the-rest', type: 'probabilistic', probabilistic: { sampling_percentage: c.tracesSamplingPercent } },
  ];
  const common = ['memory_limiter', 'resource/environment', ...SCRUB];
  const pipelines: CollectorConfig['service']['pipelines'] = {};
  for (const signal of PIPELINE_ORDER) {
    const processors =
      signal === 'traces'
        ? [...common, 'tail_sampling', 'batch']
        : signal === 'metrics'
          ? ['memory_limiter', 'resource/environment', 'batch']
          : [...common, 'batch'];
    pipelines[signal] = { receivers: ['otlp'], processors, exporters: [...bySignal[signal]].sort() };
  }

  // Server side of the agent -> gateway hop: the gateway's certificate, and who may write.
  const serverTls = g.insecure
    ? {}
    : { tls: { cert_file: g.certFile, key_file: g.keyFile, ...(g.auth === 'mtls' ? { client_ca_file: g.clientCaFile } : {}), min_version: g.minVersion } };
  const serverAuth = g.auth === 'bearer' ? { auth: { authenticator: 'bearertokenauth/agents' } } : {};
  const protocol = (endpoint: string): Record<string, unknown> => ({ endpoint, ...serverTls, ...serverAuth });
  return {
    extensions: extensions(model, 'gateway', g, g.auth === 'bearer' ? { 'bearertokenauth/agents': { token: g.bearerToken } } : {}),
    receivers: { otlp: { protocols: { grpc: protocol(g.grpcEndpoint), http: protocol(g.httpEndpoint) } } },
    processors: {
      memory_limiter: memoryLimiter(c.memoryLimitMiB * 2),
      ...scrubProcessors(model),
      tail_sampling: { decision_wait: '10s', num_traces: 100000, expected_new_traces_per_sec: 1000, policies },
      batch: { ...BATCH },
    },
    exporters,
    service: {
      extensions: ['health_check', STORAGE, ...(g.auth === 'bearer' ? ['bearertokenauth/agents'] : [])],
      telemetry: telemetry(model, 'gateway', g),
      pipelines,
    },
  };
}
