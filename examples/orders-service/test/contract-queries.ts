/**
 * The contract checks shared by the live tests (direct Prometheus scrape and the real collector
 * path): traffic that exercises every route and outcome, the generated rules evaluated every
 * second, and the two questions asked of Prometheus — does every dashboard query and recording
 * rule return data, does every series an alert reads exist.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { substituteGrafanaVariables, type PromQuery } from '@platform/generator';
import type { PrometheusServer } from '../../../packages/telemetry/test/support/prometheus.js';

/** Text of every instant/range vector selector in a PromQL expression (ranges without the range). */
export function selectorsOf(expr: string): string[] {
  const found = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL does not parse: ${expr}`);
    if (cursor.name === 'VectorSelector') found.add(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return [...found];
}

/**
 * The generated rules file, with every group evaluated each second instead of its production
 * interval (30s), so a test waits for data rather than for the first evaluation. Expressions unchanged.
 */
export function rulesEvaluatedEverySecond(rulesFile: string, dir: string): string {
  const text = readFileSync(rulesFile, 'utf8');
  const fast = text.replace(/^(\s+)interval: .*$/gm, '$1interval: 1s');
  if (fast === text) throw new Error('expected rule groups with an interval');
  const file = path.join(dir, path.basename(rulesFile));
  writeFileSync(file, fast);
  return file;
}

/** One round of every route and outcome the dashboards show, `rounds` times. */
export async function driveTraffic(baseUrl: string, rounds = 12): Promise<void> {
  const json = { 'content-type': 'application/json' };
  for (let round = 0; round < rounds; round++) {
    const calls: Array<Promise<Response>> = [
      fetch(`${baseUrl}/orders`),
      fetch(`${baseUrl}/orders/1`),
      fetch(`${baseUrl}/orders/404404`),
      fetch(`${baseUrl}/orders`, { method: 'POST', headers: json, body: JSON.stringify({ sku: 'bolt', quantity: 3 }) }),
      fetch(`${baseUrl}/orders`, { method: 'POST', headers: json, body: JSON.stringify({ sku: '' }) }),
      fetch(`${baseUrl}/orders/2/inventory`),
      fetch(`${baseUrl}/no/such/route/${round}`),
    ];
    for (const res of await Promise.all(calls)) await res.arrayBuffer();
  }
}

/** Waits until every recording rule the queries read has a value. */
export async function recordingRulesHaveData(prometheus: PrometheusServer, queries: readonly PromQuery[]): Promise<boolean> {
  for (const rule of new Set(queries.flatMap((q) => q.recordingRules))) if ((await prometheus.query(rule)).length === 0) return false;
  return true;
}

/** Dashboard queries and recording rules that return no data (`file source: expr`). */
export async function queriesWithoutData(prometheus: PrometheusServer, queries: readonly PromQuery[], defaultJob: string): Promise<string[]> {
  const empty: string[] = [];
  for (const q of queries.filter((x) => x.kind !== 'alerting-rule')) {
    const expr = substituteGrafanaVariables(q.expr, { job: q.job || defaultJob, rateInterval: '1m', range: '1h' });
    if ((await prometheus.query(expr)).length === 0) empty.push(`${q.file} ${q.source}: ${expr}`);
  }
  return empty;
}

/** Selectors read by alerting rules that match no series (`source: selector`). */
export async function alertInputsWithoutSeries(prometheus: PrometheusServer, queries: readonly PromQuery[]): Promise<string[]> {
  const missing: string[] = [];
  for (const q of queries.filter((x) => x.kind === 'alerting-rule')) {
    for (const selector of selectorsOf(q.expr)) {
      if ((await prometheus.query(`count(${selector})`)).length === 0) missing.push(`${q.source}: ${selector}`);
    }
  }
  return missing;
}
