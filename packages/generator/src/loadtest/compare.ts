import type { EndpointStats, RunSummary } from './read-summary.js';

/** How much worse the current run may be than the baseline before the gate fails. */
export interface RegressionAllowance {
  /** Relative increase of p95 latency allowed, as a fraction (0.2 = +20%). */
  readonly p95: number;
  /** Relative increase of p99 latency allowed, as a fraction. */
  readonly p99: number;
  /** Absolute increase of the error rate allowed, as a fraction (0.001 = +0.1 percentage points). */
  readonly errorRate: number;
  /**
   * Latency increases up to this many milliseconds never count: on a local or CI run a 2 ms p95
   * that becomes 3 ms is +50% and noise.
   */
  readonly minLatencyIncreaseMs: number;
}

export const DEFAULT_ALLOWANCE: RegressionAllowance = { p95: 0.2, p99: 0.3, errorRate: 0.001, minLatencyIncreaseMs: 5 };

export type Verdict = 'ok' | 'regressed' | 'no baseline' | 'not in current run' | 'no data' | 'endpoints differ';

export interface ComparisonRow {
  /** Endpoint name tag, or `all` for every request. */
  readonly endpoint: string;
  readonly measure: 'requests' | 'p95' | 'p99' | 'error rate';
  readonly baseline: number | undefined;
  readonly current: number | undefined;
  readonly verdict: Verdict;
}

export interface Comparison {
  readonly rows: readonly ComparisonRow[];
  readonly regressions: number;
}

export const OVERALL = 'all';

function latencyVerdict(baseline: number | undefined, current: number | undefined, allowed: number, a: RegressionAllowance): Verdict {
  if (baseline === undefined || current === undefined) return 'no data';
  const increase = current - baseline;
  return increase > a.minLatencyIncreaseMs && current > baseline * (1 + allowed) ? 'regressed' : 'ok';
}

function errorRateVerdict(baseline: number | undefined, current: number | undefined, a: RegressionAllowance): Verdict {
  if (baseline === undefined || current === undefined) return 'no data';
  // A float rounding margin: 0.003 - 0.002 must not exceed an allowance of 0.001.
  return current - baseline > a.errorRate + 1e-12 ? 'regressed' : 'ok';
}

function rowsFor(endpoint: string, b: EndpointStats, c: EndpointStats, a: RegressionAllowance): ComparisonRow[] {
  return [
    { endpoint, measure: 'requests', baseline: b.requests, current: c.requests, verdict: 'ok' },
    { endpoint, measure: 'p95', baseline: b.p95Ms, current: c.p95Ms, verdict: latencyVerdict(b.p95Ms, c.p95Ms, a.p95, a) },
    { endpoint, measure: 'p99', baseline: b.p99Ms, current: c.p99Ms, verdict: latencyVerdict(b.p99Ms, c.p99Ms, a.p99, a) },
    { endpoint, measure: 'error rate', baseline: b.errorRate, current: c.errorRate, verdict: errorRateVerdict(b.errorRate, c.errorRate, a) },
  ];
}

/** A run that sent an endpoint no request has no figures for it (k6 reports zeros). */
function exercised(s: EndpointStats | undefined): EndpointStats | undefined {
  return s !== undefined && (s.requests ?? 0) > 0 ? s : undefined;
}

/**
 * Per endpoint and for all requests: p95, p99 and error rate of the current run against the
 * baseline. An endpoint only one of the runs exercised is listed, not judged (a manifest change
 * adds or removes endpoints), and then neither are the totals.
 */
export function compareSummaries(baseline: RunSummary, current: RunSummary, allowance: RegressionAllowance): Comparison {
  const rows: ComparisonRow[] = [];
  const names = [...baseline.endpoints.keys(), ...[...current.endpoints.keys()].filter((n) => !baseline.endpoints.has(n))];
  for (const name of names) {
    const b = exercised(baseline.endpoints.get(name));
    const c = exercised(current.endpoints.get(name));
    if (b && c) rows.push(...rowsFor(name, b, c, allowance));
    else if (c) rows.push({ endpoint: name, measure: 'requests', baseline: undefined, current: c.requests, verdict: 'no baseline' });
    else if (b) rows.push({ endpoint: name, measure: 'requests', baseline: b.requests, current: undefined, verdict: 'not in current run' });
  }
  const overall = rowsFor(OVERALL, baseline.overall, current.overall, allowance);
  // Totals over different endpoint sets (an endpoint added or removed) say nothing about a regression.
  const sameEndpoints = rows.every((r) => r.verdict !== 'no baseline' && r.verdict !== 'not in current run');
  rows.push(...(sameEndpoints ? overall : overall.map((r) => ({ ...r, verdict: 'endpoints differ' as const }))));
  return { rows, regressions: rows.filter((r) => r.verdict === 'regressed').length };
}
