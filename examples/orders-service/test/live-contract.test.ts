/**
 * The contract, proved live: a real Prometheus scrapes the running, instrumented example and
 * loads the generated SLO rules; after traffic, every dashboard and recording-rule query the
 * generator wrote returns data, and every series an alert reads exists. A renamed label or
 * metric on either side fails here. (collector-path.test.ts asks the same through the collectors.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { collectQueries, loadManifest, type PromQuery } from '@platform/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startExampleService, type ExampleService } from '../../../packages/telemetry/test/support/example-service.js';
import { waitFor } from '../../../packages/telemetry/test/support/free-port.js';
import { prometheusSkipReason, startPrometheus, type PrometheusServer } from '../../../packages/telemetry/test/support/prometheus.js';
import { alertInputsWithoutSeries, driveTraffic, queriesWithoutData, recordingRulesHaveData, rulesEvaluatedEverySecond } from './contract-queries.js';
import { startFlakyInventory, type FlakyInventory } from './flaky-inventory.js';

const MANIFEST = path.join(REPO_ROOT, 'examples/platform.yaml');
const skipReason = prometheusSkipReason();

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
      ruleFiles: [rulesEvaluatedEverySecond(path.join(REPO_ROOT, `collector/prometheus-rules/${job}.rules.yaml`), workDir)],
    });
    await waitFor(() => prometheus.targetsUp(), 15_000);
    // Two traffic bursts a few scrapes apart, so every rate() window sees an increase.
    await driveTraffic(service.baseUrl);
    await new Promise((r) => setTimeout(r, 2500));
    await driveTraffic(service.baseUrl);
    await waitFor(() => recordingRulesHaveData(prometheus, queries), 20_000);
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
    const empty = await queriesWithoutData(prometheus, queries, 'orders-service');
    expect(empty, `queries without data:\n${empty.join('\n')}`).toEqual([]);
  });

  it('every series an alert reads exists (alerts stay silent here, but their inputs are real)', async () => {
    const missing = await alertInputsWithoutSeries(prometheus, queries);
    expect(missing, `alert inputs without series:\n${missing.join('\n')}`).toEqual([]);
  });
});
