import { HTTP_DURATION_BUCKETS_SECONDS, isBucketBoundary } from '@platform/conventions';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { ManifestError, type ManifestIssue } from '../errors.js';
import {
  BYTES_QUEUE_SIZER_VERSION,
  DEFAULTS,
  MAX_QUEUED_REQUEST_MIB,
  MIN_COLLECTOR_VERSION,
  OTLP_EXPORTER_RENAME_VERSION,
  compareVersions,
  type AvailabilitySloModel,
  type CollectorModel,
  type EndpointModel,
  type LatencySloModel,
  type PlatformModel,
  type ServiceModel,
  type Signal,
  type TlsModel,
} from '../model.js';
import { didYouMean } from './did-you-mean.js';
import { findLiteralSecrets, isSecretBearingPath, maskedValue } from './literal-secrets.js';
import { formatPath, parseManifest, type ParsedManifest, type PathSegment } from './parse.js';
import { schemaErrors } from './schema.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw manifest data is checked by the schema first */
type Raw = any;

/** Parse + schema + semantic checks + defaults: text in, model out (or ManifestError). */
export function loadManifest(text: string, file: string): PlatformModel {
  const parsed = parseManifest(text, file);
  return validateManifest(parsed);
}

/** Problems listed per run; the rest are counted (each costs a position lookup). */
export const MAX_REPORTED_ISSUES = 100;

export function validateManifest(parsed: ParsedManifest): PlatformModel {
  const issues: ManifestIssue[] = [];
  let omitted = 0;
  const at = (path: readonly PathSegment[], message: string, hint?: string, key = false): void => {
    if (issues.length >= MAX_REPORTED_ISSUES) {
      omitted++;
      return;
    }
    const pos = parsed.positionOf(path, key);
    const base = { file: parsed.file, line: pos.line, col: pos.col, path: formatPath(path), message };
    issues.push(hint === undefined ? base : { ...base, hint });
  };

  for (const e of schemaErrors(parsed.data)) {
    if (issues.length >= MAX_REPORTED_ISSUES)
      omitted++; // not mapped: a did-you-mean per error adds up
    else schemaIssue(e, at);
  }
  if (issues.length > 0) throw new ManifestError(dedupe(issues), omitted);

  const raw: Raw = parsed.data;
  semanticChecks(raw, at);
  if (issues.length > 0) throw new ManifestError(dedupe(issues), omitted);
  return buildModel(raw);
}

type At = (path: readonly PathSegment[], message: string, hint?: string, key?: boolean) => void;

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

const PATTERN_HINTS: ReadonlyArray<[RegExp, string]> = [
  [/(^|\.)name$|dependencies\[\d+\]$/, 'use 1-63 lower-case letters, digits or "-", starting with a letter (no quotes, braces, slashes or spaces)'],
  [/objective$/, 'write it like "p95 < 300ms" or "99% < 1s"'],
  [/window$/, 'a whole number of days, e.g. 28d or 30d'],
  [/route$/, 'a route template starting with "/", e.g. /orders/:id (letters, digits, . _ ~ : / -)'],
  [/endpoint$|Url$|baseUrl$/, 'host:port or http(s)://host:port/path without spaces or quotes; put secrets in ${env:VAR}'],
  [/version$/, 'e.g. 0.144.0'],
  [/Endpoint$/, 'host:port, e.g. 0.0.0.0:4317'],
  [/headers\./, 'header values cannot contain quotes or newlines'],
];

/** Keys an older manifest may still carry, and where they live now. */
const MOVED_KEYS: Readonly<Record<string, string>> = {
  'collector.grpcEndpoint': 'collector.agent.grpcEndpoint (the agent; the gateway has its own collector.gateway.grpcEndpoint)',
  'collector.httpEndpoint': 'collector.agent.httpEndpoint (the agent; the gateway has its own collector.gateway.httpEndpoint)',
  'collector.healthCheckEndpoint': 'collector.agent.healthCheckEndpoint and collector.gateway.healthCheckEndpoint',
  'collector.gatewayEndpoint': 'collector.gateway.endpoint',
};

