import { parser } from '@prometheus-io/lezer-promql';
import { ALL_METRICS } from '@platform/conventions';
import { describe, expect, it } from 'vitest';
import { substituteGrafanaVariables } from '../src/promql/expressions.js';
import { collectQueries, metricsIn } from '../src/queries.js';
import { exampleModel, variedModel } from './helpers.js';

function syntaxErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`error node at ${node.from}: ${JSON.stringify(expr.slice(Math.max(0, node.from - 20), node.to + 20))}`);
    },
  });
  return errors;
}

describe.each([
  ['example', exampleModel],
  ['varied', variedModel],
])('PromQL in dashboards and rules (%s manifest)', (_, load) => {
  const queries = collectQueries(load());

  it('covers dashboards, recording rules and alerts', () => {
    expect(new Set(queries.map((q) => q.kind))).toEqual(new Set(['dashboard', 'recording-rule', 'alerting-rule']));
  });

  it('every expression parses with lezer-promql (Grafana variables substituted)', () => {
    const bad = queries.flatMap((q) => syntaxErrors(substituteGrafanaVariables(q.expr, { job: q.job || 'x' })).map((e) => `${q.file} ${q.source}: ${e}`));
    expect(bad).toEqual([]);
  });

  it('every query targets contract metrics or generated recording rules, and only known metric names', () => {
    const known = new Set(ALL_METRICS.map((m) => m.name));
    for (const q of queries) {
      expect(q.metrics.length + q.recordingRules.length + (q.expr.includes('up{') ? 1 : 0), `${q.source}: ${q.expr}`).toBeGreaterThan(0);
      for (const m of q.metrics) expect(known.has(m)).toBe(true);
    }
  });

  it('the parser is strict enough to catch a broken expression', () => {
    expect(syntaxErrors('sum by (job (rate(x[5m]))')).not.toEqual([]);
  });
});

describe('metricsIn', () => {
  it('maps histogram series back to the contract metric', () => {
    expect(metricsIn('rate(http_server_request_duration_seconds_bucket{le="0.25"}[5m])')).toEqual(['http_server_request_duration_seconds']);
    expect(metricsIn('job:slo_requests:rate5m')).toEqual([]);
  });
});
