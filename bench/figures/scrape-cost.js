// @ts-check
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { summarize } from '../lib/statistics.js';

const require = createRequire(import.meta.url);
const promClient = require('prom-client');

/** Series one label set of a histogram exposes: every bucket, +Inf, _sum and _count. */
const seriesPerLabelSet = (buckets) => buckets.length + 3;

/**
 * Fills `registry` with the request-duration histogram of the contract so that it exposes
 * about `series` series (one observation per label set; exemplars when `exemplars`).
 */
function fill(registry, def, series, exemplars) {
  // Registered after construction, as the SDK does: prom-client refuses exemplars at
  // construction on a Prometheus-format registry; the format is chosen per scrape.
  const h = new promClient.Histogram({
    name: def.name,
    help: def.help,
    labelNames: [...def.labels],
    buckets: [...def.buckets],
    registers: [],
    enableExemplars: exemplars,
  });
  registry.registerMetric(h);
  const sets = Math.ceil(series / seriesPerLabelSet(def.buckets));
  for (let i = 0; i < sets; i++) {
    const labels = { http_request_method: 'GET', http_route: `/route/${i}/:id`, http_response_status_code: 200 };
    if (exemplars)
      h.observe({ labels, value: (i % 100) / 100, exemplarLabels: { trace_id: i.toString(16).padStart(32, '0'), span_id: i.toString(16).padStart(16, '0') } });
    else h.observe(labels, (i % 100) / 100);
  }
  return h;
}

async function serve(handler) {
  const server = createServer(handler);
  await new Promise((r) => server.listen(0, '127.0.0.1', () => r(undefined)));
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/metrics`,
    close: () => new Promise((r) => server.close(() => r(undefined))),
  };
}

async function scrapeMs(url, accept) {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url, { headers: accept ? { accept } : {} });
  const body = await res.text();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!res.ok || body.length === 0) throw new Error(`scrape failed: ${res.status}`);
  return ms;
}

/**
 * Figure 5: a full scrape of /metrics served by @platform/telemetry's metricsHandler (its
 * registry, exemplars on) vs a plain prom-client registry with the same series and a minimal
 * handler, at 1k, 10k and 50k series. Prometheus text; OpenMetrics reported alongside.
 */
export async function measureScrapeCost({ quick }) {
  const {
    metricsHandler,
    getRegistry,
    HTTP_SERVER_REQUEST_DURATION: def,
  } = await import('@platform/telemetry').then(async (m) => ({
    ...m,
    ...(await import('@platform/telemetry/conventions')),
  }));
  const sizes = quick ? [1000, 10_000] : [1000, 10_000, 50_000];
  const variants = {};
  const ours = getRegistry();
  for (const size of sizes) {
    ours.clear();
    const plain = new promClient.Registry();
    fill(ours, def, size, true);
    fill(plain, def, size, false);
    const oursServer = await serve((req, res) => metricsHandler(req, res));
    const plainServer = await serve(async (_req, res) => {
      const body = await plain.metrics();
      res.writeHead(200, { 'content-type': plain.contentType }).end(body);
    });
    try {
      const names = ['platform', 'prom-client', 'platform-openmetrics'];
      const fetchers = {
        platform: () => scrapeMs(oursServer.url),
        'prom-client': () => scrapeMs(plainServer.url),
        'platform-openmetrics': () => scrapeMs(oursServer.url, 'application/openmetrics-text; version=1.0.0'),
      };
      for (const n of names) await fetchers[n]();
      const samples = await runAlternatingRounds(names, quick ? 3 : 9, async (n) => ({ ms: await fetchers[n]() }));
      for (const n of names) variants[`${n} @${size / 1000}k`] = summarize(samples[n].ms);
    } finally {
      await oursServer.close();
      await plainServer.close();
    }
  }
  ours.clear();
  const at = (n, size) => variants[`${n} @${size / 1000}k`].median;
  const ratio = at('platform', 10_000) / at('prom-client', 10_000);
  const largest = sizes.at(-1);
  return {
    id: 'scrape',
    title: '/metrics scrape cost (request-duration histogram series)',
    variants,
    unit: 'ms',
    figures: {
      platformMsAt10k: Math.round(at('platform', 10_000) * 10) / 10,
      growth1kTo10k: Math.round((at('platform', 10_000) / at('platform', 1000)) * 10) / 10,
      ...(largest > 10_000 ? { [`growth10kTo${largest / 1000}k`]: Math.round((at('platform', largest) / at('platform', 10_000)) * 10) / 10 } : {}),
    },
    ratio: { name: 'scrape time @10k, platform / plain prom-client', value: Math.round(ratio * 100) / 100 },
    target: { text: '< 50 ms at 10k series', met: at('platform', 10_000) < 50 },
  };
}