function schemaIssue(e: ErrorObject, at: At): void {
  const path = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const moved = MOVED_KEYS[formatPath([...path, key])];
      if (moved) {
        at([...path, key], `"${key}" has moved`, `write it as ${moved}`, true);
        return;
      }
      const allowed = Object.keys(((e.parentSchema as Raw)?.properties ?? {}) as object);
      const guess = didYouMean(key, allowed);
      at([...path, key], `unknown key "${key}"`, guess ? `did you mean "${guess}"?` : `allowed keys: ${allowed.join(', ')}`, true);
      return;
    }
    case 'required':
      at(path, `missing required field "${String(p['missingProperty'])}"`, `add "${String(p['missingProperty'])}:" here`);
      return;
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      at(path, `must be one of: ${allowed.join(', ')}`, guess ? `did you mean "${guess}"?` : undefined);
      return;
    }
    case 'pattern': {
      const dotted = formatPath(path);
      const hint = PATTERN_HINTS.find(([re]) => re.test(dotted))?.[1];
      at(path, `invalid value ${isSecretBearingPath(path) ? maskedValue(e.data) : JSON.stringify(e.data)}`, hint ?? `must match ${String(p['pattern'])}`);
      return;
    }
    case 'propertyNames':
      return; // reported by the nested `pattern` error with the offending name
    default:
      at(path, e.message ?? e.keyword);
  }
}

