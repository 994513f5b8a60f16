import { describe, expect, it } from 'vitest';
import {
  ALL_METRICS,
  BURN_RATE_WINDOWS,
  HTTP_DURATION_BUCKETS_SECONDS,
  HTTP_SERVER_REQUEST_DURATION,
  SLI_RATE_WINDOWS,
  findMetric,
  histogramSeries,
  isBucketBoundary,
  scaleBurnRate,
} from './index.js';

const PROM_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const PROM_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

describe('conventions', () => {
  it('has unique, valid Prometheus metric names with unit and type suffixes', () => {
    const names = ALL_METRICS.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    for (const m of ALL_METRICS) {
      expect(m.name).toMatch(PROM_NAME);
      if (m.type === 'counter') expect(m.name.endsWith('_total')).toBe(true);
      else expect(m.name.endsWith('_total')).toBe(false);
      if (m.unit === 'seconds' || m.unit === 'bytes' || m.unit === 'ratio') {
        expect(m.name.replace(/_total$/, '').endsWith(`_${m.unit}`)).toBe(true);
      }
      for (const l of m.labels) expect(l).toMatch(PROM_LABEL);
      for (const l of m.optionalLabels ?? []) expect(m.labels).toContain(l);
      expect(m.labels).not.toContain('le');
      expect(m.labels).not.toContain('job');
      expect(m.help.length).toBeGreaterThan(10);
    }
  });

  it('declares strictly ascending buckets on every histogram and only there', () => {
    for (const m of ALL_METRICS) {
      if (m.type !== 'histogram') {
        expect(m.buckets).toBeUndefined();
        continue;
      }
      const b = m.buckets ?? [];
      expect(b.length).toBeGreaterThan(1);
      for (let i = 1; i < b.length; i++) expect(b[i]!).toBeGreaterThan(b[i - 1]!);
    }
  });

  it('uses the semconv HTTP duration buckets (5 ms .. 10 s)', () => {
    expect(HTTP_SERVER_REQUEST_DURATION.buckets[0]).toBe(0.005);
    expect(HTTP_SERVER_REQUEST_DURATION.buckets.at(-1)).toBe(10);
    expect(Object.isFrozen(HTTP_DURATION_BUCKETS_SECONDS)).toBe(true);
    expect(isBucketBoundary(HTTP_DURATION_BUCKETS_SECONDS, 0.25)).toBe(true);
    expect(isBucketBoundary(HTTP_DURATION_BUCKETS_SECONDS, 0.3)).toBe(false);
  });

  it('derives histogram series names and refuses non-histograms', () => {
    expect(histogramSeries(HTTP_SERVER_REQUEST_DURATION).bucket).toBe('http_server_request_duration_seconds_bucket');
    expect(() => histogramSeries(findMetric('resilience_calls_total')!)).toThrow(/not a histogram/);
  });

  it('scales burn rates to the SLO window and precomputes every alert window', () => {
    expect(scaleBurnRate(14.4, 30)).toBe(14.4);
    expect(scaleBurnRate(14.4, 28)).toBeCloseTo(13.44, 3);
    for (const w of BURN_RATE_WINDOWS) {
      expect(SLI_RATE_WINDOWS).toContain(w.longWindow);
      expect(SLI_RATE_WINDOWS).toContain(w.shortWindow);
    }
  });
});
