import { HTTP_SERVER_REQUEST_DURATION, LABEL, TELEMETRY_SOURCE, histogramSeries } from '@platform/conventions';

/**
 * PromQL building blocks. Every metric and label name comes from @platform/conventions; the only
 * names spelt here are the recording rules this generator defines itself.
 */
export type Matcher = readonly [label: string, op: '=' | '=~' | '!=' | '!~', value: string];

export function selector(metric: string, matchers: readonly Matcher[]): string {
  if (matchers.length === 0) return metric;
  return `${metric}{${matchers.map(([l, op, v]) => `${l}${op}${JSON.stringify(v)}`).join(',')}}`;
}

export const HTTP_SERVER = histogramSeries(HTTP_SERVER_REQUEST_DURATION);

export const jobIs = (job: string): Matcher => [LABEL.job, '=', job];
/** Only series a scraper labelled (see TELEMETRY_SOURCE): a pushed or forged series never counts. */
export const trustedSource: Matcher = [LABEL.telemetrySource, '=', TELEMETRY_SOURCE.scrape];
/** Raw series of one service, from the trusted source. */
export const scrapedFrom = (job: string): Matcher[] => [jobIs(job), trustedSource];
export const serverErrors: Matcher = [LABEL.httpResponseStatusCode, '=~', '5..'];

/** Prometheus `le` label value for a bucket boundary, as prom-client writes it (0.25, 1, 2.5). */
export function leValue(seconds: number): string {
  return String(seconds);
}

/** Names of the recording rules; `window` is one of SLI_RATE_WINDOWS. */
export const RECORD = {
  requests: (window: string) => `job:slo_requests:rate${window}`,
  availabilityErrors: (window: string) => `job:slo_availability_errors:ratio_rate${window}`,
  latencyErrors: (window: string) => `job:slo_latency_errors:ratio_rate${window}`,
} as const;

/** `sum` or `sum by (a, b)`. */
export function sumBy(by: readonly string[]): string {
  return by.length === 0 ? 'sum' : `sum by (${by.join(', ')})`;
}

export function requestRate(matchers: readonly Matcher[], window: string, by: readonly string[] = [LABEL.job]): string {
  return `${sumBy(by)} (rate(${selector(HTTP_SERVER.count, matchers)}[${window}]))`;
}

/**
 * Share of 5xx responses: the availability SLI error ratio. With traffic but no 5xx series the
 * numerator falls back to `0 * requests`, so the ratio is 0 (not "no data").
 */
export function availabilityErrorRatio(matchers: readonly Matcher[], window: string, by: readonly string[] = [LABEL.job]): string {
  const all = requestRate(matchers, window, by);
  return `(\n${requestRate([...matchers, serverErrors], window, by)}\nor\n0 * ${all}\n)\n/\n${all}`;
}

/** Same ratio over the SLO window with increase(), for "budget remaining" style panels. */
export function availabilityErrorShare(matchers: readonly Matcher[], window: string): string {
  const all = `sum(increase(${selector(HTTP_SERVER.count, matchers)}[${window}]))`;
  return `(sum(increase(${selector(HTTP_SERVER.count, [...matchers, serverErrors])}[${window}])) or 0 * ${all}) / ${all}`;
}

export function latencyErrorShare(matchers: readonly Matcher[], window: string, thresholdSeconds: number): string {
  const fast = `sum(increase(${selector(HTTP_SERVER.bucket, [...matchers, ['le', '=', leValue(thresholdSeconds)]])}[${window}]))`;
  return `1 - (${fast} / sum(increase(${selector(HTTP_SERVER.count, matchers)}[${window}])))`;
}

/** Share of requests slower than `thresholdSeconds` (a bucket boundary): the latency SLI error ratio. */
export function latencyErrorRatio(matchers: readonly Matcher[], window: string, thresholdSeconds: number, by: readonly string[] = [LABEL.job]): string {
  const fast = `${sumBy(by)} (rate(${selector(HTTP_SERVER.bucket, [...matchers, ['le', '=', leValue(thresholdSeconds)]])}[${window}]))`;
  return `1 - (\n${fast}\n/\n${requestRate(matchers, window, by)}\n)`;
}

export function quantile(q: number, matchers: readonly Matcher[], window: string, by: readonly string[] = []): string {
  const groups = ['le', ...by].join(', ');
  return `histogram_quantile(${q}, sum by (${groups}) (rate(${selector(HTTP_SERVER.bucket, matchers)}[${window}])))`;
}

/** Grafana variables used by dashboards, with the value used to make a query runnable/parsable. */
export function substituteGrafanaVariables(expr: string, vars: { job: string; instance?: string; rateInterval?: string; range?: string }): string {
  return expr
    .replace(/\$__rate_interval/g, vars.rateInterval ?? '1m')
    .replace(/\$__interval/g, vars.rateInterval ?? '1m')
    .replace(/\$__range/g, vars.range ?? '1h')
    .replace(/\$\{?job\}?/g, vars.job)
    .replace(/\$\{?instance\}?/g, vars.instance ?? '.*');
}
