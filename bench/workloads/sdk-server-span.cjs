// @ts-check
'use strict';
/**
 * Preload (`node --require`) for the instruction counter's `platform-sdk-span` ablation: the trace
 * SDK's tracers are handed out behind a wrapper that has only `startSpan` and `startActiveSpan`,
 * so the HTTP server instrumentation finds no SDK settings to read (server-span.ts,
 * serverSpanSettingsOf) and starts its SERVER spans through the SDK's `Tracer.startSpan`, as it
 * did before the purpose-built ServerSpan. It prices ServerSpan against the SDK span.
 */
const path = require('node:path');

// Resolved as the telemetry package's sdk-trace-base resolves its own `@opentelemetry/sdk-trace`,
// then required by path: the same module instance, whose provider the SDK's tracers come from.
const baseDir = path.dirname(require.resolve('@opentelemetry/sdk-trace-base/package.json', { paths: [path.join(__dirname, '../../packages/telemetry')] }));
const sdkDir = path.dirname(require.resolve('@opentelemetry/sdk-trace/package.json', { paths: [baseDir] }));
const { TracerProvider } = require(path.join(sdkDir, 'build/src/TracerProvider.js'));

// A patch that reached another copy of the SDK would measure ServerSpan under this name: say so.
let wrapped = 0;
process.once('exit', () => {
  if (wrapped > 0) return;
  process.stderr.write('sdk-server-span.cjs: no tracer went through the patched TracerProvider; the ablation measured ServerSpan\n');
  process.exitCode = 70;
});

const getTracer = TracerProvider.prototype.getTracer;
/** @this {any} @param {...any} args */
TracerProvider.prototype.getTracer = function getWrappedTracer(...args) {
  const tracer = getTracer.apply(this, args);
  wrapped++;
  return { startSpan: tracer.startSpan.bind(tracer), startActiveSpan: tracer.startActiveSpan.bind(tracer) };
};
