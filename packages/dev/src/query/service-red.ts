/** Per service and route: rate, errors and duration percentiles from the server-request samples. */
import type { RequestSample } from '../store/request-samples.js';
import { percentile } from './percentile.js';

export interface RouteRed {
  readonly service: string;
  readonly method: string;
  readonly route: string;
  readonly requests: number;
  /** Requests per second over the window (or over the part of it the data covers). */
  readonly ratePerSecond: number;
  readonly errors: number;
  readonly errorRatio: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
}

export function routeRed(samples: Iterable<RequestSample>, nowMs: number, windowMs: number): RouteRed[] {
  const from = nowMs - windowMs;
  const groups = new Map<string, { service: string; method: string; route: string; durations: number[]; errors: number; firstMs: number }>();
  for (const s of samples) {
    if (s.timeMs < from) continue;
    const key = `${s.service}\u0000${s.method}\u0000${s.route}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { service: s.service, method: s.method, route: s.route, durations: [], errors: 0, firstMs: s.timeMs };
      groups.set(key, g);
    }
    g.durations.push(s.durationMs);
    if (s.error) g.errors++;
    g.firstMs = Math.min(g.firstMs, s.timeMs);
  }
  const out: RouteRed[] = [];
  for (const g of groups.values()) {
    g.durations.sort((a, b) => a - b);
    // The rate's denominator: the window, or since the first sample when the data is younger (at least 1 s).
    const seconds = Math.max(1, Math.min(windowMs, nowMs - g.firstMs) / 1000);
    out.push({
      service: g.service,
      method: g.method,
      route: g.route,
      requests: g.durations.length,
      ratePerSecond: g.durations.length / seconds,
      errors: g.errors,
      errorRatio: g.errors / g.durations.length,
      p50Ms: percentile(g.durations, 50) ?? 0,
      p95Ms: percentile(g.durations, 95) ?? 0,
      p99Ms: percentile(g.durations, 99) ?? 0,
    });
  }
  return out.sort((a, b) => a.service.localeCompare(b.service) || a.route.localeCompare(b.route) || a.method.localeCompare(b.method));
}
