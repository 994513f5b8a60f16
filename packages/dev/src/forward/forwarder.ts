/**
 * `--forward`: tees every accepted export, bytes as received, to a real OTLP/HTTP collector.
 * Never in the receiver's way: requests wait in a queue bounded in count and bytes (overflow is
 * dropped and counted), at most `concurrency` are in flight, each with a timeout.
 */
import type { Signal } from '../model.js';

export interface ForwardItem {
  readonly signal: Signal;
  readonly body: Buffer;
  readonly contentType: string;
  readonly contentEncoding: string | undefined;
}

export interface ForwarderOptions {
  /** Base URL, e.g. http://127.0.0.1:4318 (`/v1/<signal>` is appended). */
  readonly endpoint: string;
  readonly maxQueuedRequests?: number;
  readonly maxQueuedBytes?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
}

export interface ForwarderStats {
  readonly endpoint: string;
  readonly forwarded: number;
  readonly failed: number;
  readonly dropped: number;
  readonly queued: number;
  readonly lastError: string | null;
}

export class Forwarder {
  private readonly queue: ForwardItem[] = [];
  private queuedBytes = 0;
  private inFlight = 0;
  private forwarded = 0;
  private failed = 0;
  private dropped = 0;
  private lastError: string | null = null;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly base: string;
  private readonly maxQueuedRequests: number;
  private readonly maxQueuedBytes: number;
  private readonly concurrency: number;
  private readonly timeoutMs: number;

  constructor(options: ForwarderOptions) {
    const url = new URL(options.endpoint);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`--forward needs an http(s) URL, got ${options.endpoint}`);
    this.base = url.href.replace(/\/+$/, '');
    this.maxQueuedRequests = options.maxQueuedRequests ?? 256;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
    this.concurrency = options.concurrency ?? 2;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Queues a copy for the collector; returns false when the queue is full (the item is dropped). */
  offer(item: ForwardItem): boolean {
    if (this.queue.length >= this.maxQueuedRequests || this.queuedBytes + item.body.length > this.maxQueuedBytes) {
      this.dropped++;
      return false;
    }
    this.queue.push(item);
    this.queuedBytes += item.body.length;
    this.pump();
    return true;
  }

  stats(): ForwarderStats {
    return {
      endpoint: this.base,
      forwarded: this.forwarded,
      failed: this.failed,
      dropped: this.dropped,
      queued: this.queue.length + this.inFlight,
      lastError: this.lastError,
    };
  }

  /** Resolves when nothing is queued or in flight (or after `timeoutMs`). */
  async drain(timeoutMs = 5_000): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    await Promise.race([new Promise<void>((r) => this.idleWaiters.push(r)), new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const item = this.queue.shift() as ForwardItem;
      this.queuedBytes -= item.body.length;
      this.inFlight++;
      void this.send(item).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.inFlight === 0 && this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async send(item: ForwardItem): Promise<void> {
    const headers: Record<string, string> = { 'content-type': item.contentType };
    if (item.contentEncoding) headers['content-encoding'] = item.contentEncoding;
    try {
      const res = await fetch(`${this.base}/v1/${item.signal}`, { method: 'POST', headers, body: item.body, signal: AbortSignal.timeout(this.timeoutMs) });
      await res.arrayBuffer();
      if (res.ok) this.forwarded++;
      else {
        this.failed++;
        this.lastError = `HTTP ${res.status} from ${this.base}/v1/${item.signal}`;
      }
    } catch (error) {
      this.failed++;
      this.lastError = `${this.base}/v1/${item.signal}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
