/**
 * The generated k6 script, run by the real k6 against the running example, with short load
 * settings, as a CI pipeline runs it:
 * - PHASE=all passes (exit 0) while the SLO holds and fails with k6's threshold exit code 99 when
 *   latency is injected into the example (ORDERS_INJECTED_LATENCY_MS);
 * - PHASE=smoke checks each endpoint once and exits in seconds (no fixed wait);
 * - a broken endpoint (the inventory dependency down: 502) fails the smoke, which aborts the run
 *   at once with exit 108 and no load sent, in PHASE=all and PHASE=smoke;
 * - every run writes the JSON summary, a JUnit XML report (one test case per SLO threshold) and a
 *   Markdown summary (per endpoint against the SLO);
 * - `platform loadtest compare` passes an unchanged run and flags a latency regression that stays
 *   inside the SLO.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadManifest, renderAll, runCli } from '@platform/generator';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { REPO_ROOT, startExampleService, type ExampleService } from '../../../packages/telemetry/test/support/example-service.js';
import { freePort } from '../../../packages/telemetry/test/support/free-port.js';
import { startManagedProcess } from '../../../packages/telemetry/test/support/managed-process.js';
import { realToolsSkipReason, toolPath } from '../../../packages/telemetry/test/support/real-tools.js';

const skipReason = realToolsSkipReason();
/** k6 exits with this code when a threshold failed. */
const K6_THRESHOLDS_FAILED = 99;
/** k6 exits with this code when the script aborted the test (exec.test.abort). */
const K6_ABORTED_BY_SCRIPT = 108;
/** The load phase of the fixture: 10 requests/s for 3 s. */
const LOAD = { rate: 10, duration: '3s' };
/** The fixture's latency SLO: p95 < 2.5 s (a histogram bucket bound), which a healthy example meets on a busy 2-core CI machine. */
const SLO_MS = 2500;
/** Injected latency that breaks the SLO (the inventory endpoint also times out its own dependency: 5xx). */
const BREAKING_MS = 3000;
/**
 * Injected latency for a regression inside the SLO: +400 ms per request (+800 ms on the inventory
 * endpoint, whose dependency is the example itself), against --min-latency-increase 200ms, above
 * the noise of back-to-back runs on a shared CI machine.
 */
const REGRESSION_MS = 400;

interface K6Run {
  code: number | null;
  seconds: number;
  log: string;
  summary: string;
  junit: string;
  markdown: string;
}

interface Summary {
  metrics: Record<string, { values: Record<string, number>; thresholds?: Record<string, { ok: boolean }> } | undefined>;
  platform: { service: string; phase: string };
}