function dedupe(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  const out: ManifestIssue[] = [];
  for (const i of issues) {
    const k = `${i.line}:${i.col}:${i.path}:${i.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(i);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

export const LATENCY_OBJECTIVE = /^\s*(?:p([0-9]{1,2}(?:\.[0-9]{1,3})?)|([0-9]{1,2}(?:\.[0-9]{1,3})?)%)\s*<\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)\s*$/;

export function parseLatencyObjective(text: string): { percentile: number; thresholdSeconds: number } | undefined {
  const m = LATENCY_OBJECTIVE.exec(text);
  if (!m) return undefined;
  const percentile = Number(m[1] ?? m[2]);
  const value = Number(m[3]);
  const thresholdSeconds = m[4] === 'ms' ? value / 1000 : value;
  return { percentile, thresholdSeconds: round(thresholdSeconds) };
}

/** Rounds away float noise (0.1 + 0.2) without losing meaningful digits. */
export function round(x: number): number {
  return Number(x.toPrecision(12));
}

function formatSeconds(s: number): string {
  return s < 1 ? `${round(s * 1000)}ms` : `${s}s`;
}

/** Bucket boundaries just below and above `seconds`, for the hint. */
export function nearestBoundaries(seconds: number, buckets: readonly number[] = HTTP_DURATION_BUCKETS_SECONDS): number[] {
  const below = [...buckets].reverse().find((b) => b < seconds);
  const above = buckets.find((b) => b > seconds);
  return [below, above].filter((b): b is number => b !== undefined);
}

function checkUrl(url: Raw, path: PathSegment[], at: At, tlsInsecure?: boolean): void {
  if (typeof url !== 'string') return;
  if (tlsInsecure === false && /^http:\/\//i.test(url))
    at(
      path,
      'plain http:// endpoint while TLS is on',
      'use https://, or set `tls: { insecure: true }` on this backend (or globally) to send unencrypted on purpose',
    );
}

function semanticChecks(raw: Raw, at: At): void {
  for (const f of findLiteralSecrets(raw)) at(f.path, f.message, f.hint, f.key);
  const version: string = raw.collector?.version ?? DEFAULTS.collectorVersion;
  if (compareVersions(version, MIN_COLLECTOR_VERSION) < 0) {
    at(['collector', 'version'], `collector ${version} is older than the oldest supported ${MIN_COLLECTOR_VERSION}`, `use ${MIN_COLLECTOR_VERSION} or newer`);
  }
  checkGatewayHop(raw, at);
  if (raw.tls?.insecure === true) {
    at(
      ['tls', 'insecure'],
      'plain text cannot be switched on for every hop at once',
      'set insecure: true on the hop that needs it: backends.<kind>.tls or collector.gateway.tls',
    );
  }
  for (const kind of ['metrics', 'logs', 'traces'] as const) {
    const b = raw.backends?.[kind];
    if (!b) continue;
    const insecure = (b.tls?.insecure ?? raw.tls?.insecure) === true;
    checkUrl(b.endpoint, ['backends', kind, 'endpoint'], at, b.type === 'prometheus-scrape' ? undefined : insecure);
    checkUrl(b.queryUrl, ['backends', kind, 'queryUrl'], at, insecure);
  }
  if (
    raw.backends?.metrics?.type === 'prometheus-scrape' &&
    raw.backends.metrics.endpoint &&
    !/^([a-zA-Z0-9.-]+|\[[0-9a-fA-F:]+\]):[0-9]{1,5}$/.test(raw.backends.metrics.endpoint)
  ) {
    at(
      ['backends', 'metrics', 'endpoint'],
      'prometheus-scrape needs a bind address',
      'e.g. 0.0.0.0:8889 (the gateway exposes metrics there for Prometheus to scrape)',
    );
  }
  const vendorNames = new Set<string>();
  (raw.backends?.otlp ?? []).forEach((v: Raw, i: number) => {
    if (vendorNames.has(v.name)) at(['backends', 'otlp', i, 'name'], `duplicate vendor name "${v.name}"`, 'vendor names must be unique');
    vendorNames.add(v.name);
    checkUrl(v.endpoint, ['backends', 'otlp', i, 'endpoint'], at, (v.tls?.insecure ?? raw.tls?.insecure) === true);
  });

  const names = new Map<string, number>();
  (raw.services as Raw[]).forEach((s, i) => {
    const prev = names.get(s.name);
    if (prev !== undefined)
      at(['services', i, 'name'], `duplicate service name "${s.name}"`, `services[${prev}] already uses it; names become Prometheus jobs and file names`);
    names.set(s.name, i);
    if ((s.dependencies ?? []).includes(s.name)) at(['services', i, 'dependencies'], 'a service cannot depend on itself');
    checkUrl(s.load?.baseUrl, ['services', i, 'load', 'baseUrl'], at);

    const routes = new Set<string>();
    (s.endpoints ?? []).forEach((ep: Raw, j: number) => {
      const tag = `${ep.method} ${ep.route}`;
      if (routes.has(tag)) at(['services', i, 'endpoints', j], `duplicate endpoint ${tag}`);
      routes.add(tag);
      const routeParams = [...String(ep.route).matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
      for (const p of Object.keys(ep.params ?? {})) {
        if (!routeParams.includes(p)) {
          const guess = didYouMean(p, routeParams);
          at(['services', i, 'endpoints', j, 'params', p], `route ${ep.route} has no :${p} parameter`, guess ? `did you mean "${guess}"?` : undefined, true);
        }
      }
    });

    const lat = s.slos?.latency;
    if (lat) {
      const parsed = parseLatencyObjective(lat.objective);
      const path: PathSegment[] = ['services', i, 'slos', 'latency', 'objective'];
      if (!parsed) {
        at(path, `cannot read latency objective ${JSON.stringify(lat.objective)}`, 'write it like "p95 < 300ms" or "99% < 1s"');
      } else {
        if (parsed.percentile <= 0 || parsed.percentile >= 100) at(path, `percentile ${parsed.percentile} must be between 0 and 100`);
        if (!isBucketBoundary(HTTP_DURATION_BUCKETS_SECONDS, parsed.thresholdSeconds)) {
          const near = nearestBoundaries(parsed.thresholdSeconds).map(formatSeconds);
          at(
            path,
            `latency threshold ${formatSeconds(parsed.thresholdSeconds)} is not a histogram bucket boundary`,
            `PromQL can only count requests under a bucket bound; nearest boundaries: ${near.join(' or ')} (all: ${HTTP_DURATION_BUCKETS_SECONDS.map(formatSeconds).join(', ')})`,
          );
        }
      }
    }
  });
}

function checkGatewayHop(raw: Raw, at: At): void {
  const g = raw.collector?.gateway ?? {};
  const auth = g.auth ?? DEFAULTS.gateway.auth;
  const path: PathSegment[] = ['collector', 'gateway'];
  if (auth === 'bearer' && g.bearerToken === undefined)
    at(
      [...path, 'auth'],
      'auth: bearer needs collector.gateway.bearerToken',
      'add bearerToken: "${env:OTEL_GATEWAY_TOKEN}" (the same variable on agents and gateway)',
    );
  if (auth !== 'bearer' && g.bearerToken !== undefined)
    at([...path, 'bearerToken'], `bearerToken is only used with auth: bearer (auth is ${auth})`, 'remove it, or set auth: bearer');
  if (auth === 'mtls' && g.tls?.insecure === true)
    at(
      [...path, 'tls', 'insecure'],
      'auth: mtls needs TLS on this hop',
      'use auth: bearer (TLS terminated in front of the gateway) or auth: none, or drop insecure',
    );
  if (auth !== 'mtls') {
    for (const k of ['clientCaFile', 'clientCertFile', 'clientKeyFile'] as const) {
      if (g.tls?.[k] !== undefined) at([...path, 'tls', k], `${k} is only used with auth: mtls (auth is ${auth})`, 'remove it, or set auth: mtls');
    }
  }
  if (g.tls?.insecure === true) {
    for (const k of ['caFile', 'certFile', 'keyFile', 'serverName', 'minVersion'] as const) {
      if (g.tls?.[k] !== undefined) at([...path, 'tls', k], `${k} has no effect with insecure: true`, 'remove it, or drop insecure');
    }
  }
  const a = raw.collector?.agent ?? {};
  const agent = { ...DEFAULTS.agent, ...a };
  const gateway = { ...DEFAULTS.gateway, ...g };
  // Agent and gateway each need distinct ports among their own listeners (and the scrape exporter on the gateway).
  const own = (role: 'agent' | 'gateway', listeners: Record<string, string>, extra: Record<string, string> = {}): void => {
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries({ ...listeners, ...extra })) {
      const port = String(value).split(':').pop() as string;
      const prev = seen.get(port);
      if (prev !== undefined) {
        const where: PathSegment[] = key === 'prometheus-scrape' ? ['backends', 'metrics', 'endpoint'] : ['collector', role, key];
        at(where, `port ${port} is already used by the ${role}'s ${prev}`, 'give each listener of one collector its own port');
      } else seen.set(port, key);
    }
  };
  const listenerKeys = ['grpcEndpoint', 'httpEndpoint', 'healthCheckEndpoint', 'metricsEndpoint'] as const;
  const pick = (o: Record<string, unknown>): Record<string, string> => Object.fromEntries(listenerKeys.map((k) => [k, String(o[k])]));
  own('agent', pick(agent));
  const scrape: Record<string, string> =
    raw.backends?.metrics?.type === 'prometheus-scrape'
      ? { 'prometheus-scrape': String(raw.backends.metrics.endpoint ?? DEFAULTS.metricsEndpoint['prometheus-scrape']) }
      : {};
  own('gateway', pick(gateway), scrape);
}

