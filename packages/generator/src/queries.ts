import { ALL_METRICS } from '@platform/conventions';
import { renderArtifacts } from './generate.js';
import type { PlatformModel } from './model.js';

export interface PromQuery {
  /** Output file the query lives in. */
  readonly file: string;
  /** Where inside it: `panel "Request rate by route" A`, `record job:slo_requests:rate5m`, `alert X (page)`. */
  readonly source: string;
  readonly kind: 'dashboard' | 'recording-rule' | 'alerting-rule';
  /** The service (job) the query is about; empty for the overview. */
  readonly job: string;
  /** The expression as written (Grafana variables such as $job, $__rate_interval left in). */
  readonly expr: string;
  /** Contract metric names (as exposed on /metrics) the query reads. */
  readonly metrics: readonly string[];
  /** Recording rules the query reads (need the generated rules loaded in Prometheus). */
  readonly recordingRules: readonly string[];
}

const SERIES_NAMES = ALL_METRICS.flatMap((m) =>
  (m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name]).map((series) => ({ series, metric: m.name })),
);

/** Contract metric names referenced by a PromQL expression. */
export function metricsIn(expr: string): string[] {
  const found = new Set<string>();
  for (const { series, metric } of SERIES_NAMES) if (new RegExp(`(^|[^A-Za-z0-9_:])${series}([^A-Za-z0-9_:]|$)`).test(expr)) found.add(metric);
  return [...found].sort();
}

function recordingRulesIn(expr: string): string[] {
  return [...new Set(expr.match(/job:slo_[a-z_]+:[a-z_]+[0-9]+[smhd]/g) ?? [])].sort();
}

/** Every PromQL query in the generated dashboards and rules, with the metrics it targets. */
export function collectQueries(model: PlatformModel): PromQuery[] {
  const a = renderArtifacts(model);
  const out: PromQuery[] = [];
  const push = (q: Omit<PromQuery, 'metrics' | 'recordingRules'>): void => {
    out.push({ ...q, metrics: metricsIn(q.expr), recordingRules: recordingRulesIn(q.expr) });
  };
  for (const s of model.services) {
    const file = `collector/prometheus-rules/${s.name}.rules.yaml`;
    for (const g of a.rules.get(s.name)?.groups ?? []) {
      for (const r of g.rules) {
        if ('record' in r) push({ file, source: `record ${r.record}`, kind: 'recording-rule', job: s.name, expr: r.expr });
        else push({ file, source: `alert ${r.alert} (${r.labels['severity'] ?? ''})`, kind: 'alerting-rule', job: s.name, expr: r.expr });
      }
    }
  }
  for (const [file, d] of a.dashboards) {
    const job = (
      ((d['templating'] as { list: Array<{ name: string; current?: { value?: string } }> }).list.find((v) => v.name === 'job')?.current?.value ?? '') as string
    ).replace('$__all', '');
    for (const panel of d['panels'] as Array<Record<string, unknown>>) {
      const targets = (panel['targets'] ?? []) as Array<{ refId: string; expr: string; datasource?: { type?: string } }>;
      for (const t of targets) {
        if (t.datasource?.type !== 'prometheus') continue;
        push({ file, source: `panel "${String(panel['title'])}" ${t.refId}`, kind: 'dashboard', job, expr: t.expr });
      }
    }
  }
  return out;
}
