/** The traces list (summaries, filtered, newest first) and one trace with its spans and logs. */
import { SPAN_KIND, type DevLogRecord, type DevSpan } from '../model.js';
import type { SloManifest } from '../slo/slo-manifest.js';
import { violatedSlos } from '../slo/request-judgement.js';
import { methodOf, routeOf } from '../store/request-samples.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { httpStatusOf, type TraceEntry } from '../store/trace-store.js';

export interface TraceFilter {
  readonly service?: string;
  readonly route?: string;
  readonly status?: 'ok' | 'error';
  readonly minDurationMs?: number;
  readonly limit?: number;
}

export interface TraceSummary {
  readonly traceId: string;
  readonly service: string;
  readonly name: string;
  readonly method: string;
  readonly route: string;
  readonly httpStatus: number | null;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  readonly errorCount: number;
  readonly services: readonly string[];
  /** SLOs of the manifest that a server span in this trace counts against. */
  readonly sloViolations: ReadonlyArray<{ readonly service: string; readonly slo: 'availability' | 'latency' }>;
}

export interface TraceDetail extends TraceSummary {
  readonly spans: readonly DevSpan[];
  readonly logs: readonly DevLogRecord[];
}

export const MAX_LIST_LIMIT = 1_000;

export function summarize(entry: TraceEntry, slos: SloManifest | undefined): TraceSummary {
  const root = entry.root;
  const sloViolations: Array<{ service: string; slo: 'availability' | 'latency' }> = [];
  if (slos) {
    for (const span of entry.spans) {
      if (span.kind !== SPAN_KIND.SERVER) continue;
      const service = slos.services.find((s) => s.name === span.service);
      for (const slo of violatedSlos({ httpStatus: httpStatusOf(span) ?? 0, durationMs: span.durationMs }, service)) {
        if (!sloViolations.some((v) => v.service === span.service && v.slo === slo)) sloViolations.push({ service: span.service, slo });
      }
    }
  }
  return {
    traceId: entry.traceId,
    service: root.service,
    name: root.name,
    method: methodOf(root),
    route: root.kind === SPAN_KIND.SERVER ? routeOf(root) : '',
    httpStatus: httpStatusOf(root) ?? null,
    startMs: entry.startMs,
    durationMs: entry.endMs - entry.startMs,
    spanCount: entry.spans.length,
    errorCount: entry.errorCount,
    services: [...entry.services].sort(),
    sloViolations,
  };
}

export function listTraces(store: TelemetryStore, filter: TraceFilter, slos: SloManifest | undefined): TraceSummary[] {
  const limit = Math.min(Math.max(1, filter.limit ?? 200), MAX_LIST_LIMIT);
  const entries = [...store.traces.entries()];
  const out: TraceSummary[] = [];
  // Newest first by start time; the store's order is arrival order, close to it but not equal.
  entries.sort((a, b) => b.startMs - a.startMs);
  for (const entry of entries) {
    if (filter.service && !entry.services.has(filter.service)) continue;
    if (filter.status === 'error' && entry.errorCount === 0) continue;
    if (filter.status === 'ok' && entry.errorCount > 0) continue;
    if (filter.minDurationMs !== undefined && entry.endMs - entry.startMs < filter.minDurationMs) continue;
    if (filter.route && !entry.spans.some((s) => s.kind === SPAN_KIND.SERVER && routeOf(s) === filter.route)) continue;
    out.push(summarize(entry, slos));
    if (out.length >= limit) break;
  }
  return out;
}

/** Logs of a trace, oldest first (bounded by the log ring). */
export function traceLogs(store: TelemetryStore, traceId: string, limit = 1_000): DevLogRecord[] {
  return store.logs.findNewest((l) => l.traceId === traceId, limit).reverse();
}

export function traceDetail(store: TelemetryStore, traceId: string, slos: SloManifest | undefined): TraceDetail | undefined {
  const entry = store.traces.get(traceId);
  if (entry === undefined) return undefined;
  const spans = [...entry.spans].sort((a, b) => a.startMs - b.startMs);
  return { ...summarize(entry, slos), spans, logs: traceLogs(store, traceId) };
}
