/**
 * A real OTLP/HTTP receiver on 127.0.0.1 (random port) for tests: accepts /v1/traces,
 * /v1/logs and /v1/metrics as application/x-protobuf (decoded with protobufjs from an
 * embedded schema) or application/json, gzip or not, and stores what it decoded.
 * Fault modes: 'ok', '503', '429' (with Retry-After), 'blackhole' (accepts, never answers).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { OTLP_PROTO } from './otlp-proto.js';
import { waitFor } from './free-port.js';

export type ReceiverMode = 'ok' | '503' | '429' | 'blackhole';
export type Signal = 'traces' | 'logs' | 'metrics';

export type Attributes = Record<string, unknown>;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Attributes;
  resource: Attributes;
  scope: string;
  statusCode: number;
  events: Array<{ name: string; attributes: Attributes }>;
}

export interface ReceivedLogRecord {
  traceId: string;
  spanId: string;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: Attributes;
  resource: Attributes;
}

export interface ReceivedRequest {
  signal: Signal;
  contentType: string;
  status: number | 'pending';
  headers: http.IncomingHttpHeaders;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

const root = protobuf.parse(OTLP_PROTO, { keepCase: false }).root;
const REQUEST_TYPES: Record<Signal, protobuf.Type> = {
  traces: root.lookupType('otlp.ExportTraceServiceRequest'),
  logs: root.lookupType('otlp.ExportLogsServiceRequest'),
  metrics: root.lookupType('otlp.ExportMetricsServiceRequest'),
};

type Json = Record<string, unknown>;

function idToHex(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.toLowerCase(); // OTLP/JSON: hex string
  return Buffer.from(v as Uint8Array).toString('hex');
}

function anyValue(v: unknown): unknown {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as Json;
  if ('stringValue' in o) return o.stringValue;
  if ('boolValue' in o) return o.boolValue;
  if ('intValue' in o) return Number(o.intValue);
  if ('doubleValue' in o) return o.doubleValue;
  if ('arrayValue' in o) return (((o.arrayValue as Json).values as unknown[] | undefined) ?? []).map(anyValue);
  if ('kvlistValue' in o) return attributes((o.kvlistValue as Json).values);
  if ('bytesValue' in o) return o.bytesValue;
  return undefined;
}

function attributes(list: unknown): Attributes {
  const out: Attributes = {};
  for (const kv of (list as Json[] | undefined) ?? []) out[kv.key as string] = anyValue(kv.value);
  return out;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly logs: ReceivedLogRecord[] = [];
  readonly metricsRequests: Json[] = [];
  readonly requests: ReceivedRequest[] = [];
  /** Every request body exactly as received (`wire`) and after gunzip (`body`), in every mode. */
  readonly rawBodies: Array<{ signal: Signal; wire: Buffer; body: Buffer }> = [];
  mode: ReceiverMode = 'ok';
  retryAfterSeconds = 1;
  private readonly pending = new Set<ServerResponse>();
  private server: http.Server | undefined;
  private requiredAuthorization: string | undefined;
  /** Requests refused for a missing or wrong Authorization header. */
  unauthorized = 0;
  port = 0;
  scheme: 'http' | 'https' = 'http';

  get url(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  /**
   * Listens on 127.0.0.1:`port` (0: a random free port). With `tls`, serves HTTPS with that
   * certificate; with `authorization`, answers 401 to requests without exactly that header value.
   * Any path ending in /v1/traces, /v1/logs or /v1/metrics is accepted (e.g. Loki's /otlp/v1/logs).
   */
  async start(port = 0, opts: { tls?: { cert: string | Buffer; key: string | Buffer }; authorization?: string } = {}): Promise<this> {
    this.requiredAuthorization = opts.authorization;
    const handler = (req: IncomingMessage, res: ServerResponse): void => this.handle(req, res);
    this.scheme = opts.tls ? 'https' : 'http';
    this.server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  setMode(mode: ReceiverMode, retryAfterSeconds = 1): void {
    this.mode = mode;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  clear(): void {
    this.spans.length = 0;
    this.logs.length = 0;
    this.metricsRequests.length = 0;
    this.requests.length = 0;
    this.rawBodies.length = 0;
  }

  waitForSpans(predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs = 10_000): Promise<ReceivedSpan[]> {
    return waitFor(() => (predicate(this.spans) ? this.spans : undefined), timeoutMs);
  }

  waitForLogs(predicate: (logs: ReceivedLogRecord[]) => boolean, timeoutMs = 10_000): Promise<ReceivedLogRecord[]> {
    return waitFor(() => (predicate(this.logs) ? this.logs : undefined), timeoutMs);
  }

  async stop(): Promise<void> {
    for (const res of this.pending) res.socket?.destroy();
    this.pending.clear();
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url?.split('?', 1)[0] ?? '';
    const signal = (['traces', 'logs', 'metrics'] as const).find((s) => path.endsWith(`/v1/${s}`));
    if (req.method !== 'POST' || !signal) {
      res.writeHead(404).end();
      return;
    }
    if (this.requiredAuthorization !== undefined && req.headers.authorization !== this.requiredAuthorization) {
      this.unauthorized++;
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      const record: ReceivedRequest = { signal, contentType, status: 'pending', headers: req.headers };
      this.requests.push(record);
      const wire = Buffer.concat(chunks);
      let raw = wire;
      try {
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(wire);
      } catch {
        /* kept as received */
      }
      this.rawBodies.push({ signal, wire, body: raw });
      const mode = this.mode;
      if (mode === 'blackhole') {
        this.pending.add(res);
        res.on('close', () => this.pending.delete(res));
        return;
      }
      if (mode === '503' || mode === '429') {
        record.status = Number(mode);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (mode === '429') headers['retry-after'] = String(this.retryAfterSeconds);
        res.writeHead(record.status, headers).end('{}');
        return;
      }
      let body = Buffer.concat(chunks);
      try {
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const isJson = contentType.includes('json');
        const decoded: Json = isJson
          ? (JSON.parse(body.toString('utf8')) as Json)
          : (REQUEST_TYPES[signal].toObject(REQUEST_TYPES[signal].decode(body), { longs: String, enums: Number }) as Json);
        this.store(signal, decoded);
        record.status = 200;
        if (isJson) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } catch (error) {
        record.status = 400;
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`cannot decode: ${String(error)}`);
      }
    });
  }

  private store(signal: Signal, decoded: Json): void {
    if (signal === 'metrics') {
      this.metricsRequests.push(decoded);
      return;
    }
    if (signal === 'traces') {
      for (const rs of (decoded.resourceSpans as Json[] | undefined) ?? []) {
        const resource = attributes((rs.resource as Json | undefined)?.attributes);
        for (const ss of (rs.scopeSpans as Json[] | undefined) ?? []) {
          const scope = String((ss.scope as Json | undefined)?.name ?? '');
          for (const s of (ss.spans as Json[] | undefined) ?? []) {
            this.spans.push({
              traceId: idToHex(s.traceId),
              spanId: idToHex(s.spanId),
              parentSpanId: idToHex(s.parentSpanId),
              name: String(s.name ?? ''),
              kind: Number(s.kind ?? 0),
              attributes: attributes(s.attributes),
              resource,
              scope,
              statusCode: Number((s.status as Json | undefined)?.code ?? 0),
              events: ((s.events as Json[] | undefined) ?? []).map((e) => ({ name: String(e.name ?? ''), attributes: attributes(e.attributes) })),
            });
          }
        }
      }
      return;
    }
    for (const rl of (decoded.resourceLogs as Json[] | undefined) ?? []) {
      const resource = attributes((rl.resource as Json | undefined)?.attributes);
      for (const sl of (rl.scopeLogs as Json[] | undefined) ?? []) {
        for (const l of (sl.logRecords as Json[] | undefined) ?? []) {
          this.logs.push({
            traceId: idToHex(l.traceId),
            spanId: idToHex(l.spanId),
            severityNumber: Number(l.severityNumber ?? 0),
            severityText: String(l.severityText ?? ''),
            body: anyValue(l.body),
            attributes: attributes(l.attributes),
            resource,
          });
        }
      }
    }
  }
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  return new OtlpReceiver().start();
}
