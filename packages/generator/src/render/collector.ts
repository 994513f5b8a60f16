import type { BackendModel, PlatformModel, Signal, TlsModel, VendorBackendModel } from '../model.js';

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

/** Attribute keys that look like secrets are deleted; user identifiers are hashed. */
export const SECRET_ATTRIBUTE_PATTERN = '(?i).*(password|passwd|secret|token|api[-_.]?key|authorization|cookie|session[-_.]?id|credential|private[-_.]?key).*';
const HASHED_ATTRIBUTES = ['enduser.id', 'user.id', 'user.email', 'client.address'];
const DROPPED_RESOURCE_ATTRIBUTES = ['process.command_args', 'process.command_line', 'host.ip'];

function tlsBlock(tls: TlsModel, endpoint: string): Record<string, unknown> {
  // TLS stays on unless the manifest says `insecure: true` (validation refuses http:// otherwise).
  void endpoint;
  const insecure = tls.insecure;
  const out: Record<string, unknown> = { insecure };
  if (insecure) return out;
  if (tls.insecureSkipVerify) out['insecure_skip_verify'] = true;
  if (tls.caFile) out['ca_file'] = tls.caFile;
  if (tls.certFile) out['cert_file'] = tls.certFile;
  if (tls.keyFile) out['key_file'] = tls.keyFile;
  if (tls.serverName) out['server_name_override'] = tls.serverName;
  out['min_version'] = tls.minVersion ?? '1.2';
  return out;
}

const RETRY = { enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '0s', multiplier: 1.5, randomization_factor: 0.5 };

function queue(storage: string): Record<string, unknown> {
  // Persistent queue: data waits on disk through a backend outage and a collector restart.
  return { enabled: true, storage, num_consumers: 4, queue_size: 5000 };
}

function withHeaders(base: Record<string, unknown>, headers: Readonly<Record<string, string>>): Record<string, unknown> {
  return Object.keys(headers).length > 0 ? { ...base, headers: { ...headers } } : base;
}

function otlpExporter(model: PlatformModel, protocol: 'grpc' | 'http', b: Pick<BackendModel, 'endpoint' | 'headers' | 'tls'>, storage: string): [string, Record<string, unknown>] {
  const type = protocol === 'grpc' ? model.collector.otlpGrpcExporter : model.collector.otlpHttpExporter;
  const config = withHeaders({ endpoint: b.endpoint, tls: tlsBlock(b.tls, b.endpoint) }, b.headers);
  if (protocol === 'grpc') config['compression'] = 'gzip';
  config['timeout'] = '30s';
  config['retry_on_failure'] = { ...RETRY };
  config['sending_queue'] = queue(storage);
  return [type, config];
}

function memoryLimiter(mib: number): Record<string, unknown> {
  return { check_interval: '1s', limit_mib: mib, spike_limit_mib: Math.max(16, Math.round(mib / 4)) };
}

const BATCH = { send_batch_size: 8192, send_batch_max_size: 10000, timeout: '5s' };

function telemetry(model: PlatformModel, role: 'agent' | 'gateway'): Record<string, unknown> {
  return {
    resource: { 'service.name': `otelcol-${role}`, 'deployment.environment.name': model.environment },
    logs: { level: 'info', encoding: 'json' },
    metrics: {
      level: 'detailed',
      readers: [{ pull: { exporter: { prometheus: { host: '0.0.0.0', port: role === 'agent' ? 8888 : 8889 } } } }],
    },
  };
}

function scrubProcessors(model: PlatformModel): Record<string, unknown> {
  return {
    'resource/environment': {
      attributes: [
        { key: 'deployment.environment.name', value: model.environment, action: 'upsert' },
        ...DROPPED_RESOURCE_ATTRIBUTES.map((key) => ({ key, action: 'delete' })),
      ],
    },
    'attributes/scrub': {
      actions: [{ pattern: SECRET_ATTRIBUTE_PATTERN, action: 'delete' }, ...HASHED_ATTRIBUTES.map((key) => ({ key, action: 'hash' }))],
    },
  };
}

const PIPELINE_ORDER: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** Agent: runs next to the services, receives OTLP, scrapes /metrics, forwards to the gateway. */
export function renderCollectorAgent(model: PlatformModel): CollectorConfig {
  const c = model.collector;
  const storage = 'file_storage/queue';
  const [gwType, gwConfig] = otlpExporter(model, 'grpc', { endpoint: c.gatewayEndpoint, headers: {}, tls: c.gatewayTls }, storage);
  const gateway = `${gwType}/gateway`;
  const scrapeConfigs = model.services.map((s) => ({
    job_name: s.name,
    scrape_interval: c.scrapeInterval,
    metrics_path: s.metricsPath,
    static_configs: [{ targets: [`${s.host}:${s.metricsPort}`], labels: { 'service_version': s.version } }],
  }));
  const processors = ['memory_limiter', 'resource/environment', 'attributes/scrub', 'batch'];
  return {
    extensions: {
      health_check: { endpoint: c.healthCheckEndpoint },
      [storage]: { directory: `${c.storageDirectory}/agent`, create_directory: true, timeout: '1s', compaction: { on_start: true, on_rebound: true, directory: `${c.storageDirectory}/agent` } },
    },
    receivers: {
      otlp: { protocols: { grpc: { endpoint: c.grpcEndpoint }, http: { endpoint: c.httpEndpoint } } },
      prometheus: { config: { scrape_configs: scrapeConfigs } },
    },
    processors: { memory_limiter: memoryLimiter(c.memoryLimitMiB), ...scrubProcessors(model), batch: { ...BATCH } },
    exporters: { [gateway]: gwConfig },
    service: {
      extensions: ['health_check', storage],
      telemetry: telemetry(model, 'agent'),
      pipelines: {
        traces: { receivers: ['otlp'], processors: [...processors], exporters: [gateway] },
        metrics: { receivers: ['otlp', 'prometheus'], processors: ['memory_limiter', 'resource/environment', 'batch'], exporters: [gateway] },
        logs: { receivers: ['otlp'], processors: [...processors], exporters: [gateway] },
      },
    },
  };
}

