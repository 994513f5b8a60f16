// @ts-check
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { context, trace } from '@opentelemetry/api';
import { runAlternatingRounds } from '../lib/alternating-rounds.js';
import { processCpuMicros } from '../lib/process-probe.js';
import { summarize } from '../lib/statistics.js';

const RECEIVER = fileURLToPath(new URL('../lib/otlp-receiver-process.js', import.meta.url));
const MB = 1024 * 1024;
const SPANS_PER_BATCH = 512; // the SDK's default OTEL_BSP_MAX_EXPORT_BATCH_SIZE
const CONCURRENCY = 4;

/**
 * Export requests as the OpenTelemetry JS SDK writes them (its protobuf serializer), shaped like
 * the example service's traffic: per trace a SERVER span with the HTTP attributes, a CLIENT
 * child and an INTERNAL grandchild with a resilience event; each log batch one record per span.
 */
function buildPayloads(batches) {
  const resource = resourceFromAttributes({
    'service.name': 'orders-service',
    'service.version': '1.0.0',
    'deployment.environment.name': 'bench',
    'host.name': 'bench-host',
    'host.arch': 'amd64',
    'process.pid': 4242,
    'process.runtime.name': 'nodejs',
    'process.runtime.version': '20.20.2',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
    'telemetry.sdk.version': '2.12.1',
  });
  const spanExporter = new InMemorySpanExporter();
  const logExporter = new InMemoryLogRecordExporter();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor(spanExporter)] }).getTracer('bench');
  const logger = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter: logExporter })] }).getLogger('bench');
  const traces = [];
  const logs = [];
  for (let b = 0; b < batches; b++) {
    spanExporter.reset();
    logExporter.reset();
    for (let t = 0; t < SPANS_PER_BATCH / 4; t++) {
      const server = tracer.startSpan('GET /orders/:id/inventory', {
        kind: 1,
        attributes: {
          'http.request.method': 'GET',
          'http.route': '/orders/:id/inventory',
          'http.response.status_code': 200,
          'url.path': `/orders/${t}/inventory`,
          'url.scheme': 'http',
          'server.address': '127.0.0.1',
          'server.port': 8080,
          'client.address': '127.0.0.1',
          'network.protocol.version': '1.1',
          'user_agent.original': 'k6/0.54',
        },
      });
      const ctx = trace.setSpan(context.active(), server);
      const client = tracer.startSpan(
        'GET',
        {
          kind: 2,
          attributes: {
            'http.request.method': 'GET',
            'url.full': 'http://127.0.0.1:8080/internal/inventory/widget',
            'server.address': '127.0.0.1',
            'server.port': 8080,
            'http.response.status_code': 200,
          },
        },
        ctx,
      );
      client.addEvent('resilience.attempt', {
        'resilience.dependency': 'inventory-api',
        'resilience.attempt': 1,
        'resilience.delay_ms': 0,
        'resilience.outcome': 'success',
      });
      const inner = tracer.startSpan('inventory lookup', {}, trace.setSpan(ctx, client));
      const db = tracer.startSpan(
        'SELECT inventory',
        { kind: 2, attributes: { 'db.system': 'postgresql', 'db.query.text': 'SELECT available FROM inventory WHERE sku = $1' } },
        trace.setSpan(ctx, inner),
      );
      for (const s of [db, inner, client, server]) s.end();
      for (let i = 0; i < 4; i++)
        logger.emit({
          body: 'request handled',
          severityNumber: 9,
          severityText: 'INFO',
          attributes: { method: 'GET', path: `/orders/${t}/inventory`, status: 200, durationMs: 3.2 },
          context: ctx,
        });
    }
    traces.push(Buffer.from(/** @type {Uint8Array} */ (ProtobufTraceSerializer.serializeRequest(spanExporter.getFinishedSpans()))));
    logs.push(Buffer.from(/** @type {Uint8Array} */ (ProtobufLogsSerializer.serializeRequest(logExporter.getFinishedLogRecords()))));
  }
  return { traces, logs };
}

