/**
 * `platform loadtest compare` on crafted k6 summaries (the shape the generated script writes; the
 * real-k6 test in examples/orders-service runs it on real ones): verdicts per endpoint and measure,
 * the allowance flags, and bad input as exit 2 with one line and a hint.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_SUMMARY_BYTES } from '../src/loadtest/read-summary.js';
import { cli, tempDir } from './helpers.js';

interface Figures {
  count: number;
  rate?: number;
  p95: number;
  p99: number;
}

/** A k6 JSON summary as the generated script writes it: per-endpoint sub-metrics plus totals. */
function summary(endpoints: Record<string, Figures>, platform: object | undefined = { service: 'orders-service', phase: 'load' }): string {
  const metrics: Record<string, unknown> = {};
  const all = { count: 0, failed: 0, p95: 0, p99: 0 };
  for (const [name, f] of Object.entries(endpoints)) {
    metrics[`http_reqs{name:${name}}`] = {
      type: 'counter',
      contains: 'default',
      values: { count: f.count, rate: f.count / 3 },
      thresholds: { 'count>=0': { ok: true } },
    };
    metrics[`http_req_failed{name:${name}}`] = { type: 'rate', contains: 'default', values: { rate: f.rate ?? 0, passes: 0, fails: f.count } };
    metrics[`http_req_duration{name:${name}}`] = { type: 'trend', contains: 'time', values: { avg: f.p95 / 2, 'p(95)': f.p95, 'p(99)': f.p99 } };
    all.count += f.count;
    all.failed += (f.rate ?? 0) * f.count;
    all.p95 = Math.max(all.p95, f.p95);
    all.p99 = Math.max(all.p99, f.p99);
  }
  metrics['http_reqs'] = { type: 'counter', values: { count: all.count } };
  metrics['http_req_failed'] = { type: 'rate', values: { rate: all.count === 0 ? 0 : all.failed / all.count } };
  metrics['http_req_duration'] = { type: 'trend', values: { 'p(95)': all.p95, 'p(99)': all.p99 } };
  return JSON.stringify({ root_group: {}, options: {}, state: { testRunDurationMs: 3000 }, metrics, ...(platform ? { platform } : {}) });
}

const BASE: Record<string, Figures> = {
  'GET /orders': { count: 300, p95: 40, p99: 60 },
  'POST /orders': { count: 100, p95: 80, p99: 120 },
};

