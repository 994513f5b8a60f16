/** What the stores hold: OTLP data normalized once at ingest, plain JSON-able objects. */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export type Signal = 'traces' | 'logs' | 'metrics';

/** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
export const SPAN_KIND = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;
/** OTLP Status.code: 0 unset, 1 ok, 2 error. */
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

export interface SpanEvent {
  readonly timeMs: number;
  readonly name: string;
  readonly attributes: Attributes;
}

export interface DevSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly service: string;
  readonly scope: string;
  /** Unix epoch milliseconds (fractional). */
  readonly startMs: number;
  readonly durationMs: number;
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly attributes: Attributes;
  readonly resource: Attributes;
  readonly events: readonly SpanEvent[];
  readonly linkCount: number;
  /** What the bounds cut: attributes, events or characters of attribute values. */
  readonly truncated: boolean;
}

export interface DevLogRecord {
  /** Arrival order, unique per process: the cursor of the live tail. */
  readonly seq: number;
  readonly timeMs: number;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: string;
  readonly service: string;
  readonly scope: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: Attributes;
  readonly resource: Attributes;
}

export type MetricKind = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary' | 'unknown';

export interface DevMetricPoint {
  readonly service: string;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly kind: MetricKind;
  readonly timeMs: number;
  readonly attributes: Attributes;
  /** Gauge/sum: the value; histogram/summary: the sum, with `count` set. */
  readonly value: number;
  readonly count?: number;
}

/** Decoded content of one export request. */
export type OtlpBatch =
  | { readonly signal: 'traces'; readonly spans: DevSpan[] }
  | { readonly signal: 'logs'; readonly logs: Array<Omit<DevLogRecord, 'seq'>> }
  | { readonly signal: 'metrics'; readonly points: DevMetricPoint[] };
