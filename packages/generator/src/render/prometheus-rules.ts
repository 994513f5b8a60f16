import { BURN_RATE_WINDOWS, LABEL, PROCESS_START_TIME, SLI_RATE_WINDOWS, scaleBurnRate } from '@platform/conventions';
import { round } from '../round.js';
import type { AvailabilitySloModel, LatencySloModel, ServiceModel } from '../model.js';
import { RECORD, availabilityErrorRatio, jobIs, latencyErrorRatio, requestRate, scrapedFrom, selector } from '../promql/expressions.js';

/** Prometheus' own per-target health series (not an SDK metric, so not in the conventions). */
export const PROMETHEUS_UP = 'up';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<RecordingRule | AlertingRule>;
}
export interface RuleFile {
  groups: RuleGroup[];
}

export type SloKind = 'availability' | 'latency';

export const ALERT = {
  availabilityBurn: 'AvailabilityErrorBudgetBurn',
  latencyBurn: 'LatencyErrorBudgetBurn',
  targetDown: 'ScrapeTargetDown',
  sdkMetricsAbsent: 'TelemetrySdkMetricsAbsent',
} as const;

export interface BurnThreshold {
  readonly severity: 'page' | 'ticket';
  readonly longWindow: string;
  readonly shortWindow: string;
  /** Burn-rate factor scaled to the SLO window. */
  readonly factor: number;
  /** Error-ratio threshold: factor * error budget. */
  readonly threshold: number;
}

/** The multi-window burn-rate table for one SLO, scaled to its window. */
export function burnThresholds(slo: AvailabilitySloModel | LatencySloModel): BurnThreshold[] {
  return BURN_RATE_WINDOWS.map((w) => {
    const factor = scaleBurnRate(w.factor, slo.windowDays);
    return { severity: w.severity, longWindow: w.longWindow, shortWindow: w.shortWindow, factor, threshold: round(factor * slo.errorBudget) };
  });
}

function burnAlerts(service: ServiceModel, kind: SloKind, slo: AvailabilitySloModel | LatencySloModel): AlertingRule[] {
  const job = [jobIs(service.name)];
  const ratio = kind === 'availability' ? RECORD.availabilityErrors : RECORD.latencyErrors;
  const what = kind === 'availability' ? `${slo.target * 100}% availability` : (slo as LatencySloModel).text;
  const thresholds = burnThresholds(slo);
  return (['page', 'ticket'] as const).map((severity) => {
    const rows = thresholds.filter((t) => t.severity === severity);
    const expr = rows
      .map((t) =>
        [
          `(`,
          `  ${selector(ratio(t.longWindow), job)} > ${t.threshold}`,
          `  and on (${LABEL.job}) ${selector(ratio(t.shortWindow), job)} > ${t.threshold}`,
          `  and on (${LABEL.job}) ${selector(RECORD.requests(t.longWindow), job)} >= ${service.minRequestRate}`,
          `)`,
        ].join('\n'),
      )
      .join('\nor\n');
    const windows = rows.map((t) => `${t.longWindow}/${t.shortWindow} at ${t.factor}x`).join(', ');
    return {
      alert: kind === 'availability' ? ALERT.availabilityBurn : ALERT.latencyBurn,
      expr,
      labels: { severity, slo: kind, service: service.name },
      annotations: {
        summary: `${service.name} is burning its ${kind} error budget too fast (${severity})`,
        description: `The ${what} SLO over ${slo.window} is burning error budget faster than ${windows} (error budget ${round(slo.errorBudget * 100)}%). Alerts need at least ${service.minRequestRate} req/s in the long window.`,
      },
    };
  });
}

/** Recording rules (SLI error ratios per window) and multi-window multi-burn-rate alerts for one service. */
export function renderPrometheusRules(service: ServiceModel): RuleFile {
  const job = scrapedFrom(service.name);
  const records: RecordingRule[] = [];
  for (const w of SLI_RATE_WINDOWS) {
    records.push({ record: RECORD.requests(w), expr: requestRate(job, w) });
    if (service.slos.availability) records.push({ record: RECORD.availabilityErrors(w), expr: availabilityErrorRatio(job, w) });
    if (service.slos.latency) records.push({ record: RECORD.latencyErrors(w), expr: latencyErrorRatio(job, w, service.slos.latency.thresholdSeconds) });
  }
  const alerts: AlertingRule[] = [];
  if (service.slos.availability) alerts.push(...burnAlerts(service, 'availability', service.slos.availability));
  if (service.slos.latency) alerts.push(...burnAlerts(service, 'latency', service.slos.latency));
  alerts.push(
    {
      alert: ALERT.targetDown,
      expr: `${selector(PROMETHEUS_UP, job)} == 0\nor\nabsent(${selector(PROMETHEUS_UP, job)})`,
      for: '5m',
      labels: { severity: 'page', service: service.name, job: service.name },
      annotations: {
        summary: `${service.name} metrics cannot be scraped`,
        description: `Prometheus has no successful scrape of ${service.name} (${service.metricsPath} on port ${service.metricsPort}) for 5 minutes; SLO alerts are blind.`,
      },
    },
    {
      alert: ALERT.sdkMetricsAbsent,
      expr: `absent(${selector(PROCESS_START_TIME.name, job)})`,
      for: '10m',
      labels: { severity: 'ticket', service: service.name, job: service.name },
      annotations: {
        summary: `${service.name} exposes no telemetry SDK metrics`,
        description: `No runtime metrics from the @platform/telemetry SDK for ${service.name} for 10 minutes: is the SDK loaded and the metrics endpoint the scraped one?`,
      },
    },
  );
  return {
    groups: [
      { name: `${service.name}-slo-recordings`, interval: '30s', rules: records },
      { name: `${service.name}-slo-alerts`, interval: '30s', rules: alerts },
    ],
  };
}
