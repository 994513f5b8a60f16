import { HTTP_DURATION_BUCKETS_SECONDS } from '@platform/conventions';
import { round } from '../round.js';

/** "p95 < 250ms" or "99% < 1s": a percentile (0-100, up to 3 decimals) under a threshold in ms or s. */
export const LATENCY_OBJECTIVE = /^\s*(?:p([0-9]{1,2}(?:\.[0-9]{1,3})?)|([0-9]{1,2}(?:\.[0-9]{1,3})?)%)\s*<\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s)\s*$/;

/** Objectives the hints show: each parses, each threshold is a bucket boundary (test/hints.test.ts). */
export const LATENCY_OBJECTIVE_EXAMPLES: readonly string[] = ['p95 < 250ms', '99% < 1s'];

export function parseLatencyObjective(text: string): { percentile: number; thresholdSeconds: number } | undefined {
  const m = LATENCY_OBJECTIVE.exec(text);
  if (!m) return undefined;
  const percentile = Number(m[1] ?? m[2]);
  const value = Number(m[3]);
  const thresholdSeconds = m[4] === 'ms' ? value / 1000 : value;
  return { percentile, thresholdSeconds: round(thresholdSeconds) };
}

/** 0.25 -> "250ms", 1 -> "1s": how the manifest writes a threshold. */
export function formatSeconds(s: number): string {
  return s < 1 ? `${round(s * 1000)}ms` : `${s}s`;
}

/** Bucket boundaries just below and above `seconds`, for the hint. */
export function nearestBoundaries(seconds: number, buckets: readonly number[] = HTTP_DURATION_BUCKETS_SECONDS): number[] {
  const below = [...buckets].reverse().find((b) => b < seconds);
  const above = buckets.find((b) => b > seconds);
  return [below, above].filter((b): b is number => b !== undefined);
}
