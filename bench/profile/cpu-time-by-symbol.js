// @ts-check
/**
 * `node bench/profile/cpu-time-by-symbol.js <variant> [--paths /,/bench/no-log] [--requests N] [--warmup N] [--rate R] [--rounds N] [--frequency HZ] [--top N]`:
 * the CPU time per request of one of figure 1b's minimal servers, by symbol, kernel included,
 * sampled with `perf record -e cpu-clock` (a software clock: it works in a VM without hardware
 * counters). The same process is loaded on each path in turn, `--rounds` times (default 2, so
 * A B A B), and `--requests` requests a path each time; the default paths price the log line:
 * `/` writes it, `/bench/no-log` is the same request without it. Prints each path's time per
 * request split by where it ran (kernel, JIT code, V8 builtins, node and V8 runtime, libc) and the
 * symbols whose time per request differs most between the first two paths.
 *
 * It sees what count-instructions.js cannot: kernel work (the send that wakes the load generator,
 * the thread pool's futexes) and code that runs slower, not longer, because more code and data
 * compete for the caches. `--rate` sends at that overall rate (autocannon's `overallRate`)
 * instead of as fast as the server answers. Needs `perf` (linux-perf) and root or
 * `kernel.perf_event_paranoid` <= 1 for kernel samples; the samples and V8's perf map land in
 * bench/profile/out/perf/<time>/ (git-ignored; `perf report -i <file>` needs the map back in /tmp
 * as perf-<pid>.map to name the JIT code again).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { waitUntilReady } from '../../packages/telemetry/test/support/instrumented-process.js';
import { MINIMAL_HTTP_VARIANTS, spawnMinimalServer } from '../figures/http-overhead-minimal.js';
import { placeServerApartFromLoad } from '../lib/cpu-placement.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';
import { keepPerfMap, perfMapNodeArgs } from './perf-map.js';
import { parsePerfReport, SAMPLE_CATEGORIES, sampleCategory } from './perf-report-samples.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    paths: { type: 'string', default: '/,/bench/no-log' },
    requests: { type: 'string', default: '50000' },
    warmup: { type: 'string', default: '60000' },
    rate: { type: 'string' },
    rounds: { type: 'string', default: '2' },
    frequency: { type: 'string', default: '2999' },
    top: { type: 'string', default: '30' },
  },
});
const name = positionals[0];
if (!name || !(name in MINIMAL_HTTP_VARIANTS)) throw new Error(`name one variant: ${Object.keys(MINIMAL_HTTP_VARIANTS).join(', ')}`);
const paths = values.paths.split(',');
const requests = Number(values.requests);
const rate = values.rate === undefined ? undefined : Number(values.rate);
try {
  execFileSync('perf', ['--version'], { stdio: 'ignore' });
} catch {
  throw new Error('perf is not installed (apt-get install linux-perf)');
}

// Said before the run, not after it: without kernel samples its kernel column reads zero.
const paranoid = existsSync('/proc/sys/kernel/perf_event_paranoid') ? Number(readFileSync('/proc/sys/kernel/perf_event_paranoid', 'utf8')) : NaN;
if (paranoid > 1 && process.getuid?.() !== 0) console.warn(`kernel.perf_event_paranoid is ${paranoid}: kernel time is not sampled`);

const outDir = path.join(here, 'out', 'perf', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(outDir, { recursive: true });

/** Per path: nanoseconds per symbol (`object\0kernel\0symbol`) and the requests they served. */
const measured = paths.map(() => ({ nanos: new Map(), requests: 0 }));

