import type { ClientRequest, IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { HTTP_CLIENT_REQUEST_DURATION, LABEL } from '@platform/conventions';
import type { Histogram, Registry } from 'prom-client';
import { DEFAULT_MAX_LABEL_VALUES } from '../config/defaults.js';
import { getOrCreateHistogram } from './get-or-create-metric.js';
import { LabelValueCap } from './label-value-cap.js';
import { errorTypeForStatus, normaliseMethod } from './normalise-labels.js';

const kStart = Symbol('platform.telemetry.clientStart');
type TrackedClientRequest = ClientRequest & { [kStart]?: number };

interface Origin {
  address: string;
  port: number;
}
const MAX_CACHED_ORIGINS = 512;

/**
 * Records http_client_request_duration_seconds for node:http(s) and undici/fetch calls.
 * `server_address`, `server_port` and `http_response_status_code` follow whatever the app is
 * made to call and whatever the remote answers, so each keeps at most `maxLabelValues`
 * distinct values (later ones become `_other`, counted; see LabelValueCap).
 */
export class HttpClientMetrics {
  private readonly duration: Histogram<string>;
  private readonly origins = new Map<string, Origin>();
  private readonly cap: LabelValueCap;

  constructor(registry: Registry, maxLabelValues = DEFAULT_MAX_LABEL_VALUES) {
    this.duration = getOrCreateHistogram(registry, HTTP_CLIENT_REQUEST_DURATION).metric;
    this.cap = new LabelValueCap(registry, HTTP_CLIENT_REQUEST_DURATION.name, maxLabelValues);
  }

  /** node:http ClientRequest created. */
  onHttpRequestStart(request: ClientRequest): void {
    (request as TrackedClientRequest)[kStart] = performance.now();
  }

  /** node:http response ended (status known) or request failed (error). */
  onHttpRequestEnd(request: ClientRequest, response: IncomingMessage | undefined, error?: Error): void {
    const req = request as TrackedClientRequest;
    const start = req[kStart];
    if (start === undefined) return;
    req[kStart] = undefined;
    const hostHeader = request.getHeader('host');
    const defaultPort = request.protocol === 'https:' ? 443 : 80;
    const origin = this.parseHost(typeof hostHeader === 'string' ? hostHeader : request.host, defaultPort);
    this.record(request.method, origin, response?.statusCode, error, start);
  }

  /** undici (fetch) request finished or failed; `origin` is e.g. `http://host:port`. */
  onUndiciEnd(method: string, originUrl: string, status: number | undefined, error: Error | undefined, start: number): void {
    let origin = this.origins.get(originUrl);
    if (!origin) {
      try {
        const u = new URL(originUrl);
        origin = { address: u.hostname, port: u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80 };
      } catch {
        origin = { address: 'unknown', port: 0 };
      }
      this.remember(originUrl, origin);
    }
    this.record(method, origin, status, error, start);
  }

  private record(method: string, origin: Origin, status: number | undefined, error: Error | undefined, start: number): void {
    const labels: Record<string, string | number> = {
      [LABEL.httpRequestMethod]: normaliseMethod(method),
      [LABEL.serverAddress]: this.cap.value(LABEL.serverAddress, origin.address),
      [LABEL.serverPort]: this.cap.value(LABEL.serverPort, origin.port),
    };
    if (status !== undefined && status > 0) labels[LABEL.httpResponseStatusCode] = this.cap.value(LABEL.httpResponseStatusCode, status);
    const errorType = error ? error.name || 'Error' : status !== undefined ? errorTypeForStatus(status) : undefined;
    if (errorType !== undefined) labels[LABEL.errorType] = errorType;
    this.duration.observe(labels, (performance.now() - start) / 1000);
  }

  private parseHost(host: string, defaultPort: number): Origin {
    const key = `${host}|${defaultPort}`;
    let origin = this.origins.get(key);
    if (origin) return origin;
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(host);
    origin = { address: m?.[1] ?? host, port: m?.[2] ? Number(m[2]) : defaultPort };
    this.remember(key, origin);
    return origin;
  }

  private remember(key: string, origin: Origin): void {
    if (this.origins.size >= MAX_CACHED_ORIGINS) this.origins.clear();
    this.origins.set(key, origin);
  }
}
