import { describe, expect, it } from 'vitest';
import type { RequestSample } from '../store/request-samples.js';
import { serviceSloStatus } from './slo-status.js';
import type { ServiceSloInput } from './slo-manifest.js';

const NOW = 10 * 86_400_000;
const MIN = 60_000;

const service: ServiceSloInput = {
  name: 'orders',
  slos: {
    availability: { objectivePercent: 99, target: 0.99, errorBudget: 0.01, window: '30d', windowDays: 30 },
    latency: { text: 'p95 < 250ms', percentile: 95, target: 0.95, errorBudget: 0.05, thresholdMs: 250, window: '30d', windowDays: 30 },
  },
};

function sample(agoMs: number, httpStatus: number, durationMs: number, svc = 'orders'): RequestSample {
  return { service: svc, method: 'GET', route: '/x', timeMs: NOW - agoMs, durationMs, httpStatus, error: httpStatus >= 500 };
}

describe('serviceSloStatus', () => {
  it('attainment, budget and the burn rate over each window of the generated rules', () => {
    const samples: RequestSample[] = [
      // 2 hours ago: 100 good requests.
      ...Array.from({ length: 100 }, () => sample(120 * MIN, 200, 10)),
      // Last 5 minutes: 10 requests, 2 of them 5xx, 5 of them slower than 250 ms (exactly 250 is good).
      sample(MIN, 500, 10),
      sample(MIN, 503, 10),
      sample(MIN, 200, 251),
      sample(MIN, 200, 300),
      sample(MIN, 200, 900),
      sample(MIN, 200, 251),
      sample(MIN, 200, 1000),
      sample(MIN, 200, 250),
      sample(MIN, 404, 10),
      sample(MIN, 200, 10),
      sample(MIN, 500, 10, 'someone-else'),
    ];
    // Arrival order is not time order (late exports): newest first here.
    const status = serviceSloStatus(service, [...samples].reverse(), NOW);
    expect(status.coverageFromMs).toBe(NOW - 120 * MIN);
    const [availability, latency] = status.slos;
    expect(availability).toMatchObject({ kind: 'availability', total: 110, bad: 2, target: 0.99 });
    expect(availability!.attainment).toBeCloseTo(108 / 110, 10);
    expect(availability!.budgetRemaining).toBeCloseTo(1 - 2 / 110 / 0.01, 10);
    const page1h = availability!.burnRates[0]!;
    expect(page1h).toMatchObject({ severity: 'page', longWindow: '1h', shortWindow: '5m', threshold: 14.4 });
    // 1h window: only the last 10 (2 bad): 0.2 / 0.01 = 20x, 5m the same: both over 14.4 → fires.
    expect(page1h.longBurnRate).toBeCloseTo(20, 10);
    expect(page1h.shortBurnRate).toBeCloseTo(20, 10);
    expect(page1h.firing).toBe(true);
    // 1d window: 2 of 110 → 1.82x, 2h short window (the 2-hour-old samples sit exactly on its edge: included) → below 3.
    const ticket1d = availability!.burnRates[2]!;
    expect(ticket1d.longBurnRate).toBeCloseTo(2 / 110 / 0.01, 10);
    expect(ticket1d.firing).toBe(false);
    expect(latency).toMatchObject({ kind: 'latency', objective: 'p95 < 250ms', total: 110, bad: 5 });
    expect(latency!.burnRates[0]!.shortBurnRate).toBeCloseTo(0.5 / 0.05, 10);
  });

  it('no requests: attainment and burn rates are null, never NaN, and nothing fires', () => {
    const status = serviceSloStatus(service, [], NOW);
    expect(status.coverageFromMs).toBeNull();
    for (const slo of status.slos) {
      expect([slo.attainment, slo.budgetRemaining]).toEqual([null, null]);
      expect(slo.burnRates.every((b) => b.longBurnRate === null && !b.firing)).toBe(true);
    }
  });

  it('a 7-day SLO window scales the alert thresholds like the generated rules do', () => {
    const weekly: ServiceSloInput = { name: 'orders', slos: { availability: { ...service.slos.availability!, window: '7d', windowDays: 7 } } };
    expect(serviceSloStatus(weekly, [], NOW).slos[0]!.burnRates.map((b) => b.threshold)).toEqual([3.36, 1.4, 0.7, 0.233]);
  });
});