describe.skipIf(skipReason !== undefined)('the generated k6 script with the real k6', () => {
  let work: string;
  let script: string;
  let endpointNames: string[];
  let healthy: ExampleService;
  let slow: ExampleService;
  let regressed: ExampleService;
  let broken: ExampleService;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'k6-loadtest-'));
    const manifest = parseYaml(readFileSync(path.join(REPO_ROOT, 'examples/platform.yaml'), 'utf8')) as { services: Array<Record<string, unknown>> };
    const service = manifest.services[0]!;
    service['load'] = LOAD;
    service['slos'] = { ...(service['slos'] as object), latency: { objective: `p95 < ${SLO_MS}ms`, window: '30d' } };
    const model = loadManifest(toYaml(manifest), 'platform.yaml');
    endpointNames = model.services[0]!.endpoints.map((e) => e.tag);
    const files = renderAll(model);
    script = path.join(work, 'orders-service.js');
    writeFileSync(script, files.get('loadtests/orders-service.js')!);
    // Nothing listens on this port: the inventory dependency is down, so its endpoint answers 5xx.
    const deadPort = await freePort();
    // Two at a time: four node processes starting at once on a busy 2-core machine can miss the
    // harness's readiness deadline.
    [healthy, broken] = await Promise.all([
      startExampleService(),
      startExampleService({ env: { INVENTORY_URL: `http://127.0.0.1:${deadPort}/internal/inventory` } }),
    ]);
    [slow, regressed] = await Promise.all([
      startExampleService({ env: { ORDERS_INJECTED_LATENCY_MS: String(BREAKING_MS) } }),
      startExampleService({ env: { ORDERS_INJECTED_LATENCY_MS: String(REGRESSION_MS) } }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([healthy?.stop(), slow?.stop(), regressed?.stop(), broken?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const runK6 = async (name: string, baseUrl: string, phase?: string): Promise<K6Run> => {
    const out = (ext: string): string => path.join(work, `${name}.${ext}`);
    const env = [`BASE_URL=${baseUrl}`, `K6_SUMMARY_PATH=${out('json')}`, `K6_JUNIT_PATH=${out('xml')}`, `K6_MARKDOWN_PATH=${out('md')}`];
    if (phase !== undefined) env.push(`PHASE=${phase}`);
    const started = performance.now();
    const k6 = startManagedProcess({
      name: `k6-${name}`,
      command: toolPath('k6'),
      // A free port for k6's REST API: parallel runs must not compete for its default 6565.
      args: ['run', '--no-usage-report', '--quiet', '--address', `127.0.0.1:${await freePort()}`, ...env.flatMap((e) => ['-e', e]), script],
      env: { K6_NO_USAGE_REPORT: 'true' },
      cwd: work,
    });
    const { code } = await k6.exited;
    return { code, seconds: (performance.now() - started) / 1000, log: k6.log(), summary: out('json'), junit: out('xml'), markdown: out('md') };
  };
  const readSummary = (run: K6Run): Summary => JSON.parse(readFileSync(run.summary, 'utf8')) as Summary;
  const requests = (s: Summary): number => s.metrics['http_reqs']?.values['count'] ?? 0;

  it('PHASE=all runs the smoke, then the load at once, and exits 0 while the SLO holds', async () => {
    const run = await runK6('healthy', healthy.baseUrl);
    expect(run.code, run.log).toBe(0);
    expect(run.log).toContain('orders-service: all SLO thresholds passed');
    const summary = readSummary(run);
    expect(summary.platform).toEqual({ service: 'orders-service', phase: 'all' });
    // The smoke (one request per endpoint) and the load (10/s for 3 s) both ran.
    expect(requests(summary)).toBeGreaterThanOrEqual(endpointNames.length + 25);
    // The old script idled 30 s before the load; now the run is k6's start, the smoke and the load.
    expect(run.seconds, run.log).toBeLessThan(15);
    expect(Object.values(summary.metrics['http_req_duration']!.thresholds!).every((t) => t.ok)).toBe(true);
  }, 60_000);

  it('PHASE=smoke checks each endpoint once and exits 0 in seconds', async () => {
    const run = await runK6('smoke', healthy.baseUrl, 'smoke');
    expect(run.code, run.log).toBe(0);
    expect(run.seconds, run.log).toBeLessThan(10);
    const summary = readSummary(run);
    expect(summary.platform.phase).toBe('smoke');
    expect(requests(summary)).toBe(endpointNames.length);
    for (const name of endpointNames) expect(summary.metrics[`http_reqs{name:${name}}`]?.values['count'], name).toBe(1);
  }, 60_000);

  it('an unknown PHASE stops k6 in init code with a clear message, before any request', async () => {
    const run = await runK6('bogus', healthy.baseUrl, 'nightly');
    // 107: k6's exit code for an exception in the script (here its init code).
    expect(run.code, run.log).toBe(107);
    expect(run.log).toContain('PHASE must be one of smoke, load, all (got \\"nightly\\")');
    expect(existsSync(run.summary)).toBe(false);
  }, 60_000);

  it('a broken endpoint fails the smoke, which aborts at once (exit 108) before any load, in PHASE=all and PHASE=smoke', async () => {
    const [all, smoke] = await Promise.all([runK6('broken-all', broken.baseUrl), runK6('broken-smoke', broken.baseUrl, 'smoke')]);
    for (const run of [all, smoke]) {
      expect(run.code, run.log).toBe(K6_ABORTED_BY_SCRIPT);
      expect(run.log).toMatch(/orders-service smoke failed \(GET \/orders\/:id\/inventory: status 5\d\d, expected 200\); no load sent/);
      expect(run.seconds, run.log).toBeLessThan(15);
      // Only the smoke's requests: the load never started.
      expect(requests(readSummary(run))).toBe(endpointNames.length);
      expect(existsSync(run.junit) && existsSync(run.markdown), run.log).toBe(true);
    }
  }, 60_000);

  it('PHASE=load exits 99 when injected latency breaks the SLO; JUnit has one test case per SLO threshold with observed vs threshold, Markdown the per-endpoint table', async () => {
    // The injected latency also times out the example's own inventory call (5xx): with PHASE=all the
    // smoke would stop the run (108) before the load, so the load runs alone here.
    const run = await runK6('slow', slow.baseUrl, 'load');
    expect(run.code, run.log).toBe(K6_THRESHOLDS_FAILED);
    expect(run.log).toMatch(/SLO thresholds violated: .*http_req_duration/);
    const summary = readSummary(run);
    expect(summary.metrics['http_req_duration']!.values['p(95)']).toBeGreaterThan(SLO_MS);
    expect(summary.metrics['http_req_duration']!.thresholds![`p(95)<${SLO_MS}`]!.ok).toBe(false);
    const xml = readFileSync(run.junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' }).parse(xml) as {
      testsuites: { testsuite: { tests: string; failures: string; testcase: Array<{ name: string; failure?: { message: string } }> } };
    };
    const suite = doc.testsuites.testsuite;
    // The SLO thresholds: global error rate, latency and checks, then error rate and latency per endpoint.
    const latencySlo = `p(95)<${SLO_MS}`;
    const expected = ['http_req_failed: rate<0.001', `http_req_duration: ${latencySlo}`, 'checks: rate>0.999'];
    for (const name of endpointNames) expected.push(`http_req_duration{name:${name}}: ${latencySlo}`, `http_req_failed{name:${name}}: rate<0.001`);
    expect(suite.testcase.map((t) => t.name).sort()).toEqual(expected.sort());
    expect(Number(suite.tests)).toBe(expected.length);
    const latency = suite.testcase.find((t) => t.name === `http_req_duration: ${latencySlo}`)!;
    const observed = new RegExp(`^observed p\\(95\\) = (\\d+(?:\\.\\d+)?) ms, threshold p\\(95\\)<${SLO_MS}$`).exec(latency.failure?.message ?? '');
    expect(observed, latency.failure?.message).not.toBeNull();
    expect(Number(observed![1])).toBeCloseTo(summary.metrics['http_req_duration']!.values['p(95)']!, -1);
    // GET /orders fails no request (the injected latency is below k6's timeout): a passed test case.
    expect(suite.testcase.find((t) => t.name === 'http_req_failed{name:GET /orders}: rate<0.001')!.failure).toBeUndefined();
    expect(Number(suite.failures)).toBe(suite.testcase.filter((t) => t.failure !== undefined).length);

    const markdown = readFileSync(run.markdown, 'utf8');
    expect(markdown).toContain('| Endpoint | Requests | Error rate | p95 | p99 | SLO |');
    for (const name of endpointNames)
      expect(markdown).toMatch(
        new RegExp(
          `^\\| ${name.replace(/[/:]/g, (c) => `\\${c}`)} \\| \\d+ \\| \\d+(\\.\\d+)?% \\| \\d{4,}(\\.\\d+)? ms \\| \\d{4,}(\\.\\d+)? ms \\| violated \\|$`,
          'm',
        ),
      );
    expect(markdown).toContain('**SLO thresholds violated:**');
  }, 60_000);

  it('loadtest compare passes an unchanged run and flags a latency regression inside the SLO', async () => {
    // One after the other: parallel runs on 2 cores would measure each other.
    const baseline = await runK6('baseline', healthy.baseUrl, 'load');
    const unchanged = await runK6('unchanged', healthy.baseUrl, 'load');
    const slower = await runK6('regressed', regressed.baseUrl, 'load');
    // All three meet the SLO: k6 alone would pass the regression.
    for (const run of [baseline, unchanged, slower]) expect(run.code, run.log).toBe(0);
    const compare = (current: K6Run): { code: number; out: string } => {
      let out = '';
      const code = runCli(['loadtest', 'compare', baseline.summary, current.summary, '--min-latency-increase', '200ms'], {
        cwd: work,
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
      });
      return { code, out };
    };
    const same = compare(unchanged);
    expect(same.code, same.out).toBe(0);
    const worse = compare(slower);
    expect(worse.code, worse.out).toBe(1);
    for (const name of endpointNames) expect(worse.out).toMatch(new RegExp(`${name.replace(/[/]/g, '\\/')}\\s+p95 .*regressed`));
  }, 90_000);
});
