/**
 * Spans grouped by trace, bounded twice: at most `maxTraces` traces and `maxSpans` spans in all.
 * Eviction removes whole traces, oldest first (by first span received), so a trace in the UI is
 * never missing its older half. A span past the cap of its own (still newest) trace is dropped.
 */
import { SPAN_KIND, STATUS_CODE, type DevSpan } from '../model.js';

export interface TraceEntry {
  readonly traceId: string;
  readonly spans: DevSpan[];
  /** Epoch ms of the first span's arrival (eviction order). */
  readonly receivedMs: number;
  startMs: number;
  endMs: number;
  errorCount: number;
  /** The span without a parent in this trace (or, until it arrives, the earliest span). */
  root: DevSpan;
  services: Set<string>;
}

export interface TraceStoreCaps {
  readonly maxTraces: number;
  readonly maxSpans: number;
}

export class TraceStore {
  private readonly traces = new Map<string, TraceEntry>();
  private spanCount = 0;
  droppedTraces = 0;
  droppedSpans = 0;

  constructor(readonly caps: TraceStoreCaps) {
    for (const [k, v] of Object.entries(caps)) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive integer, got ${String(v)}`);
    }
  }

  get traceCount(): number {
    return this.traces.size;
  }

  get heldSpans(): number {
    return this.spanCount;
  }

  get(traceId: string): TraceEntry | undefined {
    return this.traces.get(traceId);
  }

  /** Oldest first. */
  entries(): IterableIterator<TraceEntry> {
    return this.traces.values();
  }

  add(span: DevSpan, nowMs: number): void {
    let entry = this.traces.get(span.traceId);
    if (entry === undefined) {
      entry = {
        traceId: span.traceId,
        spans: [],
        receivedMs: nowMs,
        startMs: span.startMs,
        endMs: span.startMs + span.durationMs,
        errorCount: 0,
        root: span,
        services: new Set(),
      };
      this.traces.set(span.traceId, entry);
    } else if (entry.spans.length >= this.caps.maxSpans) {
      this.droppedSpans++;
      return;
    }
    entry.spans.push(span);
    this.spanCount++;
    entry.startMs = Math.min(entry.startMs, span.startMs);
    entry.endMs = Math.max(entry.endMs, span.startMs + span.durationMs);
    if (isError(span)) entry.errorCount++;
    entry.services.add(span.service);
    if (isBetterRoot(span, entry.root)) entry.root = span;
    this.evict(entry);
  }

  private evict(keep: TraceEntry): void {
    while (this.traces.size > this.caps.maxTraces || this.spanCount > this.caps.maxSpans) {
      const oldest = this.traces.values().next().value as TraceEntry;
      if (oldest === keep) break;
      this.traces.delete(oldest.traceId);
      this.spanCount -= oldest.spans.length;
      this.droppedTraces++;
      this.droppedSpans += oldest.spans.length;
    }
  }
}

/** An error span: status ERROR, or a server span answering 5xx. */
export function isError(span: DevSpan): boolean {
  if (span.statusCode === STATUS_CODE.ERROR) return true;
  return span.kind === SPAN_KIND.SERVER && (httpStatusOf(span) ?? 0) >= 500;
}

export function httpStatusOf(span: DevSpan): number | undefined {
  const v = span.attributes['http.response.status_code'] ?? span.attributes['http.status_code'];
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

function isBetterRoot(candidate: DevSpan, current: DevSpan): boolean {
  const candidateIsRoot = candidate.parentSpanId === '';
  const currentIsRoot = current.parentSpanId === '';
  if (candidateIsRoot !== currentIsRoot) return candidateIsRoot;
  return candidate.startMs < current.startMs;
}
