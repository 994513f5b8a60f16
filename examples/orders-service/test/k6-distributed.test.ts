/**
 * The k6-operator's split of a TestRun, reproduced with the real k6 against the running example:
 * the generated TestRun's script (from its ConfigMap) run by `parallelism` k6 processes, each with
 * the execution segment the operator gives runner i of N (`--execution-segment i/N:(i+1)/N
 * --execution-segment-sequence 0,1/N,…,1`) and the runner's environment from the TestRun. Proves
 * that each runner sends 1/N of the constant arrival rate and that each evaluates the thresholds
 * over its own requests only (k6 does not aggregate them across instances).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '@platform/generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments, stringify as toYaml } from 'yaml';
import { REPO_ROOT, startExampleService, type ExampleService } from '../../../packages/telemetry/test/support/example-service.js';
import { startManagedProcess } from '../../../packages/telemetry/test/support/managed-process.js';
import { realToolsSkipReason, toolPath } from '../../../packages/telemetry/test/support/real-tools.js';

const skipReason = realToolsSkipReason();
const K6_THRESHOLDS_FAILED = 99;
const K6_SMOKE_ABORTED = 108; // exec.test.abort() in the generated script's smoke
const RATE = 10;
const SECONDS = 4;
const PARALLELISM = 2;

interface TestRunSpec {
  parallelism: number;
  script: { configMap: { name: string; file: string } };
  runner: { env: Array<{ name: string; value: string }> };
}

describe.skipIf(skipReason !== undefined)('the generated k6-operator TestRun, split into runners as the operator does, with the real k6', () => {
  let work: string;
  let script: string;
  let spec: TestRunSpec;
  let healthy: ExampleService;
  let slow: ExampleService;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'k6-distributed-'));
    const manifest = parseYaml(readFileSync(path.join(REPO_ROOT, 'examples/platform.yaml'), 'utf8')) as { services: Array<Record<string, unknown>> };
    const service = manifest.services[0]!;
    service['load'] = { rate: RATE, duration: `${SECONDS}s`, parallelism: PARALLELISM };
    // A latency SLO a healthy example meets even while the rest of the suite loads the 2-core CI
    // machine; the injected 3 s latency breaks it on every request.
    service['slos'] = { ...(service['slos'] as object), latency: { objective: 'p95 < 2.5s', window: '30d' } };
    writeFileSync(path.join(work, 'platform.yaml'), toYaml(manifest));
    const io = { cwd: work, stdout: () => {}, stderr: (t: string) => process.stderr.write(t) };
    expect(runCli(['generate', '--manifest', 'platform.yaml', '--out', 'out', '--target', 'kubernetes'], io)).toBe(0);
    const [configMap, testRun] = parseAllDocuments(readFileSync(path.join(work, 'out/loadtests/kubernetes/orders-service.yaml'), 'utf8')).map(
      (d) => d.toJS() as Record<string, unknown>,
    );
    spec = testRun!['spec'] as TestRunSpec;
    script = path.join(work, spec.script.configMap.file);
    writeFileSync(script, (configMap!['data'] as Record<string, string>)[spec.script.configMap.file]!);
    [healthy, slow] = await Promise.all([startExampleService(), startExampleService({ env: { ORDERS_INJECTED_LATENCY_MS: '3000' } })]);
  });

  afterAll(async () => {
    await Promise.all([healthy?.stop(), slow?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runner `index` of the TestRun: its segment, its env (BASE_URL pointed at `baseUrl`, the summary in the temp dir). */
  const runner = async (
    index: number,
    baseUrl: string,
    extraEnv: Record<string, string> = {},
  ): Promise<{ code: number | null; requests: number; log: string }> => {
    const n = spec.parallelism;
    const frac = (i: number): string => (i === 0 ? '0' : i === n ? '1' : `${i}/${n}`);
    const sequence = Array.from({ length: n + 1 }, (_, i) => frac(i)).join(',');
    const summary = path.join(work, `runner-${index}-${baseUrl.replace(/\W/g, '')}.json`);
    const env = [
      ...spec.runner.env.flatMap(({ name, value }) => ['-e', `${name}=${name === 'BASE_URL' ? baseUrl : name === 'K6_SUMMARY_PATH' ? summary : value}`]),
      ...Object.entries(extraEnv).flatMap(([name, value]) => ['-e', `${name}=${value}`]),
    ];
    const k6 = startManagedProcess({
      name: `k6-runner-${index}`,
      command: toolPath('k6'),
      args: [
        'run',
        '--no-usage-report',
        '--quiet',
        `--execution-segment=${frac(index)}:${frac(index + 1)}`,
        `--execution-segment-sequence=${sequence}`,
        ...env,
        script,
      ],
      env: { K6_NO_USAGE_REPORT: 'true' },
      cwd: work,
    });
    const { code } = await k6.exited;
    expect(existsSync(summary), k6.log()).toBe(true);
    const data = JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, { values: Record<string, number> }> };
    return { code, requests: data.metrics['http_reqs']?.values['count'] ?? 0, log: k6.log() };
  };

  it('the TestRun asks for the manifest parallelism and points BASE_URL at the in-cluster Service', () => {
    expect(spec.parallelism).toBe(PARALLELISM);
    expect(spec.runner.env).toContainEqual({ name: 'BASE_URL', value: 'http://orders-service.observability.svc:8080' });
  });

  it('each runner sends 1/N of the arrival rate; the runners together send the whole load', async () => {
    const runs = await Promise.all(Array.from({ length: PARALLELISM }, (_, i) => runner(i, healthy.baseUrl)));
    const perRunner = (RATE * SECONDS) / PARALLELISM;
    // The smoke runs in setup(), and the k6-operator runs setup() in every runner (grafana/k6-operator#223):
    // each runner smoke-tests every endpoint once before its share of the load.
    const endpoints = 4;
    for (const r of runs) {
      expect(r.code, r.log).toBe(0);
      expect(r.requests, r.log).toBeGreaterThanOrEqual(perRunner + endpoints - 2);
      expect(r.requests, r.log).toBeLessThanOrEqual(perRunner + endpoints + 1);
    }
    const total = runs.reduce((sum, r) => sum + r.requests, 0);
    expect(total).toBeGreaterThanOrEqual(RATE * SECONDS + PARALLELISM * endpoints - 2);
    expect(total).toBeLessThanOrEqual(RATE * SECONDS + PARALLELISM * endpoints + 2);
  }, 120_000);

  it('each runner judges the SLO on its own requests: a runner on a slow instance exits 99 while one on a healthy instance passes', async () => {
    // Half of all requests take 3 s: the p95 over both runners' requests breaks `p95 < 2.5s`; only
    // the runner that saw the slow half fails. A TestRun passes only when every runner exits 0.
    // PHASE=load: the 3 s latency also breaks the example's inventory endpoint (its dependency call
    // times out: 5xx), which the smoke would catch first (next test); here only the SLO judges.
    const [ok, broken] = await Promise.all([runner(0, healthy.baseUrl, { PHASE: 'load' }), runner(1, slow.baseUrl, { PHASE: 'load' })]);
    expect(ok.code, ok.log).toBe(0);
    expect(broken.code, broken.log).toBe(K6_THRESHOLDS_FAILED);
  }, 120_000);

  it("each runner smoke-tests before its share: with the TestRun's env, a runner on a broken instance stops at the smoke (108, no load), the healthy one passes", async () => {
    const [ok, broken] = await Promise.all([runner(0, healthy.baseUrl), runner(1, slow.baseUrl)]);
    expect(ok.code, ok.log).toBe(0);
    expect(broken.code, broken.log).toBe(K6_SMOKE_ABORTED);
    expect(broken.log).toMatch(/smoke failed \(GET \/orders\/:id\/inventory: status 5\d\d/);
    expect(broken.requests, broken.log).toBeLessThanOrEqual(4); // the smoke's requests only
  }, 120_000);
});
