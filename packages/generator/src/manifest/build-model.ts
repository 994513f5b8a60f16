import {
  BYTES_QUEUE_SIZER_VERSION,
  DEFAULTS,
  LOAD_BALANCING_RENAME_VERSION,
  MAX_QUEUED_REQUEST_MIB,
  OTLP_EXPORTER_RENAME_VERSION,
  compareVersions,
  defaultBaseUrlVariable,
  type AvailabilitySloModel,
  type CiModel,
  type CollectorModel,
  type EndpointModel,
  type KubernetesModel,
  type LatencySloModel,
  type PlatformModel,
  type ServiceModel,
  type TlsModel,
} from '../model.js';
import { round } from '../round.js';
import { parseLatencyObjective } from './latency-objective.js';
import type { Endpoint, ManifestInput, Tls } from './manifest-input.generated.js';

function tlsOf(global: Tls | undefined, local: Tls | undefined): TlsModel {
  const t = { ...(global ?? {}), ...(local ?? {}) };
  const out: { -readonly [K in keyof TlsModel]: TlsModel[K] } = {
    insecure: t.insecure === true,
    insecureSkipVerify: t.insecureSkipVerify === true,
  };
  for (const k of ['caFile', 'certFile', 'keyFile', 'serverName', 'minVersion'] as const) if (t[k] !== undefined) out[k] = String(t[k]);
  return out;
}

/** The load test's endpoint when the manifest lists none. */
const ROOT_ENDPOINT: Endpoint = { method: 'GET', route: '/' };

function days(window: string): number {
  return Number(window.slice(0, -1));
}

function buildEndpoint(ep: Endpoint): EndpointModel {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(ep.params ?? {})) params[k] = String(v);
  const base = {
    method: String(ep.method),
    route: String(ep.route),
    expectedStatus: ep.expectedStatus ?? (ep.method === 'POST' ? 201 : 200),
    params,
    weight: ep.weight ?? 1,
    tag: `${ep.method} ${ep.route}`,
  };
  return ep.body === undefined ? base : { ...base, body: ep.body };
}

function buildCollector(raw: ManifestInput, version: string, renamed: boolean): CollectorModel {
  const c = raw.collector ?? {};
  const a = c.agent ?? {};
  const g = c.gateway ?? {};
  const t = g.tls ?? {};
  const d = DEFAULTS.gateway;
  // Validation refuses endpoint and endpoints together.
  const endpoints: string[] = g.endpoints?.length ? [...g.endpoints] : [g.endpoint ?? d.endpoint];
  const caFile: string = t.caFile ?? raw.tls?.caFile ?? d.caFile;
  const queueMiB: number = c.queueSizeMiB ?? DEFAULTS.queueSizeMiB;
  const bytes = compareVersions(version, BYTES_QUEUE_SIZER_VERSION) >= 0;
  const requests = Math.max(10, Math.floor(queueMiB / MAX_QUEUED_REQUEST_MIB));
  const agentTls = a.tls
    ? { certFile: String(a.tls.certFile), keyFile: String(a.tls.keyFile), ...(a.tls.clientCaFile ? { clientCaFile: String(a.tls.clientCaFile) } : {}) }
    : undefined;
  return {
    version,
    otlpGrpcExporter: renamed ? 'otlp_grpc' : 'otlp',
    otlpHttpExporter: renamed ? 'otlp_http' : 'otlphttp',
    loadBalancingExporter: compareVersions(version, LOAD_BALANCING_RENAME_VERSION) >= 0 ? 'load_balancing' : 'loadbalancing',
    agent: {
      grpcEndpoint: a.grpcEndpoint ?? DEFAULTS.agent.grpcEndpoint,
      httpEndpoint: a.httpEndpoint ?? DEFAULTS.agent.httpEndpoint,
      healthCheckEndpoint: a.healthCheckEndpoint ?? DEFAULTS.agent.healthCheckEndpoint,
      metricsEndpoint: a.metricsEndpoint ?? DEFAULTS.agent.metricsEndpoint,
      ...(agentTls ? { tls: agentTls } : {}),
    },
    gateway: {
      endpoint: endpoints[0] as string,
      endpoints,
      grpcEndpoint: g.grpcEndpoint ?? d.grpcEndpoint,
      httpEndpoint: g.httpEndpoint ?? d.httpEndpoint,
      healthCheckEndpoint: g.healthCheckEndpoint ?? d.healthCheckEndpoint,
      metricsEndpoint: g.metricsEndpoint ?? d.metricsEndpoint,
      auth: g.auth ?? d.auth,
      insecure: t.insecure === true,
      caFile,
      certFile: t.certFile ?? d.certFile,
      keyFile: t.keyFile ?? d.keyFile,
      clientCaFile: t.clientCaFile ?? caFile,
      clientCertFile: t.clientCertFile ?? d.clientCertFile,
      clientKeyFile: t.clientKeyFile ?? d.clientKeyFile,
      ...(t.serverName ? { serverName: String(t.serverName) } : {}),
      minVersion: t.minVersion ?? raw.tls?.minVersion ?? d.minVersion,
      ...(g.bearerToken ? { bearerToken: String(g.bearerToken) } : {}),
    },
    memoryLimitMiB: c.memoryLimitMiB ?? DEFAULTS.memoryLimitMiB,
    storageDirectory: c.storageDirectory ?? DEFAULTS.storageDirectory,
    scrapeInterval: c.scrapeInterval ?? DEFAULTS.scrapeInterval,
    tracesSamplingPercent: c.tracesSamplingPercent ?? DEFAULTS.tracesSamplingPercent,
    queue: bytes
      ? { sizer: 'bytes', size: queueMiB * 1024 * 1024, diskMiB: queueMiB }
      : { sizer: 'requests', size: requests, diskMiB: requests * MAX_QUEUED_REQUEST_MIB },
  };
}

