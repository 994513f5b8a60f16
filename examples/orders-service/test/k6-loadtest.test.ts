/**
 * The generated k6 script, run by the real k6 against the running example, with short load
 * settings: it passes (exit 0) while the SLO holds and fails with k6's threshold exit code 99 when
 * latency is injected into the example (ORDERS_INJECTED_LATENCY_MS); both write the JSON summary.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManifest, renderAll } from '@platform/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { REPO_ROOT, startExampleService, type ExampleService } from '../../../packages/telemetry/test/support/example-service.js';
import { startManagedProcess } from '../../../packages/telemetry/test/support/managed-process.js';
import { realToolsSkipReason, toolPath } from '../../../packages/telemetry/test/support/real-tools.js';

const skipReason = realToolsSkipReason();
/** k6 exits with this code when a threshold failed. */
const K6_THRESHOLDS_FAILED = 99;

describe.skipIf(skipReason !== undefined)('the generated k6 script with the real k6', () => {
  let work: string;
  let script: string;
  let healthy: ExampleService;
  let slow: ExampleService;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'k6-loadtest-'));
    const manifest = parseYaml(readFileSync(path.join(REPO_ROOT, 'examples/platform.yaml'), 'utf8')) as { services: Array<Record<string, unknown>> };
    const service = manifest.services[0]!;
    service['load'] = { rate: 10, duration: '4s' };
    // A latency SLO a healthy example meets even on a busy 2-core CI machine (the rest of the suite
    // runs beside this test); the injected latency breaks it by a wide margin.
    service['slos'] = { ...(service['slos'] as object), latency: { objective: 'p95 < 1s', window: '30d' } };
    const files = renderAll(loadManifest(toYaml(manifest), 'platform.yaml'));
    script = path.join(work, 'orders-service.js');
    writeFileSync(script, files.get('loadtests/orders-service.js')!);
    [healthy, slow] = await Promise.all([startExampleService(), startExampleService({ env: { ORDERS_INJECTED_LATENCY_MS: '1500' } })]);
  });

  afterAll(async () => {
    await Promise.all([healthy?.stop(), slow?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const runK6 = async (name: string, baseUrl: string): Promise<{ code: number | null; summary: string; log: string }> => {
    const summary = path.join(work, `${name}-summary.json`);
    const k6 = startManagedProcess({
      name: `k6-${name}`,
      command: toolPath('k6'),
      args: ['run', '--no-usage-report', '--quiet', '-e', `BASE_URL=${baseUrl}`, '-e', `K6_SUMMARY_PATH=${summary}`, script],
      env: { K6_NO_USAGE_REPORT: 'true' },
      cwd: work,
    });
    const { code } = await k6.exited;
    return { code, summary, log: k6.log() };
  };

  it('exits 0 while the SLO holds and 99 when injected latency breaks it; both write the JSON summary', async () => {
    const [ok, broken] = await Promise.all([runK6('healthy', healthy.baseUrl), runK6('slow', slow.baseUrl)]);
    expect(ok.code, ok.log).toBe(0);
    expect(ok.log).toContain('orders-service: all SLO thresholds passed');
    expect(broken.code, broken.log).toBe(K6_THRESHOLDS_FAILED);
    expect(broken.log).toMatch(/SLO thresholds violated: .*http_req_duration/);
    for (const run of [ok, broken]) expect(existsSync(run.summary), run.summary).toBe(true);
    const okSummary = JSON.parse(readFileSync(ok.summary, 'utf8')) as {
      metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> }>;
    };
    const slowSummary = JSON.parse(readFileSync(broken.summary, 'utf8')) as typeof okSummary;
    expect(okSummary.metrics['http_reqs']!.values['count']).toBeGreaterThan(30);
    expect(Object.values(okSummary.metrics['http_req_duration']!.thresholds!).every((t) => t.ok)).toBe(true);
    expect(slowSummary.metrics['http_req_duration']!.values['p(95)']).toBeGreaterThan(1000);
    expect(slowSummary.metrics['http_req_duration']!.thresholds!['p(95)<1000']!.ok).toBe(false);
  }, 120_000);
});
