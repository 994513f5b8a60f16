/**
 * The resolved platform model: every default applied, every value checked. Renderers take this
 * (and only this) as input, so they are pure functions of the manifest.
 */
export interface TlsModel {
  readonly insecure: boolean;
  readonly insecureSkipVerify: boolean;
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly serverName?: string;
  readonly minVersion?: string;
}

export interface BackendModel {
  readonly endpoint: string;
  readonly queryUrl: string;
  /** Headers Grafana sends with its queries (`${env:VAR}` secrets). */
  readonly queryHeaders: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly tls: TlsModel;
}

export interface MetricsBackendModel extends BackendModel {
  readonly type: 'prometheus-remote-write' | 'otlp' | 'prometheus-scrape';
}
export interface LogsBackendModel extends BackendModel {
  readonly type: 'loki';
}
export interface TracesBackendModel extends BackendModel {
  readonly type: 'tempo' | 'jaeger';
  readonly protocol: 'grpc' | 'http';
}
export type Signal = 'traces' | 'metrics' | 'logs';
export interface VendorBackendModel {
  readonly name: string;
  readonly protocol: 'grpc' | 'http';
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly signals: readonly Signal[];
  readonly tls: TlsModel;
}

/** Addresses one collector role listens on. */
export interface ListenersModel {
  readonly grpcEndpoint: string;
  readonly httpEndpoint: string;
  readonly healthCheckEndpoint: string;
  /** The collector's own Prometheus metrics (host:port). */
  readonly metricsEndpoint: string;
}

