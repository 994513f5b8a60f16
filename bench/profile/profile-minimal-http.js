// @ts-check
/**
 * `node bench/profile/profile-minimal-http.js <variant> [seconds]`: runs figure 1's minimal
 * node:http server as `variant` (bare, bare+pino, upstream, upstream+logs, platform,
 * platform+log) under `node --cpu-prof`, loads it with autocannon (50 connections) against a
 * local OTLP sink, stops it (the profile is written at exit) and prints the self-time summary
 * (summarize-cpu-profile.js) per request, startup left out. Profiles land in bench/profile/out/ (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { waitUntilReady } from '../../packages/telemetry/test/support/instrumented-process.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';
import { MINIMAL_HTTP_VARIANTS, spawnMinimalServer } from '../figures/http-overhead-minimal.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const [name = 'platform+log', secondsArg = '8'] = process.argv.slice(2);
if (!(name in MINIMAL_HTTP_VARIANTS)) throw new Error(`unknown variant ${name}; known: ${Object.keys(MINIMAL_HTTP_VARIANTS).join(', ')}`);
const outDir = path.join(here, 'out', name.replace(/\W/g, '-'));
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

const sink = await startSinkOtlpReceiver();
const port = await freePort();
const svc = await spawnMinimalServer({ repoRoot, name, port, otlpUrl: sink.url, extraNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${outDir}`] });
/** @type {number} */
let requests;
const spawned = Date.now();
/** @type {number} */
let startupMs;
try {
  const url = `http://127.0.0.1:${port}/`;
  await waitUntilReady(svc, url, 60_000);
  startupMs = Date.now() - spawned;
  const r = await autocannon({ url, connections: 50, duration: Number(secondsArg) });
  requests = r.requests.total;
} finally {
  await svc.stop(15_000);
  await sink.close();
}
const profile = readdirSync(outDir).find((f) => f.endsWith('.cpuprofile'));
if (!profile) throw new Error(`no profile written in ${outDir}: ${svc.stderr()}`);
spawnSync(
  process.execPath,
  [
    path.join(here, 'summarize-cpu-profile.js'),
    path.join(outDir, profile),
    '--requests',
    String(requests),
    '--from-ms',
    String(startupMs),
    '--top',
    process.env.TOP ?? '35',
  ],
  { stdio: 'inherit' },
);
