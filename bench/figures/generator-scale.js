// @ts-check
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { summarize } from '../lib/statistics.js';

/** A manifest with `count` services, each with four endpoints and two SLOs. */
export function syntheticManifest(count) {
  const lines = ['environment: bench', 'services:'];
  for (let i = 0; i < count; i++) {
    lines.push(
      `  - name: svc-${i}`,
      `    version: 1.0.${i}`,
      `    port: ${10000 + (i % 50000)}`,
      '    endpoints:',
      '      - { method: GET, route: /items }',
      '      - { method: GET, route: "/items/:id" }',
      '      - { method: POST, route: /items, expectedStatus: 201 }',
      '      - { method: DELETE, route: "/items/:id", expectedStatus: 204 }',
      '    slos:',
      '      availability: { objective: 99.9, window: 30d }',
      '      latency: { objective: "p95 < 250ms", window: 30d }',
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Figure 6: `platform generate` wall time and peak RSS on 10, 100 and 1,000 services.
 * Peak RSS comes from the child itself (a preload prints process.resourceUsage().maxRSS at exit).
 */
export async function measureGeneratorScale({ quick, repoRoot }) {
  const cli = path.join(repoRoot, 'packages/generator/dist/cli.js');
  const preload = path.join(repoRoot, 'bench/lib/report-peak-rss.cjs');
  const dir = mkdtempSync(path.join(tmpdir(), 'platform-bench-gen-'));
  try {
    const sizes = [10, 100, 1000];
    for (const n of sizes) writeFileSync(path.join(dir, `m${n}.yaml`), syntheticManifest(n));
    const variants = sizes.map((n) => `services-${n}`);
    let sample = 0;
    const samples = await runAlternatingRounds(variants, quick ? 1 : 5, async (variant) => {
      const n = Number(variant.split('-')[1]);
      // A fresh, empty --out per sample; earlier outputs are removed only after the last sample
      // (finally below). Deleting the previous sample's ~4,000 files right before the timed run
      // billed that deletion to the next run: on ext4 without a journal (the bench VM's root file
      // system) each new inode allocation skips every inode freed in the last 60-360 s, so
      // `generate` spent seconds of kernel time in open() that came from the harness, not from it.
      const out = path.join(dir, `out-${n}-${sample++}`);
      const rssFile = path.join(dir, `rss-${n}.txt`);
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['--require', preload, cli, 'generate', '--manifest', path.join(dir, `m${n}.yaml`), '--out', out], {
        env: { ...process.env, PLATFORM_BENCH_RSS_FILE: rssFile },
        stdio: 'pipe',
        timeout: 120_000,
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`generate ${n} services failed (${r.status}): ${r.stderr}`);
      const peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      return { ms, peakRssMb };
    });
    const variantsOut = Object.fromEntries(variants.map((v) => [v, { ms: summarize(samples[v].ms), peakRssMb: summarize(samples[v].peakRssMb) }]));
    const t = (n) => variantsOut[`services-${n}`].ms.median;
    // Growth exponent between 100 and 1,000 services: 1.0 is linear.
    const growth = Math.log10(t(1000) / t(100));
    return {
      id: 'generator',
      title: 'Generator scale (platform generate)',
      variants: variantsOut,
      unit: 'ms',
      figures: { growthExponent100to1000: Math.round(growth * 100) / 100 },
      ratio: { name: 'time 1,000 services / 100 services', value: Math.round((t(1000) / t(100)) * 100) / 100 },
      target: { text: '1,000 services < 3 s, growth <= linear', met: t(1000) < 3000 && growth <= 1.05 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