export interface AgentModel extends ListenersModel {
  /** TLS on the agent's OTLP receivers (services -> agent); absent: plain text on a node-local address. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly clientCaFile?: string };
}

export type GatewayAuth = 'mtls' | 'bearer' | 'none';

/** The agent -> gateway hop, both ends of it. */
export interface GatewayModel extends ListenersModel {
  /** host:port agents dial: the only gateway, or the first of `endpoints`. */
  readonly endpoint: string;
  /**
   * Every gateway agents send to (at least one; `endpoint` is the first). With more than one,
   * traces and logs are sharded by trace id over all of them (load-balancing exporter).
   */
  readonly endpoints: readonly string[];
  readonly auth: GatewayAuth;
  /** Plain-text OTLP on this hop (explicit in the manifest). */
  readonly insecure: boolean;
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCaFile: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly serverName?: string;
  readonly minVersion: string;
  /** auth: bearer: `${env:VAR}`. */
  readonly bearerToken?: string;
}

/** Bound of each persistent sending queue. */
export interface QueueModel {
  /** `bytes` where the target collector enforces it (proven from BYTES_QUEUE_SIZER_VERSION), else `requests`. */
  readonly sizer: 'bytes' | 'requests';
  /** queue_size in the sizer's unit. */
  readonly size: number;
  /** The disk the queue may take, in MiB (exact for bytes; from the request bound for requests). */
  readonly diskMiB: number;
}

export interface CollectorModel {
  readonly version: string;
  /** Component type names for the OTLP exporters at the target version. */
  readonly otlpGrpcExporter: 'otlp' | 'otlp_grpc';
  readonly otlpHttpExporter: 'otlphttp' | 'otlp_http';
  /** Component type name of the load-balancing exporter at the target version. */
  readonly loadBalancingExporter: 'loadbalancing' | 'load_balancing';
  readonly agent: AgentModel;
  readonly gateway: GatewayModel;
  readonly memoryLimitMiB: number;
  readonly storageDirectory: string;
  readonly scrapeInterval: string;
  readonly tracesSamplingPercent: number;
  readonly queue: QueueModel;
}

export interface AvailabilitySloModel {
  /** As written, in percent (99.9). */
  readonly objectivePercent: number;
  /** 0.999 */
  readonly target: number;
  /** 1 - target, rounded: 0.001 */
  readonly errorBudget: number;
  readonly window: string;
  readonly windowDays: number;
}

export interface LatencySloModel {
  readonly text: string;
  /** 95 for `p95 < 250ms`. */
  readonly percentile: number;
  readonly target: number;
  readonly errorBudget: number;
  readonly thresholdSeconds: number;
  readonly thresholdMs: number;
  readonly window: string;
  readonly windowDays: number;
}

export interface EndpointModel {
  readonly method: string;
  readonly route: string;
  readonly expectedStatus: number;
  readonly body?: unknown;
  readonly params: Readonly<Record<string, string>>;
  readonly weight: number;
  /** Bounded k6 `name` tag: `METHOD route`. */
  readonly tag: string;
}

export interface ServiceModel {
  readonly name: string;
  readonly version: string;
  readonly host: string;
  readonly port: number;
  readonly metricsPath: string;
  readonly metricsPort: number;
  readonly endpoints: readonly EndpointModel[];
  readonly dependencies: readonly string[];
  readonly slos: { readonly availability?: AvailabilitySloModel; readonly latency?: LatencySloModel };
  readonly minRequestRate: number;
  readonly load: {
    readonly rate: number;
    readonly duration: string;
    readonly baseUrl: string;
    /** CI variable (GitHub `vars.X`, GitLab `$X`) holding the URL the pipelines' smoke and nightly load target. */
    readonly baseUrlVariable: string;
    /** k6-operator runners (--target kubernetes); divides `rate` (checked). */
    readonly parallelism: number;
  };
  /** The Backstage catalog entry: entity references as written (kind defaults are Backstage's). */
  readonly catalog: CatalogModel;
}

export interface CatalogModel {
  readonly owner: string;
  readonly system?: string;
  readonly lifecycle: 'experimental' | 'production' | 'deprecated';
}

/** What the generated CI pipelines (loadtests/ci/) need to know about the repository they run in. */
export interface CiModel {
  /** This manifest, relative to the repository root. */
  readonly manifest: string;
  /** `platform generate --out`, relative to the repository root ('.' = the root). */
  readonly out: string;
  /** Shell command that makes `npx --no-install platform` work in a fresh checkout. */
  readonly setup: string;
  readonly nodeVersion: string;
  readonly k6Version: string;
  /** Version of the official prom/prometheus image that promtool is taken from. */
  readonly prometheusVersion: string;
  /** Cron (UTC) of the nightly full load run. */
  readonly schedule: string;
  /** `--max-p95-regression` of the nightly regression gate, e.g. `20%`. */
  readonly maxP95Regression: string;
}

/** `--target kubernetes`: where the objects go and how the operators select them (ignored by the plain target). */
export interface KubernetesModel {
  /** Namespace of every generated object. */
  readonly namespace: string;
  /** Namespace the services' Services live in (the k6 TestRuns call them there). */
  readonly serviceNamespace: string;
  /** Labels on PrometheusRules and monitors, for the Prometheus Operator's selectors. */
  readonly monitoringLabels: Readonly<Record<string, string>>;
  readonly k6: { readonly image: string; readonly cpu: string; readonly memory: string };
  /** Collector sizing (the pipelines come from CollectorModel). */
  readonly agent: { readonly cpu: CpuModel };
  readonly gateway: { readonly minReplicas: number; readonly maxReplicas: number; readonly targetCpuUtilization: number; readonly cpu: CpuModel };
}

/** CPU of one collector container (Kubernetes quantities). */
export interface CpuModel {
  readonly request: string;
  readonly limit: string;
}

export interface PlatformModel {
  readonly environment: string;
  readonly collector: CollectorModel;
  readonly backends: {
    readonly metrics: MetricsBackendModel;
    readonly logs: LogsBackendModel;
    readonly traces: TracesBackendModel;
    readonly vendors: readonly VendorBackendModel[];
  };
  readonly grafana: { readonly folder: string; readonly refresh: string; readonly caFile?: string; readonly url?: string };
  readonly ci: CiModel;
  readonly services: readonly ServiceModel[];
  readonly kubernetes: KubernetesModel;
}

/** Where the TLS material is mounted by default (one convention for both roles). */
export const TLS_DIRECTORY = '/etc/otelcol/tls';

/** Documented defaults (also listed in the JSON Schema and README). */
export const DEFAULTS = {
  environment: 'production',
  collectorVersion: '0.144.0',
  agent: { grpcEndpoint: '127.0.0.1:4317', httpEndpoint: '127.0.0.1:4318', healthCheckEndpoint: '127.0.0.1:13133', metricsEndpoint: '127.0.0.1:8888' },
  gateway: {
    endpoint: 'otel-gateway:4317',
    grpcEndpoint: '0.0.0.0:4317',
    httpEndpoint: '0.0.0.0:4318',
    healthCheckEndpoint: '127.0.0.1:13133',
    metricsEndpoint: '127.0.0.1:8888',
    auth: 'mtls',
    caFile: `${TLS_DIRECTORY}/ca.crt`,
    certFile: `${TLS_DIRECTORY}/gateway.crt`,
    keyFile: `${TLS_DIRECTORY}/gateway.key`,
    clientCertFile: `${TLS_DIRECTORY}/agent.crt`,
    clientKeyFile: `${TLS_DIRECTORY}/agent.key`,
    minVersion: '1.2',
  },
  memoryLimitMiB: 512,
  storageDirectory: '/var/lib/otelcol',
  scrapeInterval: '15s',
  tracesSamplingPercent: 10,
  queueSizeMiB: 1024,
  metrics: { type: 'prometheus-remote-write', endpoint: 'https://prometheus:9090/api/v1/write', queryUrl: 'https://prometheus:9090' },
  /** Default endpoint per metrics backend type. */
  metricsEndpoint: {
    'prometheus-remote-write': 'https://prometheus:9090/api/v1/write',
    otlp: 'https://prometheus:9090/api/v1/otlp',
    'prometheus-scrape': '0.0.0.0:8889',
  },
  logs: { type: 'loki', endpoint: 'https://loki:3100/otlp', queryUrl: 'https://loki:3100' },
  traces: { type: 'tempo', protocol: 'grpc', endpoint: 'tempo:4317', queryUrl: 'https://tempo:3200' },
  grafanaFolder: 'Services',
  grafanaRefresh: '30s',
  serviceVersion: '0.0.0',
  host: '127.0.0.1',
  metricsPath: '/metrics',
  metricsPort: 9464,
  sloWindow: '30d',
  minRequestRate: 0.1,
  loadRate: 20,
  loadDuration: '5m',
  /** Backstage owner when neither the service nor ci.catalog names one (a visible gap, not a guess). */
  owner: 'unknown',
  lifecycle: 'production',
  ci: {
    manifest: 'platform.yaml',
    out: '.',
    setup: 'npm ci',
    nodeVersion: '20',
    k6Version: '1.3.0',
    prometheusVersion: '3.5.0',
    schedule: '17 3 * * *',
    maxP95Regression: '20%',
  },
  loadParallelism: 1,
  kubernetes: {
    namespace: 'observability',
    k6: { image: 'grafana/k6:1.3.0', cpu: '1', memory: '512Mi' },
    agent: { cpu: { request: '100m', limit: '1' } },
    gateway: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70, cpu: { request: '500m', limit: '2' } },
  },
} as const;