/** The test suite's receiver (TypeScript) bundled to one ES module in a temp dir; its dependencies stay external. */
async function bundleTestReceiver(repoRoot, dir) {
  const outfile = path.join(dir, 'otlp-receiver.mjs');
  await build({
    entryPoints: [path.join(repoRoot, 'packages/telemetry/test/support/otlp-receiver.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

/** @returns {Promise<{ child: import('node:child_process').ChildProcess, url: string, ask: (m: string) => Promise<any>, stop: () => Promise<void> }>} */
async function startReceiver(kind, arg = {}) {
  const child = fork(RECEIVER, [kind, typeof arg === 'string' ? arg : JSON.stringify(arg)], {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`receiver ${kind} exited ${code}`)));
    child.on('message', (m) => {
      if (m && typeof m === 'object' && 'url' in m) resolve(m.url);
    });
  });
  const ask = (m) =>
    new Promise((resolve) => {
      const on = (reply) => {
        if (reply && typeof reply === 'object' && !('url' in reply)) {
          child.off('message', on);
          resolve(reply);
        }
      };
      child.on('message', on);
      child.send(m);
    });
  const stop = () =>
    new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve(undefined));
      child.kill('SIGKILL');
    });
  return { child, url, ask, stop };
}

/** POSTs `bodies` round-robin with CONCURRENCY requests in flight until `seconds` pass; returns the bodies answered 200. */
async function drive(url, path, bodies, seconds, maxRequests = Infinity) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const target = new URL(path, url);
  const end = Date.now() + seconds * 1000;
  let next = 0;
  let ok = 0;
  const one = (body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end && next < maxRequests) {
        const body = bodies[next++ % bodies.length];
        if ((await one(body)) === 200) ok++;
      }
    }),
  );
  agent.destroy();
  return ok;
}

/**
 * Figure 8: `platform dev` ingest. Rate: spans per second and per CPU-second of the receiver
 * process (one Node process = one core) for 512-span protobuf exports from the real SDK
 * serializer, side by side with the test suite's decoding OTLP receiver (protobufjs toObject,
 * keeps everything, no bounds) and bench's sink receiver (reads the body, decodes and keeps
 * nothing: the cost of HTTP alone). Memory: RSS and heap of each after the same amount of spans
 * and log records, 1.5x the dev receiver's caps (the default caps in a full run).
 */
