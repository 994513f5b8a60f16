// @ts-check
/**
 * A receiver in its own process (so its CPU time and RSS are its own), for the ingest figure:
 * `dev` = @platform/dev's startDevServer with caps from argv[3] (JSON); `test` = the test suite's
 * decoding OTLP receiver (packages/telemetry/test/support/otlp-receiver.ts, bundled to JS at
 * argv[3] by the figure: decodes with protobufjs, keeps every span, no bounds, no indexes);
 * `sink` = bench's sink receiver (reads each body, decodes nothing, stores nothing).
 * Started with fork(): sends { url } when listening; answers 'memory' with
 * process.memoryUsage() after a full GC.
 */
import { startSinkOtlpReceiver } from './sink-otlp-receiver.js';

const kind = process.argv[2];
let url;
if (kind === 'dev') {
  const { startDevServer } = await import('@platform/dev');
  const caps = JSON.parse(process.argv[3] ?? '{}');
  const dev = await startDevServer({ otlp: { host: '127.0.0.1', port: 0 }, ui: { host: '127.0.0.1', port: 0 }, caps });
  url = dev.otlpUrl;
  process.on('message', (m) => {
    if (m === 'stats') process.send?.({ stats: dev.store.stats() });
  });
} else if (kind === 'test') {
  const { startOtlpReceiver } = await import(process.argv[3]);
  url = (await startOtlpReceiver()).url;
} else if (kind === 'sink') {
  url = (await startSinkOtlpReceiver()).url;
} else {
  throw new Error(`unknown receiver kind ${kind}`);
}
process.on('message', (m) => {
  if (m !== 'memory') return;
  globalThis.gc?.();
  process.send?.({ memory: process.memoryUsage() });
});
process.send?.({ url });