/** The CI variable holding a service's base URL when the manifest names none: ORDERS_SERVICE_BASE_URL. */
export function defaultBaseUrlVariable(service: string): string {
  return `${service.toUpperCase().replace(/-/g, '_')}_BASE_URL`;
}

/**
 * First collector version at which the generated persistent queues are bounded in bytes
 * (`sizer: bytes` with file_storage). 0.117 rejects the key; 0.156 is the oldest binary the tests
 * run it with. Below it the queue is bounded by request count (see QueueModel.diskMiB).
 */
export const BYTES_QUEUE_SIZER_VERSION = '0.156.0';
/**
 * Largest request the agent or gateway queues: the batch processor caps a request at
 * send_batch_max_size items; at up to ~1 KiB per span, log record or data point that is ~10 MiB.
 * Used to turn a MiB bound into a request count for collectors without the bytes sizer.
 */
export const MAX_QUEUED_REQUEST_MIB = 10;

/**
 * First collector version whose load-balancing exporter is named `load_balancing` (contrib v0.153.0
 * renamed it; `loadbalancing` stays a deprecated alias). otelcol 0.117 only knows `loadbalancing`,
 * 0.156 lists `load_balancing` (test/otelcol-validate.test.ts runs both).
 */
export const LOAD_BALANCING_RENAME_VERSION = '0.153.0';

/** First collector version whose core OTLP exporters are named otlp_grpc / otlp_http. */
export const OTLP_EXPORTER_RENAME_VERSION = '0.144.0';
/** Oldest collector version the generated configs are written for. */
export const MIN_COLLECTOR_VERSION = '0.110.0';

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
