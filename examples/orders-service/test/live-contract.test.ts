/**
 * The contract, proved live: a real Prometheus scrapes the running, instrumented example and
 * loads the generated SLO rules; after traffic, every dashboard and recording-rule query the
 * generator wrote returns data, and every series an alert reads exists. A renamed label or
 * metric on either side fails here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { collectQueries, loadManifest, substituteGrafanaVariables, type PromQuery } from '@platform/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startExampleService, type ExampleService } from '../../../packages/telemetry/test/support/example-service.js';
import { waitFor } from '../../../packages/telemetry/test/support/free-port.js';
import { prometheusSkipReason, startPrometheus, type PrometheusServer } from '../../../packages/telemetry/test/support/prometheus.js';
import { startFlakyInventory, type FlakyInventory } from './flaky-inventory.js';

const MANIFEST = path.join(REPO_ROOT, 'examples/platform.yaml');
const skipReason = prometheusSkipReason();

/** Text of every instant/range vector selector in a PromQL expression (ranges without the range). */
function selectorsOf(expr: string): string[] {
  const found = new Set<string>();
  const cursor = parser.parse(expr).cursor();
  do {
    if (cursor.type.isError) throw new Error(`PromQL does not parse: ${expr}`);
    if (cursor.name === 'VectorSelector') found.add(expr.slice(cursor.from, cursor.to));
  } while (cursor.next());
  return [...found];
}

/**
 * The generated rules, with every group evaluated each second instead of its production interval
 * (30s), so the test waits for data rather than for the first evaluation. Expressions unchanged.
 */
function rulesEvaluatedEverySecond(job: string, dir: string): string {
  const text = readFileSync(path.join(REPO_ROOT, `collector/prometheus-rules/${job}.rules.yaml`), 'utf8');
  const fast = text.replace(/^(\s+)interval: .*$/gm, '$1interval: 1s');
  if (fast === text) throw new Error('expected rule groups with an interval');
  const file = path.join(dir, `${job}.rules.yaml`);
  writeFileSync(file, fast);
  return file;
}

async function driveTraffic(baseUrl: string): Promise<void> {
  const json = { 'content-type': 'application/json' };
  for (let round = 0; round < 12; round++) {
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

describe.skipIf(skipReason !== undefined)('live contract: generated queries against the running example', () => {
  let service: ExampleService;
  let prometheus: PrometheusServer;
  let inventory: FlakyInventory;
  let queries: PromQuery[];
  let workDir: string;

  beforeAll(async () => {
    const model = loadManifest(readFileSync(MANIFEST, 'utf8'), MANIFEST);
    queries = collectQueries(model);
    const job = model.services[0]!.name;
    inventory = await startFlakyInventory();
    service = await startExampleService({ env: { INVENTORY_URL: inventory.url } });
    workDir = mkdtempSync(path.join(tmpdir(), 'live-contract-'));
    prometheus = await startPrometheus({
      job,
      targets: [`127.0.0.1:${service.metricsPort}`],
      ruleFiles: [rulesEvaluatedEverySecond(job, workDir)],
    });
    await waitFor(() => prometheus.targetsUp(), 15_000);
    // Two traffic bursts a few scrapes apart, so every rate() window sees an increase.
    await driveTraffic(service.baseUrl);
    await new Promise((r) => setTimeout(r, 2500));
    await driveTraffic(service.baseUrl);
    const recorded = [...new Set(queries.flatMap((q) => q.recordingRules))];
    await waitFor(async () => {
      for (const rule of recorded) if ((await prometheus.query(rule)).length === 0) return false;
      return true;
    }, 20_000);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop();
    await inventory?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('the generator wrote queries for every kind of artifact, all reading contract metrics', () => {
    const kinds = new Set(queries.map((q) => q.kind));
    expect(kinds).toEqual(new Set(['dashboard', 'recording-rule', 'alerting-rule']));
    const direct = queries.filter((q) => q.metrics.length > 0);
    expect(direct.length).toBeGreaterThan(10);
  });

  it('every dashboard query and recording rule returns data', async () => {
    const empty: string[] = [];
    for (const q of queries.filter((x) => x.kind !== 'alerting-rule')) {
      const expr = substituteGrafanaVariables(q.expr, { job: q.job || 'orders-service', rateInterval: '1m', range: '1h' });
      const result = await prometheus.query(expr);
      if (result.length === 0) empty.push(`${q.file} ${q.source}: ${expr}`);
    }
    expect(empty, `queries without data:\n${empty.join('\n')}`).toEqual([]);
  });

  it('every series an alert reads exists (alerts stay silent here, but their inputs are real)', async () => {
    const missing: string[] = [];
    for (const q of queries.filter((x) => x.kind === 'alerting-rule')) {
      for (const selector of selectorsOf(q.expr)) {
        if ((await prometheus.query(`count(${selector})`)).length === 0) missing.push(`${q.source}: ${selector}`);
      }
    }
    expect(missing, `alert inputs without series:\n${missing.join('\n')}`).toEqual([]);
  });
});
