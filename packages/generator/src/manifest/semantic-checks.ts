import { HTTP_DURATION_BUCKETS_SECONDS, isBucketBoundary } from '@platform/conventions';
import { DEFAULTS, MIN_COLLECTOR_VERSION, compareVersions } from '../model.js';
import { didYouMean } from './did-you-mean.js';
import { checkLoadParallelism } from './load-parallelism.js';
import { LATENCY_OBJECTIVE_EXAMPLES, formatSeconds, nearestBoundaries, parseLatencyObjective } from './latency-objective.js';
import { findLiteralSecrets } from './literal-secrets.js';
import type { ManifestInput } from './manifest-input.generated.js';
import type { PathSegment } from './parse.js';
import type { PassedSchema } from './passed-schema.js';
import type { ReportIssue } from './report-issue.js';

function checkUrl(url: string | undefined, path: PathSegment[], at: ReportIssue, tlsInsecure?: boolean): void {
  if (typeof url !== 'string') return;
  if (tlsInsecure === false && /^http:\/\//i.test(url))
    at(
      path,
      'plain http:// endpoint while TLS is on',
      'use https://, or set `tls: { insecure: true }` on this backend to send unencrypted on purpose (a global tls.insecure is refused)',
    );
}

/**
 * The rules a JSON Schema cannot say: literal secrets, plain text only where asked for, unique names
 * and ports, route parameters, latency thresholds on bucket boundaries, collector version.
 *
 * Runs on any parsed document, also one the schema rejected, so one run reports every problem:
 * the literal-secret scan reads any shape; every other check reads only the sub-trees it needs
 * and only when `passed` says they have the schema's shape (a typed view of those parts).
 */
export function semanticChecks(data: unknown, passed: PassedSchema, at: ReportIssue): void {
  for (const f of findLiteralSecrets(data)) at(f.path, f.message, f.hint, f.key);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return;
  // Typed view: each read below is guarded by `passed` on the sub-tree it reads.
  const raw = data as Partial<ManifestInput>;
  if (passed(['collector', 'version'])) {
    const version: string = raw.collector?.version ?? DEFAULTS.collectorVersion;
    if (compareVersions(version, MIN_COLLECTOR_VERSION) < 0) {
      at(['collector', 'version'], `collector ${version} is older than the oldest supported ${MIN_COLLECTOR_VERSION}`, `use ${MIN_COLLECTOR_VERSION} or newer`);
    }
  }
  if (passed(['collector']) && passed(['backends', 'metrics'])) checkGatewayHop(raw, at);
  // The plain-text checks read the global `tls` next to each backend's own.
  if (passed(['tls'])) checkPlainText(raw, passed, at);
  if (
    passed(['backends', 'metrics']) &&
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
  if (passed(['kubernetes'])) checkKubernetes(raw, at);
  checkServices(raw, passed, at);
}

/** A CPU quantity in millicores (the schema admits only `250m` and `1.5` shapes). */
function millicores(q: string): number {
  return q.endsWith('m') ? Number(q.slice(0, -1)) : Math.round(Number(q) * 1000);
}

function checkKubernetes(raw: Partial<ManifestInput>, at: ReportIssue): void {
  const k = raw.kubernetes ?? {};
  const d = DEFAULTS.kubernetes;
  const min = k.gateway?.minReplicas ?? d.gateway.minReplicas;
  const max = k.gateway?.maxReplicas ?? d.gateway.maxReplicas;
  if (min > max) {
    const key = k.gateway?.maxReplicas !== undefined ? 'maxReplicas' : 'minReplicas';
    at(['kubernetes', 'gateway', key], `minReplicas ${min} is above maxReplicas ${max}`, `set maxReplicas to ${min} or more, or lower minReplicas`);
  }
  for (const role of ['agent', 'gateway'] as const) {
    const cpu = k[role]?.cpu;
    if (!cpu) continue;
    const request = cpu.request ?? d[role].cpu.request;
    const limit = cpu.limit ?? d[role].cpu.limit;
    if (millicores(request) > millicores(limit)) {
      at(
        ['kubernetes', role, 'cpu', cpu.limit !== undefined ? 'limit' : 'request'],
        `CPU request ${request} is above the limit ${limit}`,
        'Kubernetes refuses a request above its limit: raise the limit or lower the request',
      );
    }
  }
}

/** Plain text only where asked for, per hop; unique vendor names. Needs `tls` to have passed the schema. */
function checkPlainText(raw: Partial<ManifestInput>, passed: PassedSchema, at: ReportIssue): void {
  if (raw.tls?.insecure === true) {
    at(
      ['tls', 'insecure'],
      'plain text cannot be switched on for every hop at once',
      'set insecure: true on the hop that needs it: backends.<kind>.tls or collector.gateway.tls',
    );
  }
  for (const kind of ['metrics', 'logs', 'traces'] as const) {
    const b = passed(['backends', kind]) ? raw.backends?.[kind] : undefined;
    if (!b) continue;
    const insecure = (b.tls?.insecure ?? raw.tls?.insecure) === true;
    checkUrl(b.endpoint, ['backends', kind, 'endpoint'], at, b.type === 'prometheus-scrape' ? undefined : insecure);
    checkUrl(b.queryUrl, ['backends', kind, 'queryUrl'], at, insecure);
  }
  const vendorNames = new Set<string>();
  const vendors = passed(['backends', 'otlp']) ? (raw.backends?.otlp ?? []) : [];
  vendors.forEach((v, i) => {
    if (vendorNames.has(v.name)) at(['backends', 'otlp', i, 'name'], `duplicate vendor name "${v.name}"`, 'vendor names must be unique');
    vendorNames.add(v.name);
    checkUrl(v.endpoint, ['backends', 'otlp', i, 'endpoint'], at, (v.tls?.insecure ?? raw.tls?.insecure) === true);
  });
}

/** Per service, each check on the parts of it that passed the schema. */
function checkServices(raw: Partial<ManifestInput>, passed: PassedSchema, at: ReportIssue): void {
  if (!Array.isArray(raw.services)) return;
  const names = new Map<string, number>();
  raw.services.forEach((s, i) => {
    const ok = (...sub: PathSegment[]): boolean => passed(['services', i, ...sub]);
    if (typeof s !== 'object' || s === null) return; // reported by the schema
    if (ok('name')) {
      const prev = names.get(s.name);
      if (prev !== undefined)
        at(['services', i, 'name'], `duplicate service name "${s.name}"`, `services[${prev}] already uses it; names become Prometheus jobs and file names`);
      names.set(s.name, i);
      if (ok('dependencies') && (s.dependencies ?? []).includes(s.name)) at(['services', i, 'dependencies'], 'a service cannot depend on itself');
    }
    if (ok('load')) {
      checkUrl(s.load?.baseUrl, ['services', i, 'load', 'baseUrl'], at);
      checkLoadParallelism(s.load?.rate ?? DEFAULTS.loadRate, s.load?.parallelism ?? DEFAULTS.loadParallelism, ['services', i, 'load', 'parallelism'], at);
    }

    const routes = new Set<string>();
    (Array.isArray(s.endpoints) ? s.endpoints : []).forEach((ep, j) => {
      if (!ok('endpoints', j)) return;
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

    const lat = ok('slos', 'latency') ? s.slos?.latency : undefined;
    if (lat) {
      const parsed = parseLatencyObjective(lat.objective);
      const path: PathSegment[] = ['services', i, 'slos', 'latency', 'objective'];
      if (!parsed) {
        at(
          path,
          `cannot read latency objective ${JSON.stringify(lat.objective)}`,
          `write it like ${LATENCY_OBJECTIVE_EXAMPLES.map((e) => `"${e}"`).join(' or ')}`,
        );
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

function checkGatewayHop(raw: Partial<ManifestInput>, at: ReportIssue): void {
  const g = raw.collector?.gateway ?? {};
  const auth = g.auth ?? DEFAULTS.gateway.auth;
  const path: PathSegment[] = ['collector', 'gateway'];
  if (g.endpoint !== undefined && g.endpoints !== undefined)
    at(
      [...path, 'endpoints'],
      'endpoint and endpoints cannot both be set',
      'list every gateway under endpoints (traces are sharded over them by trace id), or keep the one endpoint',
    );
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
