// @ts-check
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { summarize } from '../lib/statistics.js';

/**
 * Figure 4: our logger (trace correlation mixin + redaction at any depth) vs raw pino with the
 * same redaction keys as exact paths (pino's best case) and as depth-limited wildcards, all
 * writing to a null destination inside an active span. Each round runs each variant in a fresh
 * process (same JIT state, same destination). The ratio is taken against exact-path pino.
 */
export async function measureLoggerThroughput({ quick, repoRoot }) {
  const child = path.join(repoRoot, 'bench/workloads/logger-lines.js');
  const lines = quick ? 20_000 : 100_000;
  const run = (variant) => {
    const r = spawnSync(process.execPath, [child, variant, String(lines)], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, OTEL_SDK_DISABLED: '', PLATFORM_METRICS_PORT: 'off', OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_SAMPLER: 'always_on' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    const last = r.stderr.trim().split('\n').at(-1) ?? '';
    if (r.status !== 0) throw new Error(`logger child ${variant} failed (${r.status}): ${r.stderr}`);
    return JSON.parse(last).linesPerSec;
  };
  const variants = /** @type {const} */ (['pino', 'platform', 'pino-wildcards']);
  const samples = await runAlternatingRounds(variants, quick ? 3 : 5, async (v) => ({ linesPerSec: run(v) }));
  const med = Object.fromEntries(variants.map((v) => [v, summarize(samples[v].linesPerSec)]));
  const ratio = med.platform.median / med.pino.median;
  return {
    id: 'logger',
    title: 'Logger throughput (correlation + redaction, null destination)',
    variants: med,
    unit: 'lines/s',
    figures: {},
    ratio: { name: 'lines/s, platform / pino', value: Math.round(ratio * 1000) / 1000 },
    target: { text: '>= 0.9x pino', met: ratio >= 0.9 },
  };
}
