import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from './support/instrumented-process.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../../..');
const SERVICES = path.join(HERE, 'fixtures/installed');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const procs: InstrumentedProcess[] = [];
let project: string | undefined;

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  if (project === undefined) return;
  // Deleting ~300 installed packages takes up to a minute on a loaded disk: a detached `rm`
  // does it without holding the suite (and rmSync where there is no `rm`).
  if (process.platform === 'win32') rmSync(project, { recursive: true, force: true });
  else spawn('rm', ['-rf', project], { detached: true, stdio: 'ignore' }).unref();
}, 120_000);

/**
 * Starts a service of the temp project with `--import @platform/telemetry/register`. Both its
 * own port and the metrics port are ephemeral and read from its output (no race for free ports).
 */
async function startService(script: string, healthPath: string) {
  const proc = spawnInstrumented({
    script,
    cwd: project!,
    env: { PLATFORM_METRICS_PORT: '0', PLATFORM_METRICS_HOST: '127.0.0.1', OTEL_SERVICE_NAME: script.replace(/\..*$/, '') },
  });
  procs.push(proc);
  const listening = await waitFor(() => {
    if (proc.child.exitCode !== null) throw new Error(`${script} exited: ${proc.stderr()}`);
    return proc.jsonLogs().find((l) => typeof l.listening === 'number');
  }, 60_000);
  const port = Number(listening.listening);
  await waitUntilReady(proc, `http://127.0.0.1:${port}${healthPath}`, 60_000);
  const announced = await waitFor(() => proc.jsonLogs().find((l) => typeof l.metrics_url === 'string'));
  return { base: `http://127.0.0.1:${port}`, metrics: String(announced.metrics_url) };
}

async function routesAfter(service: { base: string; metrics: string }, paths: string[]): Promise<string[]> {
  for (const p of paths) await (await fetch(service.base + p)).arrayBuffer();
  const text = await (await fetch(service.metrics)).text();
  return [...text.matchAll(/^http_server_request_duration_seconds_count\{[^}]*http_route="([^"]*)"[^}]*\} \d+$/gm)].map((m) => m[1]!).sort();
}

describe('installing the packed tarballs into an empty project', () => {
  it('npm run pack → npm install of the tarball set; Fastify, Koa and node:http services report their routes; the generator runs as npx @platform/generator', async () => {
    // 1. The root script packs the three workspaces into one folder.
    execFileSync(NPM, ['run', 'pack'], { cwd: REPO_ROOT, stdio: 'pipe', timeout: 180_000 });
    const packed = path.join(REPO_ROOT, 'packed');
    const tarballs = readdirSync(packed).sort();
    expect(tarballs).toEqual(['platform-conventions-0.1.0.tgz', 'platform-generator-0.1.0.tgz', 'platform-telemetry-0.1.0.tgz']);

    // 2. An empty project outside the repository installs them (third-party packages from the registry).
    project = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'platform-install-')));
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'install-check', version: '1.0.0', private: true }));
    const install = spawnSync(
      NPM,
      ['install', '--prefer-offline', '--no-audit', '--no-fund', ...tarballs.map((t) => path.join(packed, t)), 'fastify@5', 'koa@3', '@koa/router@15'],
      { cwd: project, encoding: 'utf8', timeout: 300_000 },
    );
    expect(install.status, install.stderr).toBe(0);
    for (const file of readdirSync(SERVICES)) copyFileSync(path.join(SERVICES, file), path.join(project, file));
    // Installed copies, not links into this repository; CommonJS works without require(esm).
    const resolved = execFileSync(
      process.execPath,
      ['--no-experimental-require-module', '-p', "require.resolve('@platform/telemetry') + ' ' + typeof require('@platform/telemetry').setRoute"],
      { cwd: project, encoding: 'utf8' },
    ).trim();
    expect(resolved).toBe(`${path.join(project, 'node_modules/@platform/telemetry/dist/cjs/index.cjs')} function`);

    // 3. Three services at once, each with an ephemeral metrics port announced in its log.
    const [fastify, koa, plain] = await Promise.all([
      startService('fastify-service.mjs', '/healthz'),
      startService('koa-service.cjs', '/api/healthz'),
      startService('http-service.mjs', '/healthz'),
    ]);
    expect(await routesAfter(fastify, ['/users/1', '/users/2', '/api/v1/items/3', '/nope'])).toEqual([
      '/api/v1/items/:itemId',
      '/healthz',
      '/users/:id',
      'unmatched',
    ]);
    expect(await routesAfter(koa, ['/api/orders/1', '/api/shops/2/items/3', '/nope'])).toEqual([
      '/api/healthz',
      '/api/orders/:id',
      '/api/shops/:shopId/items/:itemId',
      'unmatched',
    ]);
    expect(await routesAfter(plain, ['/accounts/a', '/accounts/b', '/nope'])).toEqual(['/accounts/:id', 'unmatched', 'unmatched']);

    // 4. The generator, by its scoped name; init says how to run it here and points $schema into the package.
    const init = spawnSync(NPX, ['--no-install', '@platform/generator', 'init', '--manifest', 'platform.yaml'], {
      cwd: project,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toBe('wrote platform.yaml; next: npx @platform/generator validate --manifest platform.yaml\n');
    const manifest = readFileSync(path.join(project, 'platform.yaml'), 'utf8');
    const schemaRef = /^# yaml-language-server: \$schema=(\S+)$/m.exec(manifest)?.[1];
    expect(schemaRef).toBe('node_modules/@platform/generator/schema/platform.schema.json');
    expect(existsSync(path.join(project, schemaRef!))).toBe(true);
    const [cmd, ...args] = 'npx @platform/generator validate --manifest platform.yaml'.split(' ');
    const validate = spawnSync(cmd === 'npx' ? NPX : cmd!, args, { cwd: project, encoding: 'utf8', timeout: 60_000 });
    expect(validate.status, validate.stderr).toBe(0);
  }, 600_000);
});
