// @ts-check
import { createRequire } from 'node:module';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { measureMinimalHttpOverhead } from './http-overhead-minimal.js';
import { startExampleService } from '../lib/example-service.js';
import { processCpuMicros } from '../lib/process-probe.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';
import { summarize } from '../lib/statistics.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

const VARIANTS = /** @type {const} */ (['bare', 'upstream', 'platform']);

/**
 * Figure 1: the SDK's per-request cost on two workloads, the Express example (what a service
 * sees) and a minimal node:http server (what the SDK itself costs: http-overhead-minimal.js).
 */
export async function measureHttpOverhead({ quick, repoRoot }) {
  const express = await measureExpressOverhead({ quick, repoRoot });
  const minimal = await measureMinimalHttpOverhead({ quick, repoRoot });
  return [express, minimal];
}

/**
 * Figure 1a: the example service's GET /orders/:id under autocannon on 127.0.0.1, bare vs the
 * upstream auto-instrumentation register (100% sampled, exporting to a local OTLP sink) vs
 * @platform/telemetry (100% sampled traces + metrics + the example's one log line a request).
 */
async function measureExpressOverhead({ quick, repoRoot }) {
  const receiver = await startSinkOtlpReceiver();
  const durationSec = quick ? 2 : 10;
  const connections = 16;
  try {
    const samples = await runAlternatingRounds(VARIANTS, quick ? 1 : 5, async (variant) => {
      const svc = await startExampleService({
        repoRoot,
        variant,
        otlpEndpoint: receiver.url,
        env: { OTEL_METRICS_EXPORTER: 'none', LOG_LEVEL: 'info' },
      });
      try {
        const url = svc.url;
        await autocannon({ url, connections, duration: 1 }); // warm-up (JIT, connection pools)
        const cpu0 = processCpuMicros(svc.pid);
        const result = await autocannon({ url, connections, duration: durationSec });
        const cpu1 = processCpuMicros(svc.pid);
        const requests = result.requests.total;
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`${variant}: ${result.errors} errors, ${result.non2xx} non-2xx`);
        return {
          reqPerSec: result.requests.average,
          p99Ms: result.latency.p99,
          cpuMicrosPerReq: (cpu1 - cpu0) / requests,
        };
      } finally {
        await svc.stop();
      }
    });
    const variants = Object.fromEntries(
      VARIANTS.map((v) => [
        v,
        {
          reqPerSec: summarize(samples[v].reqPerSec),
          p99Ms: summarize(samples[v].p99Ms),
          cpuMicrosPerReq: summarize(samples[v].cpuMicrosPerReq),
        },
      ]),
    );
    const rps = (v) => variants[v].reqPerSec.median;
    const vsUpstream = rps('platform') / rps('upstream');
    return {
      id: 'http',
      title: 'HTTP overhead (autocannon, GET /orders/:id)',
      variants,
      unit: 'req/s',
      figures: {
        upstreamVsBare: r3(rps('upstream') / rps('bare')),
        platformVsBare: r3(rps('platform') / rps('bare')),
        addedCpuMicrosUpstream: r3(variants.upstream.cpuMicrosPerReq.median - variants.bare.cpuMicrosPerReq.median),
        addedCpuMicrosPlatform: r3(variants.platform.cpuMicrosPerReq.median - variants.bare.cpuMicrosPerReq.median),
        exportRequestsToSink: receiver.stats().requests,
      },
      ratio: { name: 'throughput, platform / upstream', value: r3(vsUpstream) },
      target: { text: '>= 1.5x upstream (aim 0.6x bare)', met: vsUpstream >= 1.5 },
    };
  } finally {
    await receiver.close();
  }
}

const r3 = (x) => Math.round(x * 1000) / 1000;
