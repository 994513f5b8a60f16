import { ALL_METRICS } from '@platform/conventions';
import type { PlatformModel } from './model.js';
import { TARGETS } from './targets/index.js';
import type { TargetQuery } from './targets/target.js';

export interface PromQuery extends TargetQuery {
  /** Output file the query lives in, relative to --out. */
  readonly file: string;
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

/** Every PromQL query in the generated files (the targets that write PromQL), with the metrics it targets. */
export function collectQueries(model: PlatformModel): PromQuery[] {
  const out: PromQuery[] = [];
  for (const target of TARGETS) {
    for (const q of target.queries?.(model) ?? []) {
      const { source, kind, job, expr } = q;
      out.push({ file: `${target.root}/${q.file}`, source, kind, job, expr, metrics: metricsIn(expr), recordingRules: recordingRulesIn(expr) });
    }
  }
  return out;
}
