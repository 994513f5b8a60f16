/**
 * Everything `platform dev` holds, each part bounded by its cap: traces (whole-trace eviction),
 * log records (ring), server-request samples (ring) and the metric catalog. Listeners hear about
 * each ingested batch (the UI's live updates); nothing here does I/O.
 */
import type { DevLogRecord, OtlpBatch } from '../model.js';
import { MetricCatalog } from './metric-catalog.js';
import { RequestSamples } from './request-samples.js';
import { RingBuffer } from './ring-buffer.js';
import { TraceStore } from './trace-store.js';

export interface StoreCaps {
  readonly maxTraces: number;
  readonly maxSpans: number;
  readonly maxLogs: number;
  /** Server-request samples kept for RED and SLOs. */
  readonly maxRequests: number;
  readonly maxMetricSeries: number;
}

export const DEFAULT_CAPS: StoreCaps = {
  maxTraces: 10_000,
  maxSpans: 100_000,
  maxLogs: 50_000,
  maxRequests: 200_000,
  maxMetricSeries: 2_000,
};

/** Distinct service names remembered for the filters (a sender controls them). */
const MAX_SERVICE_NAMES = 1_000;

export interface IngestSummary {
  readonly signal: OtlpBatch['signal'];
  readonly items: number;
  readonly services: readonly string[];
}

export interface StoreStats {
  readonly traces: number;
  readonly spans: number;
  readonly logs: number;
  readonly requests: number;
  readonly metricSeries: number;
  readonly received: { readonly spans: number; readonly logs: number; readonly metricPoints: number };
  readonly dropped: { readonly traces: number; readonly spans: number; readonly logs: number; readonly requests: number; readonly metricPoints: number };
  readonly caps: StoreCaps;
}

export class TelemetryStore {
  readonly traces: TraceStore;
  readonly logs: RingBuffer<DevLogRecord>;
  readonly requests: RequestSamples;
  readonly metrics: MetricCatalog;
  private readonly listeners = new Set<(summary: IngestSummary) => void>();
  private readonly services = new Set<string>();
  private nextLogSeq = 1;
  private received = { spans: 0, logs: 0, metricPoints: 0 };

  constructor(
    readonly caps: StoreCaps = DEFAULT_CAPS,
    private readonly now: () => number = Date.now,
  ) {
    this.traces = new TraceStore({ maxTraces: caps.maxTraces, maxSpans: caps.maxSpans });
    this.logs = new RingBuffer(caps.maxLogs);
    this.requests = new RequestSamples(caps.maxRequests);
    this.metrics = new MetricCatalog(caps.maxMetricSeries);
  }

  ingest(batch: OtlpBatch): IngestSummary {
    const seen = new Set<string>();
    let items: number;
    if (batch.signal === 'traces') {
      const now = this.now();
      for (const span of batch.spans) {
        this.traces.add(span, now);
        this.requests.observe(span);
        seen.add(span.service);
      }
      items = batch.spans.length;
      this.received.spans += items;
    } else if (batch.signal === 'logs') {
      for (const record of batch.logs) {
        this.logs.push({ ...record, seq: this.nextLogSeq++ });
        seen.add(record.service);
      }
      items = batch.logs.length;
      this.received.logs += items;
    } else {
      for (const point of batch.points) {
        this.metrics.add(point);
        seen.add(point.service);
      }
      items = batch.points.length;
      this.received.metricPoints += items;
    }
    for (const s of seen) if (this.services.size < MAX_SERVICE_NAMES) this.services.add(s);
    const summary: IngestSummary = { signal: batch.signal, items, services: [...seen] };
    if (items > 0) for (const l of this.listeners) l(summary);
    return summary;
  }

  /** The service.name values seen so far (the first MAX_SERVICE_NAMES). */
  serviceNames(): string[] {
    return [...this.services].sort();
  }

  onIngest(listener: (summary: IngestSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stats(): StoreStats {
    return {
      traces: this.traces.traceCount,
      spans: this.traces.heldSpans,
      logs: this.logs.length,
      requests: this.requests.length,
      metricSeries: this.metrics.size,
      received: { ...this.received },
      dropped: {
        traces: this.traces.droppedTraces,
        spans: this.traces.droppedSpans,
        logs: this.logs.dropped,
        requests: this.requests.dropped,
        metricPoints: this.metrics.droppedPoints,
      },
      caps: this.caps,
    };
  }
}
