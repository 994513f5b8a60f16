/** The JSON the UI reads, as the server's query modules define it (type-only imports). */
export type { DevSpan, DevLogRecord, SpanEvent, AttributeValue, Attributes } from '../../src/model.js';
export type { TraceSummary, TraceDetail } from '../../src/query/trace-query.js';
export type { RouteRed } from '../../src/query/service-red.js';
export type { ServiceSloStatus, SloStatus, BurnRateStatus } from '../../src/slo/slo-status.js';
export type { StoreStats } from '../../src/store/telemetry-store.js';
import type { StoreStats } from '../../src/store/telemetry-store.js';
import type { RouteRed } from '../../src/query/service-red.js';
import type { ServiceSloStatus } from '../../src/slo/slo-status.js';

export interface StatsResponse {
  readonly store: StoreStats;
  readonly receiver: { readonly accepted: number; readonly rejected: number; readonly otlpUrl: string };
  readonly forward: {
    readonly endpoint: string;
    readonly forwarded: number;
    readonly failed: number;
    readonly dropped: number;
    readonly queued: number;
    readonly lastError: string | null;
  } | null;
  readonly manifest: string | null;
  readonly services: readonly string[];
}

export interface ServiceView {
  readonly service: string;
  readonly inManifest: boolean;
  readonly routes: readonly RouteRed[];
  readonly slo: ServiceSloStatus | null;
  readonly metrics: ReadonlyArray<{
    readonly name: string;
    readonly kind: string;
    readonly unit: string;
    readonly description: string;
    readonly series: number;
    readonly updatedMs: number;
  }>;
}
