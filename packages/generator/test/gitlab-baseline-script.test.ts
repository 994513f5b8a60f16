import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderGitlabBaselineScript } from '../src/render/gitlab-baseline-script.js';
import { tempDir } from './helpers.js';

/**
 * The nightly gate's baseline fetcher (loadtests/ci/gitlab/fetch-nightly-baseline.mjs), run with
 * node against a local HTTP server that answers the three GitLab REST endpoints it calls, shaped
 * as GitLab documents them (there is no GitLab here). Proves it picks the last successful
 * *scheduled* pipeline of the branch, finds the job across pages, sends the token, writes the file,
 * and fails loudly rather than passing the gate without a baseline.
 */
const TOKEN = 'glpat-test-only-token';
const SUMMARY = JSON.stringify({ metrics: { http_req_duration: { values: { 'p(95)': 42 } } } });

interface Seen {
  url: string;
  token: string | undefined;
}
let server: Server;
let api = '';
const seen: Seen[] = [];
/** Scenario switch for the fake API. */
let scenario: 'found' | 'no-pipeline' | 'job-on-page-2' | 'unauthorized' = 'found';

function reply(req: IncomingMessage): [number, string, Record<string, string>] {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.headers['private-token'] !== TOKEN || scenario === 'unauthorized') return [401, '{"message":"401 Unauthorized"}', {}];
  const p = url.pathname;
  if (p === '/api/v4/projects/acme%2Fshop/pipelines') {
    const ok = url.searchParams.get('source') === 'schedule' && url.searchParams.get('status') === 'success' && url.searchParams.get('ref') === 'main';
    return [200, JSON.stringify(ok && scenario !== 'no-pipeline' ? [{ id: 77, ref: 'main', source: 'schedule', status: 'success' }] : []), {}];
  }
  if (p === '/api/v4/projects/acme%2Fshop/pipelines/77/jobs') {
    const page = url.searchParams.get('page');
    const other = [{ id: 900, name: 'platform-generate-check' }];
    if (scenario === 'job-on-page-2')
      return page === '1'
        ? [200, JSON.stringify(other), { 'x-next-page': '2' }]
        : [200, JSON.stringify([{ id: 901, name: 'k6-nightly-orders-service' }]), { 'x-next-page': '' }];
    return [200, JSON.stringify([...other, { id: 901, name: 'k6-nightly-orders-service' }]), { 'x-next-page': '' }];
  }
  if (p === '/api/v4/projects/acme%2Fshop/jobs/901/artifacts/k6-summary-orders-service.json') return [200, SUMMARY, {}];
  return [404, '{"message":"404 Not found"}', {}];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', token: req.headers['private-token'] as string | undefined });
    const [status, body, headers] = reply(req);
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function run(env: Record<string, string>): Promise<{ code: number | null; out: string; file: string; dir: string; cleanup: () => void }> {
  const t = tempDir('platform-baseline-');
  const script = path.join(t.dir, 'fetch-nightly-baseline.mjs');
  writeFileSync(script, renderGitlabBaselineScript());
  const file = path.join(t.dir, 'k6-baseline/k6-summary-orders-service.json');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, '--job', 'k6-nightly-orders-service', '--artifact', 'k6-summary-orders-service.json', '--out', file], {
      cwd: t.dir,
      env: { PATH: process.env['PATH'] ?? '', CI_API_V4_URL: api, CI_PROJECT_ID: 'acme/shop', CI_COMMIT_REF_NAME: 'main', ...env },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, file, ...t });
    });
  });
}

describe('GitLab nightly baseline fetcher (generated script, real node, local GitLab API stand-in)', () => {
  it('writes the job artifact of the last successful scheduled pipeline on the branch, sending the token', async () => {
    scenario = 'found';
    seen.length = 0;
    const r = await run({ PLATFORM_GITLAB_API_TOKEN: TOKEN });
    try {
      expect(r.code, r.out).toBe(0);
      expect(readFileSync(r.file, 'utf8')).toBe(SUMMARY);
      expect(seen.map((s) => s.url.split('?')[0])).toEqual([
        '/api/v4/projects/acme%2Fshop/pipelines',
        '/api/v4/projects/acme%2Fshop/pipelines/77/jobs',
        '/api/v4/projects/acme%2Fshop/jobs/901/artifacts/k6-summary-orders-service.json',
      ]);
      expect(seen.every((s) => s.token === TOKEN)).toBe(true);
      expect(r.out).not.toContain(TOKEN);
    } finally {
      r.cleanup();
    }
  });

  it('finds the job on a later page of the pipeline’s jobs', async () => {
    scenario = 'job-on-page-2';
    const r = await run({ PLATFORM_GITLAB_API_TOKEN: TOKEN });
    try {
      expect(r.code, r.out).toBe(0);
      expect(readFileSync(r.file, 'utf8')).toBe(SUMMARY);
    } finally {
      r.cleanup();
    }
  });

  it('no earlier successful scheduled pipeline: exit 0, no file (the gate then records this run as the baseline)', async () => {
    scenario = 'no-pipeline';
    const r = await run({ PLATFORM_GITLAB_API_TOKEN: TOKEN });
    try {
      expect(r.code, r.out).toBe(0);
      expect(existsSync(r.file)).toBe(false);
      expect(r.out).toContain('no baseline');
    } finally {
      r.cleanup();
    }
  });

  it('a missing token or a refused request fails the job (exit 1), never passes the gate silently', async () => {
    scenario = 'found';
    const missing = await run({});
    const refused = await run({ PLATFORM_GITLAB_API_TOKEN: 'wrong' });
    try {
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('PLATFORM_GITLAB_API_TOKEN');
      expect(refused.code).toBe(1);
      expect(refused.out).toContain('HTTP 401');
      expect(refused.out).not.toContain('wrong');
      for (const r of [missing, refused]) expect(existsSync(r.file)).toBe(false);
    } finally {
      missing.cleanup();
      refused.cleanup();
    }
  });
});
