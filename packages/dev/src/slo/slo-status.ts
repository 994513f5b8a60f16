/**
 * Live SLO status of a manifest service from the server-request samples: attainment and error
 * budget over the SLO window (as far as the held data reaches), and the burn rate over every
 * window of the multi-window, multi-burn-rate table the generated alert rules use.
 */
import { BURN_RATE_WINDOWS, scaleBurnRate } from '@platform/conventions';
import type { RequestSample } from '../store/request-samples.js';
import { durationMs } from './duration.js';
import { isAvailabilityBad, isLatencyBad } from './request-judgement.js';
import type { ServiceSloInput } from './slo-manifest.js';

export interface BurnRateStatus {
  readonly severity: 'page' | 'ticket';
  readonly longWindow: string;
  readonly shortWindow: string;
  /** The alert threshold: the table's factor scaled to the SLO window. */
  readonly threshold: number;
  /** null: no request in the window. */
  readonly longBurnRate: number | null;
  readonly shortBurnRate: number | null;
  /** Both windows burn faster than the threshold: the generated alert would fire. */
  readonly firing: boolean;
}

export interface SloStatus {
  readonly kind: 'availability' | 'latency';
  readonly objective: string;
  readonly target: number;
  readonly window: string;
  readonly total: number;
  readonly bad: number;
  /** good / total over the held part of the window; null without requests. */
  readonly attainment: number | null;
  /** 1 - (bad/total) / errorBudget; negative when the budget is overspent. */
  readonly budgetRemaining: number | null;
  readonly burnRates: readonly BurnRateStatus[];
}

export interface ServiceSloStatus {
  readonly service: string;
  /** Epoch ms of the oldest request sample of this service still held (what the figures cover). */
  readonly coverageFromMs: number | null;
  readonly slos: readonly SloStatus[];
}

export function serviceSloStatus(service: ServiceSloInput, samples: Iterable<RequestSample>, nowMs: number): ServiceSloStatus {
  const mine: RequestSample[] = [];
  for (const s of samples) if (s.service === service.name) mine.push(s);
  const slos: SloStatus[] = [];
  const { availability, latency } = service.slos;
  if (availability) {
    slos.push(sloStatus('availability', `${availability.objectivePercent}% of requests without a 5xx`, availability, mine, nowMs, isAvailabilityBad));
  }
  if (latency) {
    slos.push(sloStatus('latency', latency.text, latency, mine, nowMs, (r) => isLatencyBad(r, latency.thresholdMs)));
  }
  let from: number | null = null;
  for (const s of mine) if (from === null || s.timeMs < from) from = s.timeMs;
  return { service: service.name, coverageFromMs: from, slos };
}

function sloStatus(
  kind: SloStatus['kind'],
  objective: string,
  slo: { readonly target: number; readonly errorBudget: number; readonly window: string; readonly windowDays: number },
  samples: readonly RequestSample[],
  nowMs: number,
  bad: (r: RequestSample) => boolean,
): SloStatus {
  const errorRatio = (windowMs: number): { total: number; bad: number } => {
    const from = nowMs - windowMs;
    let total = 0;
    let badCount = 0;
    for (const r of samples) {
      if (r.timeMs < from) continue;
      total++;
      if (bad(r)) badCount++;
    }
    return { total, bad: badCount };
  };
  const burn = (windowMs: number): number | null => {
    const w = errorRatio(windowMs);
    return w.total === 0 ? null : w.bad / w.total / slo.errorBudget;
  };
  const all = errorRatio(slo.windowDays * 86_400_000);
  const burnRates = BURN_RATE_WINDOWS.map((w) => {
    const threshold = scaleBurnRate(w.factor, slo.windowDays);
    const longBurnRate = burn(durationMs(w.longWindow));
    const shortBurnRate = burn(durationMs(w.shortWindow));
    return {
      severity: w.severity,
      longWindow: w.longWindow,
      shortWindow: w.shortWindow,
      threshold,
      longBurnRate,
      shortBurnRate,
      firing: longBurnRate !== null && shortBurnRate !== null && longBurnRate > threshold && shortBurnRate > threshold,
    };
  });
  return {
    kind,
    objective,
    target: slo.target,
    window: slo.window,
    total: all.total,
    bad: all.bad,
    attainment: all.total === 0 ? null : (all.total - all.bad) / all.total,
    budgetRemaining: all.total === 0 ? null : 1 - all.bad / all.total / slo.errorBudget,
    burnRates,
  };
}