describe('platform loadtest compare', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('loadtest-compare-')));
  afterEach(() => cleanup());

  const write = (name: string, content: string): string => {
    writeFileSync(path.join(dir, name), content);
    return name;
  };
  const compare = (current: Record<string, Figures>, flags: string[] = []) =>
    cli(['loadtest', 'compare', write('base.json', summary(BASE)), write('cur.json', summary(current)), ...flags], dir);
  /** The table line for one endpoint and measure. */
  const line = (out: string, endpoint: string, measure: string): string =>
    out.split('\n').find((l) => l.startsWith(`${endpoint} `) && l.slice(endpoint.length).trimStart().startsWith(`${measure} `)) ?? '';

  it('passes an unchanged run: exit 0, every endpoint and all requests in the table', () => {
    const r = compare(BASE);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^endpoint\s+measure\s+baseline\s+current\s+change\s+verdict$/);
    for (const ep of [...Object.keys(BASE), 'all']) for (const m of ['requests', 'p95', 'p99', 'error rate']) expect(line(r.stdout, ep, m)).toMatch(/ ok$/);
    expect(line(r.stdout, 'GET /orders', 'p95')).toMatch(/^GET \/orders\s+p95\s+40 ms\s+40 ms\s+\+0%\s+ok$/);
    expect(r.stdout).toContain('no regression beyond the allowance (p95 +20%, p99 +30%, error rate +0.1 pp; latency increases up to 5 ms ignored)');
  });

  it('fails (exit 1) when p95 grew beyond 20% while well inside any SLO; a wider allowance passes it', () => {
    const current = { ...BASE, 'GET /orders': { count: 300, p95: 50, p99: 60 } };
    const r = compare(current);
    expect(r.code).toBe(1);
    expect(line(r.stdout, 'GET /orders', 'p95')).toMatch(/40 ms\s+50 ms\s+\+25%\s+regressed$/);
    expect(line(r.stdout, 'POST /orders', 'p95')).toMatch(/ ok$/);
    // The crafted totals take the slowest endpoint (80 ms): they did not move.
    expect(line(r.stdout, 'all', 'p95')).toMatch(/ ok$/);
    expect(r.stderr).toBe('regressed: 1 measure(s) beyond the allowance (p95 +20%, p99 +30%, error rate +0.1 pp; latency increases up to 5 ms ignored)\n');
    expect(compare(current, ['--max-p95-regression', '30%']).code).toBe(0);
    expect(compare(current, ['--max-p95-regression=25']).code).toBe(0);
    expect(compare(current, ['--max-p95-regression', '24%']).code).toBe(1);
  });

  it('fails on p99 alone with its own allowance', () => {
    const current = { ...BASE, 'POST /orders': { count: 100, p95: 80, p99: 170 } };
    const r = compare(current);
    expect(r.code).toBe(1);
    expect(line(r.stdout, 'POST /orders', 'p99')).toMatch(/regressed$/);
    expect(line(r.stdout, 'POST /orders', 'p95')).toMatch(/ok$/);
    expect(compare(current, ['--max-p99-regression', '50%']).code).toBe(0);
  });

  it('ignores latency increases up to --min-latency-increase (noise on fast endpoints)', () => {
    const fast = { 'GET /orders': { count: 300, p95: 2, p99: 3 } };
    writeFileSync(path.join(dir, 'fast-base.json'), summary(fast));
    writeFileSync(path.join(dir, 'fast-cur.json'), summary({ 'GET /orders': { count: 300, p95: 4, p99: 6 } }));
    const run = (flags: string[]) => cli(['loadtest', 'compare', 'fast-base.json', 'fast-cur.json', ...flags], dir);
    expect(run([]).code).toBe(0);
    expect(run(['--min-latency-increase', '1ms']).code).toBe(1);
    expect(run(['--min-latency-increase', '0.002s']).code).toBe(1);
    expect(run(['--min-latency-increase', '3']).code).toBe(0);
  });

  it('fails when the error rate grew by more than 0.1 percentage points; 0.1 exactly passes', () => {
    const at = (rate: number) => ({ ...BASE, 'POST /orders': { count: 1000, rate, p95: 80, p99: 120 } });
    expect(compare(at(0.001)).code).toBe(0);
    const r = compare(at(0.002));
    expect(r.code).toBe(1);
    expect(line(r.stdout, 'POST /orders', 'error rate')).toMatch(/0%\s+0\.2%\s+\+0\.2 pp\s+regressed$/);
    expect(compare(at(0.002), ['--max-error-rate-increase', '0.5%']).code).toBe(0);
  });

  it('lists an endpoint only one run exercised without judging it', () => {
    const r = compare({ 'GET /orders': BASE['GET /orders']!, 'DELETE /orders/:id': { count: 5, p95: 900, p99: 900 } });
    expect(r.code, r.stdout).toBe(0);
    expect(line(r.stdout, 'DELETE /orders/:id', 'requests')).toMatch(/-\s+5\s+-\s+no baseline$/);
    expect(line(r.stdout, 'POST /orders', 'requests')).toMatch(/100\s+-\s+-\s+not in current run$/);
    // The totals moved (a slow endpoint joined) but are not judged over different endpoint sets.
    expect(line(r.stdout, 'all', 'p95')).toMatch(/80 ms\s+900 ms\s+\+1025%\s+endpoints differ$/);
    // No requests at all is the same as absent.
    const none = compare({ ...BASE, 'POST /orders': { count: 0, p95: 0, p99: 0 } });
    expect(line(none.stdout, 'POST /orders', 'requests')).toMatch(/not in current run$/);
  });

  it('prints endpoint names from the file without control characters', () => {
    const evil = { 'GET /x\u001b[31m': { count: 1, p95: 1, p99: 1 } };
    const r = cli(['loadtest', 'compare', write('a.json', summary(evil)), write('b.json', summary(evil))], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('GET /x?[31m');
  });

  it('bad input or usage: exit 2, one line naming the problem and a hint, nothing on stdout', () => {
    const good = write('good.json', summary(BASE));
    write('notjson.json', '{"metrics": ');
    write('notk6.json', JSON.stringify({ hello: 'world' }));
    write('old.json', JSON.stringify({ metrics: { http_req_duration: { type: 'trend', values: { 'p(95)': 3 } } } }));
    write('smoke.json', summary(BASE, { service: 'orders-service', phase: 'smoke' }));
    write('other.json', summary(BASE, { service: 'billing', phase: 'all' }));
    mkdirSync(path.join(dir, 'adir'));
    writeFileSync(path.join(dir, 'huge.json'), Buffer.alloc(MAX_SUMMARY_BYTES + 1, 0x20));
    const cases: Array<[string[], RegExp]> = [
      [['compare', good, 'missing.json'], /^platform loadtest compare: missing\.json: no such file\n {4}hint: pass the K6_SUMMARY_PATH file/],
      [['compare', good, 'notjson.json'], /^platform loadtest compare: notjson\.json: not JSON \(.+\)\n {4}hint: /],
      [['compare', 'notk6.json', good], /^platform loadtest compare: notk6\.json: not a k6 summary \(no "metrics" object\)\n/],
      [
        ['compare', good, 'old.json'],
        /^platform loadtest compare: old\.json: no per-endpoint sub-metrics .*\n {4}hint: the script predates .*run "platform generate"/,
      ],
      [['compare', good, 'smoke.json'], /^platform loadtest compare: smoke\.json is a smoke run .*\n {4}hint: compare runs with PHASE=load or PHASE=all\n$/],
      [
        ['compare', good, 'other.json'],
        /^platform loadtest compare: good\.json measured orders-service, other\.json measured billing\n {4}hint: compare two runs of the same service\n$/,
      ],
      [['compare', good, 'adir'], /^platform loadtest compare: adir: not a regular file \(a directory\)\n/],
      [['compare', good, 'huge.json'], /^platform loadtest compare: huge\.json: larger than 8 MB/],
      [['compare', good], /^platform loadtest: needs two summaries, <baseline\.json> <current\.json> \(got 1\)\nsee: platform loadtest --help\n$/],
      [['compare', good, good, '--max-p95-regression', 'lots'], /^platform loadtest: --max-p95-regression must be a percentage like 20% \(got "lots"\)\n/],
      [['compare', good, good, '--min-latency-increase', '5m'], /^platform loadtest: --min-latency-increase must be a duration like 5ms/],
      [['compare', good, good, '--max-p99-regression'], /^platform loadtest: --max-p99-regression needs a value\n/],
      [['compare', good, good, '--frobnicate'], /^platform loadtest: unknown option --frobnicate\n/],
      [['diff', good, good], /^platform loadtest: unknown subcommand "diff" \(the only one is "compare"\)\n/],
      [[], /^Usage: platform loadtest compare/],
    ];
    for (const [args, message] of cases) {
      const r = cli(['loadtest', ...args], dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('is in the CLI help; loadtest --help documents the flags and their defaults', () => {
    expect(cli(['--help'], dir).stdout).toMatch(/^ {2}loadtest {3}"loadtest compare": regression gate/m);
    for (const args of [
      ['loadtest', '--help'],
      ['loadtest', 'compare', '--help'],
    ]) {
      const r = cli(args, dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Usage: platform loadtest compare <baseline.json> <current.json> [options]');
      for (const flag of ['--max-p95-regression P', '--max-p99-regression P', '--max-error-rate-increase P', '--min-latency-increase T'])
        expect(r.stdout).toContain(flag);
      expect(r.stdout).toContain('(default 20%)');
      expect(r.stdout).toContain('(default 30%)');
    }
    expect(cli(['loadtset'], dir).stderr).toContain('(did you mean "loadtest"?)');
  });
});