export async function measureDevIngest({ quick, repoRoot }) {
  const seconds = quick ? 2 : 8;
  const rounds = quick ? 1 : 3;
  const payloads = buildPayloads(quick ? 8 : 32);
  // Inside the repository (git-ignored .tmp/) so the bundle's imports resolve from its node_modules.
  mkdirSync(path.join(repoRoot, '.tmp'), { recursive: true });
  const tmp = mkdtempSync(path.join(repoRoot, '.tmp', 'bench-dev-'));
  try {
    const testReceiver = pathToFileURL(await bundleTestReceiver(repoRoot, tmp)).href;
    return await measure({ quick, seconds, rounds, payloads, testReceiver });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function measure({ quick, seconds, rounds, payloads, testReceiver }) {
  const argFor = (kind, caps = {}) => (kind === 'test' ? testReceiver : caps);
  const samples = await runAlternatingRounds(['dev', 'test', 'sink'], rounds, async (kind) => {
    const receiver = await startReceiver(kind, argFor(kind));
    try {
      await drive(receiver.url, '/v1/traces', payloads.traces, 0.5); // warm-up (JIT)
      const cpu0 = processCpuMicros(/** @type {number} */ (receiver.child.pid));
      const t0 = process.hrtime.bigint();
      const requests = await drive(receiver.url, '/v1/traces', payloads.traces, seconds);
      const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpuS = (processCpuMicros(/** @type {number} */ (receiver.child.pid)) - cpu0) / 1e6;
      const spans = requests * SPANS_PER_BATCH;
      return { spansPerSecond: spans / wallS, spansPerCpuSecond: spans / cpuS, receiverCpuShare: cpuS / wallS };
    } finally {
      await receiver.stop();
    }
  });

  // Memory at the caps: fill spans and logs well past the caps, then GC and read the memory.
  const caps = quick ? { maxTraces: 2_000, maxSpans: 10_000, maxLogs: 10_000 } : { maxTraces: 10_000, maxSpans: 100_000, maxLogs: 50_000 };
  const memory = {};
  for (const kind of /** @type {const} */ (['dev', 'test', 'sink'])) {
    const receiver = await startReceiver(kind, argFor(kind, caps));
    try {
      const fillRequests = Math.ceil((caps.maxSpans * 1.5) / SPANS_PER_BATCH);
      await drive(receiver.url, '/v1/traces', payloads.traces, 600, fillRequests);
      await drive(receiver.url, '/v1/logs', payloads.logs, 600, Math.ceil((caps.maxLogs * 1.5) / SPANS_PER_BATCH));
      const { memory: m } = await receiver.ask('memory');
      const stats = kind === 'dev' ? (await receiver.ask('stats')).stats : undefined;
      memory[kind] = {
        rssMb: r1(m.rss / MB),
        heapUsedMb: r1(m.heapUsed / MB),
        ...(stats
          ? { heldSpans: stats.spans, heldTraces: stats.traces, heldLogs: stats.logs, droppedSpans: stats.dropped.spans, droppedLogs: stats.dropped.logs }
          : {}),
      };
    } finally {
      await receiver.stop();
    }
  }

  const variants = {
    'platform dev (decode + store)': {
      spansPerSecond: summarize(samples.dev.spansPerSecond),
      spansPerCpuSecond: summarize(samples.dev.spansPerCpuSecond),
      rssAtCapsMb: memory.dev.rssMb,
      heapAtCapsMb: memory.dev.heapUsedMb,
    },
    'test receiver (decode + keep all)': {
      spansPerSecond: summarize(samples.test.spansPerSecond),
      spansPerCpuSecond: summarize(samples.test.spansPerCpuSecond),
      rssAtCapsMb: memory.test.rssMb,
      heapAtCapsMb: memory.test.heapUsedMb,
    },
    'sink receiver (HTTP only)': {
      spansPerSecond: summarize(samples.sink.spansPerSecond),
      spansPerCpuSecond: summarize(samples.sink.spansPerCpuSecond),
      rssAtCapsMb: memory.sink.rssMb,
      heapAtCapsMb: memory.sink.heapUsedMb,
    },
  };
  const devRate = variants['platform dev (decode + store)'].spansPerCpuSecond.median;
  const testRate = variants['test receiver (decode + keep all)'].spansPerCpuSecond.median;
  const sinkRate = variants['sink receiver (HTTP only)'].spansPerCpuSecond.median;
  return {
    id: 'dev',
    title: `platform dev ingest: 512-span protobuf exports, ${seconds} s × ${rounds} round(s); memory with ${caps.maxSpans} spans / ${caps.maxLogs} logs caps filled 1.5×`,
    variants,
    unit: 'spans/s',
    figures: {
      devSpansPerCpuSecond: Math.round(devRate),
      testReceiverSpansPerCpuSecond: Math.round(testRate),
      sinkSpansPerCpuSecond: Math.round(sinkRate),
      testReceiverRssMb: memory.test.rssMb,
      devRssAtCapsMb: memory.dev.rssMb,
      devHeapAtCapsMb: memory.dev.heapUsedMb,
      held: { spans: memory.dev.heldSpans, traces: memory.dev.heldTraces, logs: memory.dev.heldLogs },
      dropped: { spans: memory.dev.droppedSpans, logs: memory.dev.droppedLogs },
    },
    ratio: { name: 'spans per CPU-second, dev / test receiver', value: Math.round((devRate / testRate) * 100) / 100 },
    target: {
      // 20k spans/s is about 5x what one instance of the example exports at full load (figure 1).
      text: '≥ 20k spans/s on one core; RSS at the default caps < 512 MB',
      met: devRate >= 20_000 && (quick || memory.dev.rssMb < 512),
    },
  };
}

const r1 = (x) => Math.round(x * 10) / 10;
