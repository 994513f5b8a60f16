// @ts-check
/**
 * Child process of the OTLP serialization figure: encodes one SDK export batch of 512 items (the
 * SDK's default export batch size) with @opentelemetry/otlp-transformer's serializer and with
 * ours, alternating in short chunks so that both see the same machine load, and prints the
 * median CPU time per item of each (user + system) and the median of the chunk-pair ratios as one
 * JSON line on stderr. `node otlp-serialize.js <spans|logs> <chunks>`
 */
import { ProtobufLogsSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { LogRecordSerializer } from '../../packages/telemetry/dist/export/log-record-serializer.js';
import { SpanSerializer } from '../../packages/telemetry/dist/export/span-serializer.js';
import { median } from '../lib/statistics.js';
import { makeLogRecords, makeSpans } from './otlp-batches.js';

const BATCH = 512;
const BATCHES_PER_CHUNK = 5;
const [signal, chunksArg] = process.argv.slice(2);
const chunks = Number(chunksArg);

/** @type {{ upstream: () => Uint8Array | undefined, platform: () => Uint8Array | undefined }} */
let encode;
if (signal === 'spans') {
  const spans = makeSpans(BATCH);
  const ours = new SpanSerializer();
  encode = { upstream: () => ProtobufTraceSerializer.serializeRequest(spans), platform: () => ours.serialize(spans) };
} else {
  const records = makeLogRecords(BATCH);
  const ours = new LogRecordSerializer();
  encode = { upstream: () => ProtobufLogsSerializer.serializeRequest(records), platform: () => ours.serialize(records) };
}
if (Buffer.compare(Buffer.from(encode.upstream() ?? []), Buffer.from(encode.platform() ?? [])) !== 0) throw new Error('the serializers disagree');

/** CPU ns per item over one chunk. */
const chunk = (/** @type {() => unknown} */ fn) => {
  const before = process.cpuUsage();
  for (let i = 0; i < BATCHES_PER_CHUNK; i++) fn();
  const cpu = process.cpuUsage(before);
  return ((cpu.user + cpu.system) * 1000) / (BATCHES_PER_CHUNK * BATCH);
};
// JIT warm-up
for (let i = 0; i < 20; i++) {
  chunk(encode.upstream);
  chunk(encode.platform);
}
/** @type {{ upstream: number[], platform: number[], ratio: number[] }} */
const out = { upstream: [], platform: [], ratio: [] };
for (let i = 0; i < chunks; i++) {
  const first = i % 2 === 0 ? 'upstream' : 'platform';
  const a = chunk(encode[first]);
  const b = chunk(encode[first === 'upstream' ? 'platform' : 'upstream']);
  const [up, ours] = first === 'upstream' ? [a, b] : [b, a];
  out.upstream.push(up);
  out.platform.push(ours);
  out.ratio.push(ours / up);
}
const bytesPerItem = (encode.platform()?.length ?? 0) / BATCH;
process.stderr.write(`${JSON.stringify({ upstream: median(out.upstream), platform: median(out.platform), ratio: median(out.ratio), bytesPerItem })}\n`);
