// @ts-check
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { summarize } from '../lib/statistics.js';

/**
 * Figure 8: CPU to encode OTLP/protobuf export requests, per span and per log record: our direct
 * serializers (packages/telemetry/src/export) against @opentelemetry/otlp-transformer's, on the
 * same SDK objects (bench/workloads/otlp-batches.js: HTTP server spans, a quarter with an
 * exception event, log records as the logger forwards them). Both write identical bytes (checked
 * here once per process, and by the property tests in packages/telemetry/src/export). Each round
 * is a fresh process that alternates the two in short chunks (same machine load for both); the
 * figure is the median over rounds of each round's median chunk-pair ratio.
 */
export async function measureOtlpSerialization({ quick, repoRoot }) {
  const child = path.join(repoRoot, 'bench/workloads/otlp-serialize.js');
  const chunks = quick ? 20 : 60;
  const run = (/** @type {string} */ signal) => {
    const r = spawnSync(process.execPath, [child, signal, String(chunks)], {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`serialization child "${signal}" failed (${r.status}): ${r.stderr}`);
    return JSON.parse(r.stderr.trim().split('\n').at(-1) ?? '');
  };
  const rounds = quick ? 3 : 7;
  /** @type {Record<'spans' | 'logs', { upstream: number[], platform: number[], ratio: number[], bytesPerItem: number }>} */
  const samples = { spans: { upstream: [], platform: [], ratio: [], bytesPerItem: 0 }, logs: { upstream: [], platform: [], ratio: [], bytesPerItem: 0 } };
  for (let round = 0; round < rounds; round++) {
    for (const signal of round % 2 === 0 ? /** @type {const} */ (['spans', 'logs']) : /** @type {const} */ (['logs', 'spans'])) {
      const r = run(signal);
      const s = samples[signal];
      s.upstream.push(r.upstream);
      s.platform.push(r.platform);
      s.ratio.push(r.ratio);
      s.bytesPerItem = r.bytesPerItem;
    }
  }
  const variants = {
    'otlp-transformer, per span': { nsPerItem: summarize(samples.spans.upstream), bytesPerItem: samples.spans.bytesPerItem },
    'platform, per span': { nsPerItem: summarize(samples.spans.platform), bytesPerItem: samples.spans.bytesPerItem },
    'otlp-transformer, per log record': { nsPerItem: summarize(samples.logs.upstream), bytesPerItem: samples.logs.bytesPerItem },
    'platform, per log record': { nsPerItem: summarize(samples.logs.platform), bytesPerItem: samples.logs.bytesPerItem },
  };
  const spanRatio = summarize(samples.spans.ratio);
  const logRatio = summarize(samples.logs.ratio);
  return {
    id: 'otlp',
    title: 'OTLP/protobuf encoding, CPU per span and per log record (512-item batches)',
    variants,
    unit: 'ns/item',
    figures: { logRecordRatio: Math.round(logRatio.median * 1000) / 1000, spanRatioSpreadPct: spanRatio.spreadPct, logRatioSpreadPct: logRatio.spreadPct },
    ratio: { name: 'ns/span, platform / otlp-transformer', value: Math.round(spanRatio.median * 1000) / 1000 },
    target: { text: '<= 0.5x otlp-transformer per span and per log record', met: spanRatio.median <= 0.5 && logRatio.median <= 0.5 },
  };
}