const sink = await startSinkOtlpReceiver();
const placement = placeServerApartFromLoad();
const port = await freePort();
// V8's perf map names the generated code in perf's report.
const svc = await spawnMinimalServer({ repoRoot, name, port, otlpUrl: sink.url, extraNodeArgs: perfMapNodeArgs(path.join(outDir, 'v8.log')) });
const pid = /** @type {number} */ (svc.child.pid);
placement?.pinServer(pid);
const base = `http://127.0.0.1:${port}`;
try {
  await waitUntilReady(svc, `${base}/`, 60_000);
  for (const p of paths) await autocannon({ url: `${base}${p}`, connections: 50, amount: Number(values.warmup) });
  for (let round = 0; round < Number(values.rounds); round++) {
    for (let i = 0; i < paths.length; i++) {
      const file = path.join(outDir, `${i}-${round}.data`);
      const perf = spawn('perf', ['record', '-F', values.frequency, '-e', 'cpu-clock', '-p', String(pid), '-o', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      let perfErrors = '';
      perf.stderr.on('data', (chunk) => (perfErrors += chunk));
      /** @type {Promise<number | null>} */
      const exited = new Promise((resolve) => perf.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, 500)); // perf attached: the idle server costs no samples
      const r = await autocannon({ url: `${base}${paths[i]}`, connections: 50, amount: requests, ...(rate ? { overallRate: rate } : {}) });
      perf.kill('SIGINT');
      const perfExit = await exited;
      if (!existsSync(file)) throw new Error(`perf record wrote no samples (exit ${perfExit}): ${perfErrors.trim()}`);
      if (r.errors > 0 || r.non2xx > 0) throw new Error(`${paths[i]}: ${r.errors} errors, ${r.non2xx} non-2xx`);
      const report = execFileSync('perf', ['report', '-i', file, '--stdio', '--no-children', '--sort', 'dso,sym', '-g', 'none', '-n'], {
        encoding: 'utf8',
        maxBuffer: 256 * 2 ** 20,
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const { rows, nanosPerSample, unread } = parsePerfReport(report);
      if (unread > 0) console.warn(`${file}: ${unread} rows of perf's report not read; their time is spread over the others`);
      const into = measured[i];
      into.requests += r.requests.total;
      for (const row of rows) {
        const key = `${row.object}\0${row.kernel ? 'k' : '.'}\0${row.symbol}`;
        into.nanos.set(key, (into.nanos.get(key) ?? 0) + row.samples * nanosPerSample);
      }
    }
  }
} finally {
  await svc.stop(15_000);
  await sink.close();
  placement?.release();
  keepPerfMap(pid, path.join(outDir, `perf-${pid}.map`));
}

const micros = (/** @type {number} */ i, /** @type {string} */ key) => (measured[i].nanos.get(key) ?? 0) / 1000 / measured[i].requests;
const rowOf = (/** @type {string} */ key) => {
  const [object, k, symbol] = key.split('\0');
  return { object, kernel: k === 'k', symbol, samples: 0 };
};
const f2 = (/** @type {number} */ n) => n.toFixed(2);
console.log(
  `\n${name}: CPU µs per request by where it ran (perf cpu-clock, ${values.rounds} rounds of ${requests} requests a path${rate ? ` at ${rate} req/s` : ''})\n`,
);
console.log(['path'.padEnd(16), 'total'.padStart(8), ...SAMPLE_CATEGORIES.map((c) => c.padStart(24))].join(' '));
paths.forEach((p, i) => {
  /** @type {Record<string, number>} */
  const byCategory = Object.fromEntries(SAMPLE_CATEGORIES.map((c) => [c, 0]));
  for (const key of measured[i].nanos.keys()) byCategory[sampleCategory(rowOf(key))] += micros(i, key);
  const total = Object.values(byCategory).reduce((a, b) => a + b, 0);
  console.log([p.padEnd(16), f2(total).padStart(8), ...SAMPLE_CATEGORIES.map((c) => f2(byCategory[c]).padStart(24))].join(' '));
});
if (paths.length >= 2) {
  const keys = [...new Set([...measured[0].nanos.keys(), ...measured[1].nanos.keys()])];
  const delta = (/** @type {string} */ key) => micros(0, key) - micros(1, key);
  keys.sort((a, b) => Math.abs(delta(b)) - Math.abs(delta(a)));
  console.log(`\nsymbols whose µs per request differ most, ${paths[0]} against ${paths[1]}:`);
  for (const key of keys.slice(0, Number(values.top))) {
    const { object, kernel, symbol } = rowOf(key);
    const sign = delta(key) >= 0 ? '+' : '';
    console.log(
      `${f2(micros(0, key)).padStart(7)} ${f2(micros(1, key)).padStart(7)} ${`${sign}${f2(delta(key))}`.padStart(7)}  ${kernel ? '[k]' : '   '} ${symbol.slice(0, 110)} (${object})`,
    );
  }
}
