/**
 * Server-sent events for the UI: one `ingest` event per quarter second at most, carrying how
 * many items of each signal arrived, so the page refetches only what it shows. Clients are
 * bounded; a heartbeat comment keeps idle connections open through proxies.
 */
import type { ServerResponse } from 'node:http';
import type { IngestSummary, TelemetryStore } from '../store/telemetry-store.js';

const MAX_CLIENTS = 32;
const FLUSH_MS = 250;
const HEARTBEAT_MS = 15_000;

export class LiveEvents {
  private readonly clients = new Set<ServerResponse>();
  private pending = { spans: 0, logs: 0, metricPoints: 0 };
  private timer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(store: TelemetryStore) {
    this.unsubscribe = store.onIngest((s) => this.onIngest(s));
    this.heartbeat = setInterval(() => {
      for (const c of this.clients) c.write(': keep-alive\n\n');
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Takes over `res` as an event stream; false when too many clients are connected. */
  attach(res: ServerResponse, headers: Record<string, string>): boolean {
    if (this.clients.size >= MAX_CLIENTS) return false;
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    return true;
  }

  close(): void {
    this.unsubscribe();
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.end();
    this.clients.clear();
  }

  private onIngest(summary: IngestSummary): void {
    if (summary.signal === 'traces') this.pending.spans += summary.items;
    else if (summary.signal === 'logs') this.pending.logs += summary.items;
    else this.pending.metricPoints += summary.items;
    if (this.timer || this.clients.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const data = JSON.stringify(this.pending);
      this.pending = { spans: 0, logs: 0, metricPoints: 0 };
      for (const c of this.clients) c.write(`event: ingest\ndata: ${data}\n\n`);
    }, FLUSH_MS);
    this.timer.unref();
  }
}
