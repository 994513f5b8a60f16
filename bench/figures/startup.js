// @ts-check
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { spawnNode, waitUntilReady } from '../../packages/telemetry/test/support/instrumented-process.js';
import { START_FLAGS } from '../lib/start-flags.js';
import { summarize } from '../lib/statistics.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';

const VARIANTS = /** @type {const} */ (['bare', 'upstream', 'platform']);

/**
 * Figure 2: wall time of `node -e 0` with each start-up flag; the added time is compared (the
 * target). Also the ESM example's spawn-to-first-response, where both flags pay for their ESM
 * loader hook too (`node -e 0` has no module for a loader to hook).
 */
export async function measureStartup({ quick, repoRoot }) {
  const receiver = await startSinkOtlpReceiver();
  try {
    const env = {
      ...process.env,
      OTEL_SERVICE_NAME: 'bench-startup',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
      // The metrics server on a free port: a busy 9464 on the bench machine must not change the
      // figure. Not 0: its announcement would be the only log line, exported at exit.
      PLATFORM_METRICS_PORT: String(await freePort()),
    };
    const run = (variant) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [...START_FLAGS[variant], '-e', '0'], { cwd: repoRoot, env, stdio: 'pipe', timeout: 30_000 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${variant} start-up failed (${r.status}): ${r.stderr}`);
      return ms;
    };
    for (const v of VARIANTS) run(v); // warm the file system cache
    const samples = await runAlternatingRounds(VARIANTS, quick ? 3 : 15, async (v) => ({
      ms: run(v),
      firstRequestMs: await timeToFirstRequest(repoRoot, v, env),
    }));
    const med = Object.fromEntries(VARIANTS.map((v) => [v, { ms: summarize(samples[v].ms), firstRequestMs: summarize(samples[v].firstRequestMs) }]));
    const added = (v, key) => med[v][key].median - med.bare[key].median;
    const ratio = added('platform', 'ms') / added('upstream', 'ms');
    return {
      id: 'startup',
      title: 'Startup (`node -e 0` with the flag; and the ESM example to its first response)',
      variants: med,
      unit: 'ms',
      figures: {
        upstreamAddedMs: round(added('upstream', 'ms')),
        platformAddedMs: round(added('platform', 'ms')),
        // The example is ESM, so here both flags also pay for their ESM loader hook.
        esmExampleFirstRequestAddedMs: { upstream: round(added('upstream', 'firstRequestMs')), platform: round(added('platform', 'firstRequestMs')) },
        esmExampleRatio: round(added('platform', 'firstRequestMs') / added('upstream', 'firstRequestMs'), 3),
      },
      ratio: { name: 'added time, platform / upstream', value: round(ratio, 3) },
      target: { text: '<= 0.4x', met: ratio <= 0.4 },
    };
  } finally {
    await receiver.close();
  }
}

/** Wall time from spawning the example service to its first 200 on /healthz (polled every 5 ms). */
async function timeToFirstRequest(repoRoot, variant, env) {
  const port = await freePort();
  const t0 = process.hrtime.bigint();
  const svc = spawnNode({
    nodeArgs: START_FLAGS[variant],
    script: path.join(repoRoot, 'examples/orders-service/dist/server.js'),
    stdout: 'discard',
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', PLATFORM_METRICS_PORT: 'off', OTEL_SERVICE_NAME: 'orders-service' },
  });
  await waitUntilReady(svc, `http://127.0.0.1:${port}/healthz`, 15_000, 5);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await svc.stop();
  return ms;
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
