/**
 * Multi-window, multi-burn-rate alerting table (Google SRE workbook, ch. 5), expressed for a
 * 30-day SLO window. For another SLO window the burn-rate factors are scaled so the same share
 * of the error budget is consumed before the alert fires (see `scaleBurnRate`).
 */
export interface BurnRateWindow {
  readonly severity: 'page' | 'ticket';
  readonly longWindow: string;
  readonly shortWindow: string;
  /** Burn-rate factor for a 30d SLO window. */
  readonly factor: number;
  /** Share of the 30d error budget consumed when this alert fires (factor * longWindow / 30d). */
  readonly budgetConsumed: number;
}

export const REFERENCE_SLO_WINDOW_DAYS = 30;

export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = Object.freeze([
  { severity: 'page', longWindow: '1h', shortWindow: '5m', factor: 14.4, budgetConsumed: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', factor: 6, budgetConsumed: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', factor: 3, budgetConsumed: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', factor: 1, budgetConsumed: 0.1 },
]);

/** Every rate window the recording rules must pre-compute. */
export const SLI_RATE_WINDOWS: readonly string[] = Object.freeze(['5m', '30m', '1h', '2h', '6h', '1d', '3d']);

/**
 * Burn-rate factor for an SLO window of `sloWindowDays`, keeping the consumed budget share
 * of the reference table: factor' = factor * sloWindowDays / 30.
 */
export function scaleBurnRate(factor: number, sloWindowDays: number): number {
  return Math.round(factor * (sloWindowDays / REFERENCE_SLO_WINDOW_DAYS) * 1000) / 1000;
}

/** Prometheus durations accepted for SLO windows. */
export const SLO_WINDOW_PATTERN = /^([1-9][0-9]*)d$/;
