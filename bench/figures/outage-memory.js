// @ts-check
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { startExampleService } from '../lib/example-service.js';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { processRssBytes } from '../lib/process-probe.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const MB = 1024 * 1024;

/**
 * Figure 7: RSS of the instrumented example under steady load while the OTLP endpoint is
 * unreachable (a port nothing listens on), compared with the same load on the bare service.
 * Growth = last sample - first sample after warm-up; "late growth" = growth over the second
 * half, which must be ~0 once the export queues are full.
 */
export async function measureOutageMemory({ quick, repoRoot }) {
  const seconds = quick ? 8 : 60;
  const deadPort = await freePort();
  const result = {};
  for (const variant of /** @type {const} */ (['bare', 'platform'])) {
    const svc = await startExampleService({ repoRoot, variant, otlpEndpoint: `http://127.0.0.1:${deadPort}` });
    try {
      const url = svc.url;
      await autocannon({ url, connections: 8, duration: 2 });
      const rss = [];
      const load = autocannon({ url, connections: 8, duration: seconds, overallRate: 2000 });
      for (let s = 0; s < seconds; s++) {
        await sleep(1000);
        rss.push(processRssBytes(svc.pid));
      }
      const res = await load;
      const half = rss[Math.floor(rss.length / 2)];
      result[variant] = {
        startRssMb: r1(rss[0] / MB),
        endRssMb: r1(rss.at(-1) / MB),
        growthMb: r1((rss.at(-1) - rss[0]) / MB),
        lateGrowthMb: r1((rss.at(-1) - half) / MB),
        requests: res.requests.total,
        errors: res.errors + res.non2xx,
      };
    } finally {
      await svc.stop();
    }
  }
  const growth = result.platform.growthMb;
  return {
    id: 'outage',
    title: `Memory under OTLP outage (${seconds} s steady load)`,
    variants: result,
    unit: 'MB',
    figures: { platformGrowthMb: growth, platformLateGrowthMb: result.platform.lateGrowthMb, bareGrowthMb: result.bare.growthMb },
    ratio: { name: 'end RSS, platform / bare', value: Math.round((result.platform.endRssMb / result.bare.endRssMb) * 100) / 100 },
    target: { text: 'growth < 50 MB and flat', met: growth < 50 && result.platform.lateGrowthMb < 10 && result.platform.errors === 0 },
  };
}

const r1 = (x) => Math.round(x * 10) / 10;
