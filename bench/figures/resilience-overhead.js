// @ts-check
import { createRequire } from 'node:module';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { summarize } from '../lib/statistics.js';

const require = createRequire(import.meta.url);
const cockatiel = require('cockatiel');
const CircuitBreaker = require('opossum');

const noop = async () => 1;

/**
 * Builds one "retry + breaker + timeout around a no-op" per library, configured alike:
 * 3 attempts, breaker tripping after 5 consecutive failures, 1 s timeout per attempt.
 */
async function buildCallers() {
  const { resilient } = await import('@platform/telemetry');
  const ours = resilient('bench-noop', {
    retry: { maxAttempts: 3 },
    breaker: { consecutiveFailures: 5 },
    timeout: { ms: 1000 },
  });
  const cockatielPolicy = cockatiel.wrap(
    cockatiel.retry(cockatiel.handleAll, { maxAttempts: 2, backoff: new cockatiel.ExponentialBackoff() }),
    cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 10_000, breaker: new cockatiel.ConsecutiveBreaker(5) }),
    cockatiel.timeout(1000, cockatiel.TimeoutStrategy.Cooperative),
  );
  const opossum = new CircuitBreaker(noop, { timeout: 1000, volumeThreshold: 5, errorThresholdPercentage: 50, resetTimeout: 10_000 });
  return {
    direct: () => noop(),
    platform: () => ours.execute(noop),
    cockatiel: () => cockatielPolicy.execute(noop),
    opossum: () => opossum.fire(),
    close: () => opossum.shutdown(),
  };
}

async function nsPerCall(call, calls) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) await call();
  return Number(process.hrtime.bigint() - t0) / calls;
}

/** Heap bytes retained per breaker: allocate `n` named policies and measure after GC. */
async function heapPerBreaker(n) {
  const gc = globalThis.gc;
  if (!gc) return NaN;
  const { resilient } = await import('@platform/telemetry');
  gc();
  const before = process.memoryUsage().heapUsed;
  const keep = [];
  for (let i = 0; i < n; i++) keep.push(resilient(`heap-probe-${i}`, { breaker: { consecutiveFailures: 5 }, retry: { maxAttempts: 3 } }));
  gc();
  const after = process.memoryUsage().heapUsed;
  return keep.length ? (after - before) / keep.length : NaN;
}

/** Figure 3: added ns per successful wrapped no-op call, ours vs opossum vs cockatiel. */
export async function measureResilienceOverhead({ quick }) {
  const callers = await buildCallers();
  const calls = quick ? 50_000 : 500_000;
  const variants = /** @type {const} */ (['direct', 'platform', 'opossum', 'cockatiel']);
  try {
    for (const v of variants) await nsPerCall(callers[v], 20_000); // JIT warm-up
    const samples = await runAlternatingRounds(variants, quick ? 3 : 9, async (v) => ({ nsPerCall: await nsPerCall(callers[v], calls) }));
    const med = Object.fromEntries(variants.map((v) => [v, summarize(samples[v].nsPerCall)]));
    const added = (v) => med[v].median - med.direct.median;
    const ratio = added('platform') / added('opossum');
    const heap = await heapPerBreaker(quick ? 1000 : 10_000);
    return {
      id: 'resilience',
      title: 'Resilience per-call overhead (retry + breaker + timeout, successful no-op)',
      variants: med,
      unit: 'ns/call',
      figures: {
        addedNsPlatform: Math.round(added('platform')),
        addedNsOpossum: Math.round(added('opossum')),
        addedNsCockatiel: Math.round(added('cockatiel')),
        heapBytesPerBreaker: Math.round(heap),
      },
      ratio: { name: 'added ns/call, platform / opossum', value: Math.round(ratio * 1000) / 1000 },
      target: { text: '<= 0.5x opossum', met: ratio <= 0.5 },
    };
  } finally {
    callers.close();
  }
}
