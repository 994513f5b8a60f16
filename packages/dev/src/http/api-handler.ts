/**
 * The UI's server: the static bundle, the JSON query API under /api and the live event stream.
 * Every request passes the Host/Origin guard first. Query parameters are validated; anything
 * malformed is a 400 with a message, never an exception.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Forwarder } from '../forward/forwarder.js';
import { queryLogs, SEVERITY_LEVELS, type LogFilter, type SeverityLevel } from '../query/log-query.js';
import { routeRed } from '../query/service-red.js';
import { listTraces, traceDetail, type TraceFilter } from '../query/trace-query.js';
import type { SloManifest } from '../slo/slo-manifest.js';
import { serviceSloStatus } from '../slo/slo-status.js';
import { durationMs } from '../slo/duration.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { checkHostAndOrigin } from './host-guard.js';
import type { LiveEvents } from './live-events.js';
import type { ReceiverCounters } from './otlp-handler.js';
import { SECURITY_HEADERS, type Asset } from './ui-assets.js';

export interface ApiContext {
  readonly store: TelemetryStore;
  readonly slos: SloManifest | undefined;
  readonly manifestFile: string | undefined;
  readonly assets: ReadonlyMap<string, Asset>;
  readonly live: LiveEvents;
  readonly counters: ReceiverCounters;
  readonly forwarder: Forwarder | undefined;
  readonly otlpUrl: () => string;
  readonly uiPort: () => number;
  readonly now: () => number;
}

class BadRequest extends Error {}

const TRACE_ID = /^[0-9a-f]{32}$/;

export function createUiHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const verdict = checkHostAndOrigin(req.headers, ctx.uiPort());
    if (!verdict.ok) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(`forbidden: ${verdict.reason}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('read-only API\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    try {
      if (url.pathname === '/api/events') {
        if (!ctx.live.attach(res, SECURITY_HEADERS)) res.writeHead(503, { 'content-type': 'text/plain' }).end('too many live clients\n');
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        const body = api(ctx, url);
        if (body === undefined) json(res, 404, { error: `not found: ${url.pathname}` });
        else json(res, 200, body);
        return;
      }
      const asset = ctx.assets.get(url.pathname);
      if (asset === undefined) {
        res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain' }).end('not found\n');
        return;
      }
      res
        .writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType, 'cache-control': 'no-cache' })
        .end(req.method === 'HEAD' ? undefined : asset.body);
    } catch (error) {
      if (error instanceof BadRequest) json(res, 400, { error: error.message });
      else json(res, 500, { error: `internal error: ${error instanceof Error ? error.message : String(error)}` });
    }
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function api(ctx: ApiContext, url: URL): unknown {
  const q = url.searchParams;
  const path = url.pathname;
  if (path === '/api/stats') {
    return {
      store: ctx.store.stats(),
      receiver: { ...ctx.counters, otlpUrl: ctx.otlpUrl() },
      forward: ctx.forwarder?.stats() ?? null,
      manifest: ctx.manifestFile ?? null,
      services: ctx.store.serviceNames(),
    };
  }
  if (path === '/api/traces') {
    const filter: TraceFilter = {
      ...opt('service', q.get('service')),
      ...opt('route', q.get('route')),
      ...opt('status', oneOf(q.get('status'), ['ok', 'error'] as const, 'status')),
      ...opt('minDurationMs', num(q.get('minDurationMs'), 'minDurationMs')),
      ...opt('limit', num(q.get('limit'), 'limit')),
    };
    return { traces: listTraces(ctx.store, filter, ctx.slos) };
  }
  const traceMatch = /^\/api\/traces\/([^/]+)$/.exec(path);
  if (traceMatch) {
    const id = (traceMatch[1] as string).toLowerCase();
    if (!TRACE_ID.test(id)) throw new BadRequest('a trace id is 32 hex digits');
    return traceDetail(ctx.store, id, ctx.slos);
  }
  if (path === '/api/logs') {
    const traceId = q.get('traceId')?.toLowerCase() || undefined;
    if (traceId !== undefined && !TRACE_ID.test(traceId)) throw new BadRequest('traceId is 32 hex digits');
    const filter: LogFilter = {
      ...opt('service', q.get('service')),
      ...opt('level', oneOf(q.get('level'), SEVERITY_LEVELS, 'level') as SeverityLevel | undefined),
      ...opt('text', q.get('text')?.slice(0, 200)),
      ...opt('traceId', traceId),
      ...opt('afterSeq', num(q.get('afterSeq'), 'afterSeq')),
      ...opt('limit', num(q.get('limit'), 'limit')),
    };
    return { logs: queryLogs(ctx.store, filter) };
  }
  if (path === '/api/services') {
    const now = ctx.now();
    const window = q.get('window') ?? '5m';
    let windowMs: number;
    try {
      windowMs = durationMs(window);
    } catch {
      throw new BadRequest('window is a duration like 5m, 1h');
    }
    const red = routeRed(ctx.store.requests, now, windowMs);
    const names = new Set([...ctx.store.serviceNames(), ...(ctx.slos?.services.map((s) => s.name) ?? [])]);
    return {
      window,
      services: [...names].sort().map((name) => {
        const manifest = ctx.slos?.services.find((s) => s.name === name);
        return {
          service: name,
          inManifest: manifest !== undefined,
          routes: red.filter((r) => r.service === name),
          slo: manifest ? serviceSloStatus(manifest, ctx.store.requests, now) : null,
          metrics: ctx.store.metrics.forService(name).map((m) => ({
            name: m.name,
            kind: m.kind,
            unit: m.unit,
            description: m.description,
            series: m.latest.size,
            updatedMs: m.updatedMs,
          })),
        };
      }),
    };
  }
  return undefined;
}

function opt<K extends string, V>(key: K, value: V | null | undefined | ''): { [P in K]?: V } {
  return value === null || value === undefined || value === '' ? {} : ({ [key]: value } as { [P in K]?: V });
}

function num(v: string | null, name: string): number | undefined {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new BadRequest(`${name} must be a non-negative number`);
  return n;
}

function oneOf<T extends string>(v: string | null, allowed: readonly T[], name: string): T | undefined {
  if (v === null || v === '') return undefined;
  if (!(allowed as readonly string[]).includes(v)) throw new BadRequest(`${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}
