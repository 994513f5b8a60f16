// @ts-check
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { spawnNode, waitUntilReady } from '../../packages/telemetry/test/support/instrumented-process.js';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { processCpuMicros } from '../lib/process-probe.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';
import { START_FLAGS } from '../lib/start-flags.js';
import { summarize } from '../lib/statistics.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');

/** The log line's message in bench/workloads/minimal-http-server.cjs: the sink counts records with this body. */
const LOG_BODY = 'request served';

/**
 * How each variant runs the minimal server: start flags, which log line it writes, and what the
 * sink must receive per request served (SERVER spans, log records with the line's body).
 * @type {Record<string, { flags: readonly string[], logLine: 'none' | 'pino' | 'platform', env: Record<string, string>, spansPerRequest: number, logsPerRequest: number }>}
 */
export const MINIMAL_HTTP_VARIANTS = {
  bare: { flags: START_FLAGS.bare, logLine: 'none', env: {}, spansPerRequest: 0, logsPerRequest: 0 },
  'bare+pino': { flags: START_FLAGS.bare, logLine: 'pino', env: {}, spansPerRequest: 0, logsPerRequest: 0 },
  upstream: {
    flags: START_FLAGS.upstream,
    logLine: 'none',
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
    spansPerRequest: 1,
    logsPerRequest: 0,
  },
  'upstream+logs': {
    flags: START_FLAGS.upstream,
    logLine: 'pino',
    env: { OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'otlp' },
    spansPerRequest: 1,
    logsPerRequest: 1,
  },
  platform: { flags: START_FLAGS.platform, logLine: 'none', env: {}, spansPerRequest: 1, logsPerRequest: 0 },
  'platform+log': { flags: START_FLAGS.platform, logLine: 'platform', env: {}, spansPerRequest: 1, logsPerRequest: 1 },
};
const VARIANTS = MINIMAL_HTTP_VARIANTS;
const NAMES = /** @type {(keyof typeof VARIANTS)[]} */ (Object.keys(VARIANTS));

/**
 * Starts figure 1's minimal server as variant `name` on `port`, exporting to `otlpUrl` (100 %
 * sampled, http/protobuf); `extraNodeArgs` go before the variant's flags (the profiler's
 * --cpu-prof). The one way the figure and bench/profile start it.
 * @param {{ repoRoot: string, name: string, port: number, otlpUrl: string, extraNodeArgs?: string[] }} options
 */
export async function spawnMinimalServer({ repoRoot, name, port, otlpUrl, extraNodeArgs = [] }) {
  const v = VARIANTS[/** @type {keyof typeof VARIANTS} */ (name)];
  if (!v) throw new Error(`unknown variant ${name}; known: ${NAMES.join(', ')}`);
  return spawnNode({
    nodeArgs: [...extraNodeArgs, ...v.flags],
    script: path.join(repoRoot, 'bench/workloads/minimal-http-server.cjs'),
    cwd: repoRoot,
    stdout: 'discard',
    env: {
      NODE_OPTIONS: '',
      PORT: String(port),
      BENCH_LOG_LINE: v.logLine,
      PLATFORM_METRICS_PORT: String(await freePort()),
      OTEL_SERVICE_NAME: 'minimal-http',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_SAMPLER: 'always_on',
      LOG_LEVEL: 'info',
      ...v.env,
    },
  });
}

/**
 * Figure 1b: the SDK's own per-request cost, on a node:http server that does nothing else
 * (bench/workloads/minimal-http-server.cjs), side by side in one run: bare; bare + one pino
 * line (the SDK's redaction keys) to /dev/null; upstream auto-instrumentations-node/register,
 * traces only, and with its pino instrumentation exporting that line over OTLP; ours (register
 * flag: traces + Prometheus metrics), and ours + one line through our `logger` exported over
 * OTLP. 100 % sampling everywhere, every export to one local sink that counts what it receives:
 * the figure fails when a variant's sink count is not exactly one SERVER span (and one log
 * record) per request served. Server CPU (user + system) from /proc, alternating rounds, medians.
 */