/** Gateway: receives OTLP from agents, samples traces, exports to each backend with persistent queues. */
export function renderCollectorGateway(model: PlatformModel): CollectorConfig {
  const c = model.collector;
  const b = model.backends;
  const storage = 'file_storage/queue';
  const exporters: Record<string, unknown> = {};
  const bySignal: Record<Signal, string[]> = { traces: [], metrics: [], logs: [] };
  const extensions: Record<string, unknown> = {
    health_check: { endpoint: c.healthCheckEndpoint },
    [storage]: { directory: `${c.storageDirectory}/gateway`, create_directory: true, timeout: '1s', compaction: { on_start: true, on_rebound: true, directory: `${c.storageDirectory}/gateway` } },
  };

  if (b.metrics.type === 'prometheus-remote-write') {
    exporters['prometheusremotewrite'] = withHeaders(
      {
        endpoint: b.metrics.endpoint,
        tls: tlsBlock(b.metrics.tls, b.metrics.endpoint),
        timeout: '30s',
        retry_on_failure: { ...RETRY },
        // The remote-write exporter has no sending_queue; its write-ahead log keeps data through outages.
        remote_write_queue: { enabled: true, queue_size: 10000, num_consumers: 5 },
        wal: { directory: `${c.storageDirectory}/gateway/prw-wal`, buffer_size: 300, truncate_frequency: '1m' },
        external_labels: { environment: model.environment },
      },
      b.metrics.headers,
    );
    bySignal.metrics.push('prometheusremotewrite');
  } else {
    exporters['prometheus'] = { endpoint: b.metrics.endpoint, send_timestamps: false, enable_open_metrics: true, metric_expiration: '5m', resource_to_telemetry_conversion: { enabled: false } };
    bySignal.metrics.push('prometheus');
  }

  const [logsType, logsConfig] = otlpExporter(model, 'http', b.logs, storage);
  exporters[`${logsType}/loki`] = logsConfig;
  bySignal.logs.push(`${logsType}/loki`);

  const [tracesType, tracesConfig] = otlpExporter(model, b.traces.protocol, b.traces, storage);
  exporters[`${tracesType}/${b.traces.type}`] = tracesConfig;
  bySignal.traces.push(`${tracesType}/${b.traces.type}`);

  for (const v of b.vendors as VendorBackendModel[]) {
    const [type, config] = otlpExporter(model, v.protocol, v, storage);
    exporters[`${type}/${v.name}`] = config;
    for (const s of v.signals) bySignal[s].push(`${type}/${v.name}`);
  }

  const slowestThresholdMs = Math.min(...model.services.map((s) => s.slos.latency?.thresholdMs ?? Infinity));
  const policies: unknown[] = [
    { name: 'keep-errors', type: 'status_code', status_code: { status_codes: ['ERROR'] } },
    ...(Number.isFinite(slowestThresholdMs) ? [{ name: 'keep-slo-violations', type: 'latency', latency: { threshold_ms: slowestThresholdMs } }] : []),
    { name: 'sample-the-rest', type: 'probabilistic', probabilistic: { sampling_percentage: c.tracesSamplingPercent } },
  ];
  const common = ['memory_limiter', 'resource/environment', 'attributes/scrub'];
  const pipelines: CollectorConfig['service']['pipelines'] = {};
  for (const signal of PIPELINE_ORDER) {
    const processors =
      signal === 'traces' ? [...common, 'tail_sampling', 'batch'] : signal === 'metrics' ? ['memory_limiter', 'resource/environment', 'batch'] : [...common, 'batch'];
    pipelines[signal] = { receivers: ['otlp'], processors, exporters: [...bySignal[signal]].sort() };
  }
  return {
    extensions,
    receivers: { otlp: { protocols: { grpc: { endpoint: c.grpcEndpoint }, http: { endpoint: c.httpEndpoint } } } },
    processors: {
      memory_limiter: memoryLimiter(c.memoryLimitMiB * 2),
      ...scrubProcessors(model),
      tail_sampling: { decision_wait: '10s', num_traces: 100000, expected_new_traces_per_sec: 1000, policies },
      batch: { ...BATCH },
    },
    exporters,
    service: { extensions: ['health_check', storage], telemetry: telemetry(model, 'gateway'), pipelines },
  };
}