function tlsOf(global: Raw, local: Raw): TlsModel {
  const t = { ...(global ?? {}), ...(local ?? {}) };
  const out: { -readonly [K in keyof TlsModel]: TlsModel[K] } = {
    insecure: t.insecure === true,
    insecureSkipVerify: t.insecureSkipVerify === true,
  };
  for (const k of ['caFile', 'certFile', 'keyFile', 'serverName', 'minVersion'] as const) if (t[k] !== undefined) out[k] = String(t[k]);
  return out;
}

function days(window: string): number {
  return Number(window.slice(0, -1));
}

function buildEndpoint(ep: Raw): EndpointModel {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries((ep.params ?? {}) as Record<string, unknown>)) params[k] = String(v);
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

function buildCollector(raw: Raw, version: string, renamed: boolean): CollectorModel {
  const c = raw.collector ?? {};
  const a = c.agent ?? {};
  const g = c.gateway ?? {};
  const t = g.tls ?? {};
  const d = DEFAULTS.gateway;
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
    agent: {
      grpcEndpoint: a.grpcEndpoint ?? DEFAULTS.agent.grpcEndpoint,
      httpEndpoint: a.httpEndpoint ?? DEFAULTS.agent.httpEndpoint,
      healthCheckEndpoint: a.healthCheckEndpoint ?? DEFAULTS.agent.healthCheckEndpoint,
      metricsEndpoint: a.metricsEndpoint ?? DEFAULTS.agent.metricsEndpoint,
      ...(agentTls ? { tls: agentTls } : {}),
    },
    gateway: {
      endpoint: g.endpoint ?? d.endpoint,
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

export function buildModel(raw: Raw): PlatformModel {
  const version: string = raw.collector?.version ?? DEFAULTS.collectorVersion;
  const renamed = compareVersions(version, OTLP_EXPORTER_RENAME_VERSION) >= 0;
  const b = raw.backends ?? {};
  const services: ServiceModel[] = (raw.services as Raw[]).map((s) => {
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
    const endpoints = (s.endpoints?.length ? s.endpoints : [{ method: 'GET', route: '/' }]).map(buildEndpoint);
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
      },
    };
  });
  const backend = (kind: 'metrics' | 'logs' | 'traces') => {
    const d = DEFAULTS[kind];
    const x = b[kind] ?? {};
    return {
      endpoint: x.endpoint ?? d.endpoint,
      queryUrl: x.queryUrl ?? d.queryUrl,
      headers: { ...(x.headers ?? {}) } as Record<string, string>,
      queryHeaders: { ...(x.queryHeaders ?? {}) } as Record<string, string>,
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
      vendors: (b.otlp ?? []).map((v: Raw) => ({
        name: v.name,
        protocol: v.protocol ?? 'http',
        endpoint: v.endpoint,
        headers: { ...(v.headers ?? {}) },
        signals: (v.signals ?? ['traces', 'metrics', 'logs']) as Signal[],
        tls: tlsOf(raw.tls, v.tls),
      })),
    },
    grafana: {
      folder: raw.grafana?.folder ?? DEFAULTS.grafanaFolder,
      refresh: raw.grafana?.refresh ?? DEFAULTS.grafanaRefresh,
      ...(raw.grafana?.caFile ? { caFile: String(raw.grafana.caFile) } : {}),
    },
    services,
  };
}