export async function measureMinimalHttpOverhead({ quick, repoRoot }) {
  const receiver = await startSinkOtlpReceiver({ countRecords: { logBody: LOG_BODY } });
  const durationSec = quick ? 2 : 8;
  const connections = 50;
  /** @type {Record<string, string[]>} */
  const dropped = {};
  try {
    const samples = await runAlternatingRounds(NAMES, quick ? 1 : 3, async (name) => {
      const v = VARIANTS[name];
      const port = await freePort();
      const before = receiver.records();
      const svc = await spawnMinimalServer({ repoRoot, name, port, otlpUrl: receiver.url });
      let served;
      let measured;
      try {
        const url = `http://127.0.0.1:${port}/`;
        await waitUntilReady(svc, url, 60_000); // generous: startup on a loaded shared machine
        await autocannon({ url, connections, duration: 1 }); // warm-up (JIT, connection pools)
        const pid = /** @type {number} */ (svc.child.pid);
        const cpu0 = processCpuMicros(pid);
        const result = await autocannon({ url, connections, duration: durationSec });
        const cpu1 = processCpuMicros(pid);
        if (result.errors > 0 || result.non2xx > 0) throw new Error(`${name}: ${result.errors} errors, ${result.non2xx} non-2xx`);
        measured = { reqPerSec: result.requests.average, p99Ms: result.latency.p99, cpuMicrosPerReq: (cpu1 - cpu0) / result.requests.total };
        served = Number(await (await fetch(`http://127.0.0.1:${port}/bench/served`)).text());
      } finally {
        await svc.stop(15_000); // SIGTERM: the server stops, the SDK flushes, the process exits
      }
      const after = receiver.records();
      const spans = after.serverSpans - before.serverSpans;
      const logs = after.matchingLogRecords - before.matchingLogRecords;
      const missing = [];
      if (spans !== served * v.spansPerRequest) missing.push(`${spans}/${served * v.spansPerRequest} SERVER spans`);
      if (logs !== served * v.logsPerRequest) missing.push(`${logs}/${served * v.logsPerRequest} log records`);
      if (after.undecodable !== before.undecodable) missing.push(`${after.undecodable - before.undecodable} undecodable exports`);
      if (missing.length > 0) (dropped[name] ??= []).push(missing.join(', '));
      return measured;
    });
    if (Object.keys(dropped).length > 0) {
      throw new Error(`the sink did not receive one record per request served: ${JSON.stringify(dropped)}`);
    }
    const variants = Object.fromEntries(
      NAMES.map((v) => [
        v,
        {
          reqPerSec: summarize(samples[v].reqPerSec),
          p99Ms: summarize(samples[v].p99Ms),
          cpuMicrosPerReq: summarize(samples[v].cpuMicrosPerReq),
        },
      ]),
    );
    const rps = (/** @type {string} */ v) => variants[v].reqPerSec.median;
    const cpu = (/** @type {string} */ v) => variants[v].cpuMicrosPerReq.median;
    const added = (/** @type {string} */ v) => cpu(v) - cpu('bare');
    const pinoLine = added('bare+pino');
    const ourLine = cpu('platform+log') - cpu('platform');
    const upstreamLine = cpu('upstream+logs') - cpu('upstream');
    const targets = [
      costRatio('one exported log line <= 2x a pino line (added CPU)', ourLine, pinoLine, 2),
      costRatio('span + metrics <= 0.35x upstream traces (added CPU)', added('platform'), added('upstream'), 0.35),
      {
        text: 'ours + log line >= 1.5x upstream traces-only (req/s)',
        value: r3(rps('platform+log') / rps('upstream')),
        met: rps('platform+log') >= 1.5 * rps('upstream'),
      },
      { text: 'ours + log line >= 0.5x bare (req/s)', value: r3(rps('platform+log') / rps('bare')), met: rps('platform+log') >= 0.5 * rps('bare') },
    ];
    return {
      id: 'http-minimal',
      title: 'HTTP overhead, minimal node:http server (autocannon, 50 connections)',
      variants,
      unit: 'req/s',
      figures: {
        addedCpuMicros: Object.fromEntries(NAMES.filter((v) => v !== 'bare').map((v) => [v, r3(added(v))])),
        logLineCpuMicros: { pino: r3(pinoLine), upstream: r3(upstreamLine), platform: r3(ourLine) },
        platformLogVsUpstreamLogs: r3(rps('platform+log') / rps('upstream+logs')),
        sinkRecords: receiver.records(),
      },
      ratio: { name: 'throughput, ours + log line / upstream traces-only', value: targets[2].value },
      target: { text: targets.map((t) => t.text).join('; '), met: targets.every((t) => t.met) },
      targets,
    };
  } finally {
    await receiver.close();
  }
}

const r3 = (/** @type {number} */ x) => Math.round(x * 1000) / 1000;

/**
 * An added-cost ratio target. Added costs are differences of medians: when the machine's noise
 * exceeds them one comes out zero or negative, the ratio means nothing and the target is reported
 * as not met (value null) rather than met by a negative number.
 */
function costRatio(/** @type {string} */ text, /** @type {number} */ ours, /** @type {number} */ theirs, /** @type {number} */ limit) {
  if (!(ours > 0 && theirs > 0))
    return { text, value: null, met: false, note: `not measurable in this run (added CPU ours ${r3(ours)} µs, theirs ${r3(theirs)} µs)` };
  return { text, value: r3(ours / theirs), met: ours <= limit * theirs };
}
