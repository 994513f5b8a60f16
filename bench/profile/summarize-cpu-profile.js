// @ts-check
/**
 * `node bench/profile/summarize-cpu-profile.js file.cpuprofile [--top 40] [--filter text] [--from-ms N]`:
 * self time of a V8 CPU profile (`node --cpu-prof`) by function and by file, in percent of all
 * samples and in microseconds per request when `--requests N` is given, so a profile reads as
 * "where the per-request microseconds go". `(idle)`, `(program)` and `(garbage collector)` are
 * kept: GC is part of what allocation costs. `--from-ms` skips the first N ms (process startup).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'from-ms': { type: 'string', default: '0' }, top: { type: 'string', default: '40' }, requests: { type: 'string' }, filter: { type: 'string' } },
});
const file = positionals[0];
if (!file) throw new Error('usage: summarize-cpu-profile.js file.cpuprofile [--top N] [--requests N] [--filter text]');

/** @type {{ nodes: Array<{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, children?: number[] }>, samples: number[], timeDeltas: number[], startTime: number, endTime: number }} */
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
/** @type {Map<number, number>} self microseconds per node */
const self = new Map();
const skipMicros = Number(values['from-ms']) * 1000;
let elapsed = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  elapsed += profile.timeDeltas[i] ?? 0;
  if (elapsed < skipMicros) continue;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
const requests = values.requests ? Number(values.requests) : undefined;

/** Shortens a file URL to its package (or repo-relative path) so rows group sensibly. */
const where = (/** @type {string} */ url) => {
  if (!url) return '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}/…/${rest.at(-1)}` : `${rest[0]}/…/${rest.at(-1)}`;
  }
  const pkg = url.indexOf('/packages/');
  if (pkg !== -1) return url.slice(pkg + 1);
  return url.replace(/^file:\/\//, '');
};

/** @param {(n: typeof profile.nodes[number]) => string} keyOf */
const group = (keyOf) => {
  /** @type {Map<string, number>} */
  const m = new Map();
  for (const [id, t] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const k = keyOf(n);
    m.set(k, (m.get(k) ?? 0) + t);
  }
  return [...m.entries()]
    .filter(([k]) => !values.filter || k.includes(values.filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(values.top));
};
const row = (/** @type {number} */ t) =>
  `${((t / total) * 100).toFixed(1).padStart(5)} %${requests ? `  ${(t / requests).toFixed(2).padStart(6)} µs/req` : ''}`;

console.log(
  `${file}: ${(total / 1e6).toFixed(2)} s sampled, ${((idle / total) * 100).toFixed(1)} % idle${requests ? `, ${requests} requests, ${((total - idle) / requests).toFixed(2)} µs busy per request` : ''}`,
);
/** Where the time goes, by component (a file belongs to the first group whose pattern it matches). */
const GROUPS = [
  ['garbage collector', (n) => n.callFrame.functionName === '(garbage collector)'],
  ['idle', (n) => n.callFrame.functionName === '(idle)'],
  ['other native (syscalls, V8 builtins)', (n) => !n.callFrame.url],
  ['OTLP serialisation (otlp-transformer)', (n) => /otlp-transformer|\/export\//.test(n.callFrame.url)],
  [
    'OTLP export transport (otlp-exporter-base, exporter wrappers)',
    (n) => /otlp-exporter-base|exporter-(trace|logs)-otlp|abandonable-exporter|deferred-exporter|create-exporters/.test(n.callFrame.url),
  ],
  ['trace SDK (sdk-trace, core, resources)', (n) => /sdk-trace|@opentelemetry\/core|@opentelemetry\/resources/.test(n.callFrame.url)],
  ['logs SDK (sdk-logs)', (n) => /sdk-logs/.test(n.callFrame.url)],
  ['OTel API + context manager', (n) => /@opentelemetry\/api|context-async-hooks/.test(n.callFrame.url)],
  ['prom-client', (n) => /prom-client/.test(n.callFrame.url)],
  ['pino + sonic-boom', (n) => /\/pino\/|sonic-boom|fast-redact/.test(n.callFrame.url)],
  ['ours: HTTP instrumentation + metrics', (n) => /telemetry\/dist\/(tracing|metrics)\//.test(n.callFrame.url)],
  ['ours: logger, redaction, log forwarder', (n) => /telemetry\/dist\/(logging|redaction)\//.test(n.callFrame.url)],
  ['ours: other', (n) => /telemetry\/dist\//.test(n.callFrame.url)],
  ['node: async_hooks (AsyncLocalStorage)', (n) => /async_hooks/.test(n.callFrame.url)],
  ['node: http, net, streams, events', (n) => /node:(_http|net|internal\/streams|events|internal\/stream_base|_stream)/.test(n.callFrame.url)],
  ['workload', (n) => /bench\/workloads/.test(n.callFrame.url)],
];
console.log('\nself time by component');
for (const [k, t] of group((n) => GROUPS.find(([, match]) => match(n))?.[0] ?? 'other JS (node internals, loaders, timers)')) console.log(`${row(t)}  ${k}`);
console.log('\nself time by file');
for (const [k, t] of group((n) => where(n.callFrame.url))) console.log(`${row(t)}  ${k}`);
console.log('\nself time by function');
for (const [k, t] of group((n) => `${n.callFrame.functionName || '(anonymous)'}  ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`))
  console.log(`${row(t)}  ${k}`);
