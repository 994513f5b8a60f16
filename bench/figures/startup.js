// @ts-check
import { spawnSync } from 'node:child_process';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { START_FLAGS } from '../lib/start-flags.js';
import { summarize } from '../lib/statistics.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';

const VARIANTS = /** @type {const} */ (['bare', 'upstream', 'platform']);

/** Figure 2: wall time of `node -e 0` with each start-up flag; the added time is compared. */
export async function measureStartup({ quick, repoRoot }) {
  const receiver = await startSinkOtlpReceiver();
  try {
    const env = {
      ...process.env,
      OTEL_SERVICE_NAME: 'bench-startup',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
    };
    const run = (variant) => {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [...START_FLAGS[variant], '-e', '0'], { cwd: repoRoot, env, stdio: 'pipe', timeout: 30_000 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${variant} start-up failed (${r.status}): ${r.stderr}`);
      return ms;
    };
    for (const v of VARIANTS) run(v); // warm the file system cache
    const samples = await runAlternatingRounds(VARIANTS, quick ? 3 : 15, async (v) => ({ ms: run(v) }));
    const med = Object.fromEntries(VARIANTS.map((v) => [v, summarize(samples[v].ms)]));
    const upstreamAdded = med.upstream.median - med.bare.median;
    const platformAdded = med.platform.median - med.bare.median;
    const ratio = platformAdded / upstreamAdded;
    return {
      id: 'startup',
      title: 'Startup (`node -e 0` with the flag)',
      variants: med,
      unit: 'ms',
      figures: { upstreamAddedMs: round(upstreamAdded), platformAddedMs: round(platformAdded) },
      ratio: { name: 'added time, platform / upstream', value: round(ratio, 3) },
      target: { text: '<= 0.4x', met: ratio <= 0.4 },
    };
  } finally {
    await receiver.close();
  }
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