function buildCi(raw: ManifestInput): CiModel {
  const c = raw.ci ?? {};
  const d = DEFAULTS.ci;
  return {
    manifest: c.manifest ?? d.manifest,
    out: (c.out ?? d.out).replace(/\/+$/, '') || d.out,
    setup: c.setup ?? d.setup,
    nodeVersion: c.nodeVersion ?? d.nodeVersion,
    k6Version: c.k6Version ?? d.k6Version,
    prometheusVersion: c.prometheusVersion ?? d.prometheusVersion,
    schedule: c.schedule ?? d.schedule,
    maxP95Regression: c.maxP95Regression ?? d.maxP95Regression,
  };
}

/** The resolved model: defaults applied, objectives parsed. Runs on data that passed the schema and the semantic checks. */
export function buildModel(raw: ManifestInput): PlatformModel {
  const version: string = raw.collector?.version ?? DEFAULTS.collectorVersion;
  const renamed = compareVersions(version, OTLP_EXPORTER_RENAME_VERSION) >= 0;
  const b = raw.backends ?? {};
  const catalogDefaults = raw.ci?.catalog ?? {};
  const services: ServiceModel[] = raw.services.map((s) => {
    const slos: { availability?: AvailabilitySloModel; latency?: LatencySloModel } = {};
    if (s.slos.availability) {
      const a = s.slos.availability;
      const window: string = a.window ?? DEFAULTS.sloWindow;
      slos.availability = {
        objectivePercent: a.objective,
        target: round(a.objective / 100),
        errorBudget: round(1 - a.objective / 100),
        window,
        windowDays: days(window),
      };
    }
    if (s.slos.latency) {
      const l = s.slos.latency;
      const parsed = parseLatencyObjective(l.objective) as { percentile: number; thresholdSeconds: number };
      const window: string = l.window ?? DEFAULTS.sloWindow;
      slos.latency = {
        text: String(l.objective).trim().replace(/\s+/g, ' '),
        percentile: parsed.percentile,
        target: round(parsed.percentile / 100),
        errorBudget: round(1 - parsed.percentile / 100),
        thresholdSeconds: parsed.thresholdSeconds,
        thresholdMs: round(parsed.thresholdSeconds * 1000),
        window,
        windowDays: days(window),
      };
    }
    const host: string = s.host ?? DEFAULTS.host;
    const system = s.system ?? catalogDefaults.system;
    const endpoints = (s.endpoints?.length ? s.endpoints : [ROOT_ENDPOINT]).map(buildEndpoint);
    return {
      name: s.name,
      version: s.version ?? DEFAULTS.serviceVersion,
      host,
      port: s.port,
      metricsPath: s.metrics?.path ?? DEFAULTS.metricsPath,
      metricsPort: s.metrics?.port ?? DEFAULTS.metricsPort,
      endpoints,
      dependencies: [...(s.dependencies ?? [])],
      slos,
      minRequestRate: s.alerting?.minRequestRate ?? DEFAULTS.minRequestRate,
      load: {
        rate: s.load?.rate ?? DEFAULTS.loadRate,
        duration: s.load?.duration ?? DEFAULTS.loadDuration,
        baseUrl: s.load?.baseUrl ?? `http://${host}:${s.port}`,
        baseUrlVariable: s.load?.baseUrlVariable ?? defaultBaseUrlVariable(s.name),
        parallelism: s.load?.parallelism ?? DEFAULTS.loadParallelism,
      },
      catalog: {
        owner: s.owner ?? catalogDefaults.owner ?? DEFAULTS.owner,
        ...(system ? { system } : {}),
        lifecycle: s.lifecycle ?? catalogDefaults.lifecycle ?? DEFAULTS.lifecycle,
      },
    };
  });
  const backend = (kind: 'metrics' | 'logs' | 'traces') => {
    const d = DEFAULTS[kind];
    const x = b[kind] ?? {};
    return {
      endpoint: x.endpoint ?? d.endpoint,
      queryUrl: x.queryUrl ?? d.queryUrl,
      headers: { ...(x.headers ?? {}) },
      queryHeaders: { ...(x.queryHeaders ?? {}) },
      tls: tlsOf(raw.tls, x.tls),
    };
  };
  return {
    environment: raw.environment ?? DEFAULTS.environment,
    collector: buildCollector(raw, version, renamed),
    backends: {
      metrics: (() => {
        const type: 'prometheus-remote-write' | 'otlp' | 'prometheus-scrape' = b.metrics?.type ?? DEFAULTS.metrics.type;
        return { type, ...backend('metrics'), endpoint: b.metrics?.endpoint ?? DEFAULTS.metricsEndpoint[type] };
      })(),
      logs: { type: 'loki', ...backend('logs') },
      traces: { type: b.traces?.type ?? DEFAULTS.traces.type, protocol: b.traces?.protocol ?? DEFAULTS.traces.protocol, ...backend('traces') },
      vendors: (b.otlp ?? []).map((v) => ({
        name: v.name,
        protocol: v.protocol ?? 'http',
        endpoint: v.endpoint,
        headers: { ...(v.headers ?? {}) },
        signals: v.signals ?? ['traces', 'metrics', 'logs'],
        tls: tlsOf(raw.tls, v.tls),
      })),
    },
    grafana: {
      folder: raw.grafana?.folder ?? DEFAULTS.grafanaFolder,
      refresh: raw.grafana?.refresh ?? DEFAULTS.grafanaRefresh,
      ...(raw.grafana?.caFile ? { caFile: String(raw.grafana.caFile) } : {}),
      ...(raw.grafana?.url ? { url: raw.grafana.url.replace(/\/+$/, '') } : {}),
    },
    ci: buildCi(raw),
    services,
    kubernetes: buildKubernetes(raw),
  };
}

function buildKubernetes(raw: ManifestInput): KubernetesModel {
  const k = raw.kubernetes ?? {};
  const d = DEFAULTS.kubernetes;
  const namespace: string = k.namespace ?? d.namespace;
  return {
    namespace,
    serviceNamespace: k.serviceNamespace ?? namespace,
    monitoringLabels: { ...(k.monitoringLabels ?? {}) },
    k6: { image: k.k6?.image ?? d.k6.image, cpu: k.k6?.cpu ?? d.k6.cpu, memory: k.k6?.memory ?? d.k6.memory },
    agent: { cpu: { request: k.agent?.cpu?.request ?? d.agent.cpu.request, limit: k.agent?.cpu?.limit ?? d.agent.cpu.limit } },
    gateway: {
      minReplicas: k.gateway?.minReplicas ?? d.gateway.minReplicas,
      maxReplicas: k.gateway?.maxReplicas ?? d.gateway.maxReplicas,
      targetCpuUtilization: k.gateway?.targetCpuUtilization ?? d.gateway.targetCpuUtilization,
      cpu: { request: k.gateway?.cpu?.request ?? d.gateway.cpu.request, limit: k.gateway?.cpu?.limit ?? d.gateway.cpu.limit },
    },
  };
}
