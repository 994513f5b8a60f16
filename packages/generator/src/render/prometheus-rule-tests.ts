import { HTTP_SERVER_REQUEST_DURATION, LABEL, PROCESS_START_TIME, TELEMETRY_SOURCE, findMetric, histogramSeries } from '@platform/conventions';
import { round } from '../round.js';
import type { ServiceModel } from '../model.js';
import { leValue, selector, type Matcher } from '../promql/expressions.js';
import { ALERT, PROMETHEUS_UP, type AlertingRule, type RuleFile } from './prometheus-rules.js';

interface InputSeries {
  series: string;
  values: string;
}
interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
interface TestCase {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: AlertTest[];
}
export interface RuleTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: TestCase[];
}

const STEPS = 100; // 100 minutes of 1m samples: the 5m..1h windows fill before EVAL
const EVAL = '90m';

/**
 * A `promtool test rules` file proving, on synthetic series, that each burn-rate alert fires on a
 * fast burn, stays silent on healthy and on low traffic, and that the absence alerts fire.
 */
export function renderPrometheusRuleTests(service: ServiceModel, rules: RuleFile, ruleFileName: string): RuleTestFile {
  if (!findMetric(HTTP_SERVER_REQUEST_DURATION.name)) throw new Error('conventions lost the HTTP server histogram');
  const h = histogramSeries(HTTP_SERVER_REQUEST_DURATION);
  const job = service.name;
  const instance = `${service.host}:${service.metricsPort}`;
  const threshold = service.slos.latency?.thresholdSeconds ?? 0.25;
  const target = (source: string = TELEMETRY_SOURCE.scrape): Matcher[] => [
    [LABEL.job, '=', job],
    [LABEL.instance, '=', instance],
    [LABEL.telemetrySource, '=', source],
  ];
  const base = (status: string, source?: string): Matcher[] => [
    ...target(source),
    [LABEL.httpRequestMethod, '=', 'GET'],
    [LABEL.httpRoute, '=', '/'],
    [LABEL.httpResponseStatusCode, '=', status],
  ];
  // per-minute increments; healthy traffic is well above the low-traffic guard
  const busy = round(Math.max(10, service.minRequestRate * 20) * 60);
  const trickle = round((service.minRequestRate / 4) * 60);
  const counter = (perMinute: number): string => `0+${perMinute}x${STEPS}`;
  /** count and the SLO bucket of one status code: `fastShare` of requests below the threshold. */
  const traffic = (status: string, perMinute: number, fastShare: number, source?: string): InputSeries[] => [
    { series: selector(h.count, base(status, source)), values: counter(perMinute) },
    { series: selector(h.bucket, [...base(status, source), ['le', '=', leValue(threshold)]]), values: counter(round(perMinute * fastShare)) },
  ];
  const alive: InputSeries[] = [
    { series: selector(PROMETHEUS_UP, target()), values: `1+0x${STEPS}` },
    { series: selector(PROCESS_START_TIME.name, target()), values: `1700000000+0x${STEPS}` },
  ];
  const alertRules = rules.groups.flatMap((g) => g.rules).filter((r): r is AlertingRule => 'alert' in r);
  const expect = (alertname: string, severities: readonly string[], extra: Record<string, string> = {}): ExpAlert[] =>
    alertRules
      .filter((r) => r.alert === alertname && severities.includes(r.labels['severity'] ?? ''))
      .map((r) => ({ exp_labels: { ...r.labels, job, ...extra }, exp_annotations: r.annotations }));
  const burnAlerts: string[] = [];
  if (service.slos.availability) burnAlerts.push(ALERT.availabilityBurn);
  if (service.slos.latency) burnAlerts.push(ALERT.latencyBurn);
  const burnTests = (fire: Partial<Record<string, readonly string[]>>): AlertTest[] =>
    burnAlerts.map((alertname) => ({ eval_time: EVAL, alertname, exp_alerts: expect(alertname, fire[alertname] ?? []) }));
  const both = ['page', 'ticket'] as const;

  const tests: TestCase[] = [
    {
      name: `${job}: healthy traffic raises no alert`,
      interval: '1m',
      input_series: [...traffic('200', busy, 1), ...alive],
      alert_rule_test: [
        ...burnTests({}),
        { eval_time: EVAL, alertname: ALERT.targetDown, exp_alerts: [] },
        { eval_time: EVAL, alertname: ALERT.sdkMetricsAbsent, exp_alerts: [] },
      ],
    },
    {
      name: `${job}: low traffic that fails completely does not page (minimum ${service.minRequestRate} req/s)`,
      interval: '1m',
      input_series: [...traffic('500', trickle, 0), ...alive],
      alert_rule_test: burnTests({}),
    },
  ];
  if (service.slos.availability) {
    tests.push({
      name: `${job}: 20% server errors burn the availability budget (page and ticket)`,
      interval: '1m',
      input_series: [...traffic('200', round(busy * 0.8), 1), ...traffic('500', round(busy * 0.2), 1), ...alive],
      alert_rule_test: burnTests({ [ALERT.availabilityBurn]: both }),
    });
    tests.push({
      name: `${job}: a forged series pushed over OTLP (100x the traffic, all successes) does not hide 20% server errors`,
      interval: '1m',
      input_series: [
        ...traffic('200', round(busy * 0.8), 1),
        ...traffic('500', round(busy * 0.2), 1),
        ...traffic('200', round(busy * 100), 1, TELEMETRY_SOURCE.otlp),
        ...alive,
      ],
      alert_rule_test: burnTests({ [ALERT.availabilityBurn]: both }),
    });
  }
  if (service.slos.latency) {
    tests.push({
      name: `${job}: every request slower than ${service.slos.latency.thresholdMs}ms burns the latency budget (page and ticket)`,
      interval: '1m',
      input_series: [...traffic('200', busy, 0), ...alive],
      alert_rule_test: burnTests({ [ALERT.latencyBurn]: both }),
    });
  }
  tests.push({
    name: `${job}: a target that is down or exposes no SDK metrics alerts`,
    interval: '1m',
    input_series: [{ series: selector(PROMETHEUS_UP, target()), values: `0+0x${STEPS}` }],
    alert_rule_test: [
      { eval_time: '4m', alertname: ALERT.targetDown, exp_alerts: [] },
      {
        eval_time: '6m',
        alertname: ALERT.targetDown,
        exp_alerts: expect(ALERT.targetDown, ['page'], { instance, [LABEL.telemetrySource]: TELEMETRY_SOURCE.scrape }),
      },
      {
        eval_time: '15m',
        alertname: ALERT.sdkMetricsAbsent,
        exp_alerts: expect(ALERT.sdkMetricsAbsent, ['ticket'], { [LABEL.telemetrySource]: TELEMETRY_SOURCE.scrape }),
      },
    ],
  });
  return { rule_files: [ruleFileName], evaluation_interval: '1m', tests };
}
