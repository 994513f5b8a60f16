/**
 * One compact sample per SERVER span (service, route, status, duration), kept in their own ring
 * so the per-route RED figures and the SLOs cover more requests than the trace store holds.
 */
import { SPAN_KIND, type DevSpan } from '../model.js';
import { httpStatusOf, isError } from './trace-store.js';
import { RingBuffer } from './ring-buffer.js';

export interface RequestSample {
  readonly service: string;
  readonly method: string;
  readonly route: string;
  /** End time, epoch ms. */
  readonly timeMs: number;
  readonly durationMs: number;
  /** 0 when the span has no HTTP status. */
  readonly httpStatus: number;
  readonly error: boolean;
}

export function routeOf(span: DevSpan): string {
  const route = span.attributes['http.route'];
  if (typeof route === 'string' && route !== '') return route;
  return span.name;
}

export function methodOf(span: DevSpan): string {
  const m = span.attributes['http.request.method'] ?? span.attributes['http.method'];
  return typeof m === 'string' ? m : '';
}

export class RequestSamples {
  private readonly ring: RingBuffer<RequestSample>;

  constructor(capacity: number) {
    this.ring = new RingBuffer(capacity);
  }

  get length(): number {
    return this.ring.length;
  }

  get dropped(): number {
    return this.ring.dropped;
  }

  /** Records `span` when it is a SERVER span. */
  observe(span: DevSpan): void {
    if (span.kind !== SPAN_KIND.SERVER) return;
    this.ring.push({
      service: span.service,
      method: methodOf(span),
      route: routeOf(span),
      timeMs: span.startMs + span.durationMs,
      durationMs: span.durationMs,
      httpStatus: httpStatusOf(span) ?? 0,
      error: isError(span),
    });
  }

  /** Oldest first. */
  [Symbol.iterator](): IterableIterator<RequestSample> {
    return this.ring[Symbol.iterator]();
  }
}
