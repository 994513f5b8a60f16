// @ts-check
/**
 * `node bench/profile/count-instructions.js [variant ...] [--requests N] [--warmup N] [--diff A,B] [--from DIR] [--cache-sim]`: counts
 * the user-space instructions per request of figure 1's minimal server, variant by variant,
 * under `valgrind --tool=callgrind`. Unlike CPU time on a shared VM (figure 1b's rounds spread
 * up to ±90 %), the count is the same from run to run, so it shows exactly where an added cost
 * goes: JIT-compiled JavaScript, V8's builtins and inline caches, its garbage collector, its
 * compiler, node/libuv/llhttp, libc. Kernel time is not counted: `strace -c` shows one read and
 * one writev per request on the main thread in every variant; cpu-time-by-symbol.js samples the
 * kernel's share, and what runs slower rather than longer.
 *
 * Variants: figure 1b's seven (bare, bare+pino, upstream, upstream+logs, platform, platform+pino:
 * ours with bare+pino's plain line, platform+log) and ablations that take one piece away:
 * `bare+context` (AsyncLocalStorage.run per request and nothing else), `platform-unsampled`
 * (OTEL_TRACES_SAMPLER=always_off), `platform-unexported` (OTEL_TRACES_EXPORTER=none),
 * `platform+log-unexported` (OTEL_LOGS_EXPORTER=none), `platform-sdk-span` (the SERVER span started
 * through the SDK's Tracer.startSpan instead of ServerSpan, bench/workloads/sdk-server-span.cjs: what
 * ServerSpan saves over the SDK span).
 * Each server gets `--warmup` requests (default 40960, as for the README's table: the JIT has
 * settled by then), then the counters are zeroed and `--requests` (default 5120) are counted,
 * 50 connections. `--diff A,B` prints the functions whose self cost per request grew most from A
 * to B. `--inclusive PATTERN` prints, per variant, the inclusive cost per request (own cost plus
 * the calls it made; a function that calls itself is counted once per level) of the functions
 * whose name matches PATTERN, with the callees that cost them most. Raw dumps and V8's perf map
 * land in bench/profile/out/callgrind/<time>/ (git-ignored). `--callers PATTERN` prints, per variant,
 * which functions called the functions matching PATTERN and at what cost (inline caches and
 * builtins are charged to the JS that used them). `--from DIR` runs nothing: it reads the dumps an
 * earlier count left in DIR again (each variant's run is recorded there as `<variant>.json`), so
 * another `--inclusive`/`--callers`/`--diff` view costs seconds, not another run under valgrind.
 * `--cache-sim` also runs callgrind's cache model (first-level instruction and data caches and the
 * last level, sized like the host's) and prints the simulated misses per request: instructions
 * that miss run many times slower, which a count of instructions alone does not show.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { waitUntilReady } from '../../packages/telemetry/test/support/instrumented-process.js';
import { MINIMAL_HTTP_VARIANTS, spawnMinimalServer } from '../figures/http-overhead-minimal.js';
import { startSinkOtlpReceiver } from '../lib/sink-otlp-receiver.js';
import { readCallgrindSelfCost } from './callgrind-self-cost.js';
import { keepPerfMap, perfMapNodeArgs, readPerfMap } from './perf-map.js';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** @type {Record<string, { base: string, env?: Record<string, string>, nodeArgs?: string[] }>} */
const ABLATIONS = {
  'bare+context': { base: 'bare', nodeArgs: ['--require', path.join(repoRoot, 'bench/workloads/async-context-per-request.cjs')] },
  'platform-unsampled': { base: 'platform', env: { OTEL_TRACES_SAMPLER: 'always_off' } },
  'platform-unexported': { base: 'platform', env: { OTEL_TRACES_EXPORTER: 'none' } },
  'platform+log-unexported': { base: 'platform+log', env: { OTEL_LOGS_EXPORTER: 'none' } },
  'platform-sdk-span': { base: 'platform', nodeArgs: ['--require', path.join(repoRoot, 'bench/workloads/sdk-server-span.cjs')] },
};
const KNOWN = [...Object.keys(MINIMAL_HTTP_VARIANTS), ...Object.keys(ABLATIONS)];

/** Where an instruction ran, from its function's object and name. */
const CATEGORIES = /** @type {const} */ (['JS (JIT code)', 'V8 builtins/ICs', 'V8 GC', 'V8 compiler', 'V8 runtime/API', 'node/libuv/llhttp', 'libc/libstdc++']);
/** @returns {(typeof CATEGORIES)[number]} */
function categoryOf(/** @type {string} */ object, /** @type {string} */ name) {
  if (object === '???') return 'JS (JIT code)';
  if (!object.endsWith('/node')) return 'libc/libstdc++';
  if (/^Builtins_/.test(name)) return 'V8 builtins/ICs';
  if (/Heap|Scaveng|Marking|MarkCompact|Sweep|Evacuat|IterateObjectCache|RememberedSet|SlotSet|RecordWrite|Minor|GCTracer|Worklist/.test(name)) return 'V8 GC';
  if (/compiler::|[Mm]aglev|[Bb]aseline|Turbofan|Compil|interpreter::BytecodeGenerator/.test(name)) return 'V8 compiler';
  if (/^(node|uv)|llhttp/.test(name)) return 'node/libuv/llhttp';
  return 'V8 runtime/API';
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '5120' },
    warmup: { type: 'string', default: '40960' },
    diff: { type: 'string' },
    inclusive: { type: 'string' },
    callers: { type: 'string' },
    from: { type: 'string' },
    'cache-sim': { type: 'boolean', default: false },
  },
});
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const diff = values.diff?.split(',');
const names =
  positionals.length > 0 ? positionals : ['bare', 'bare+context', 'platform-unsampled', 'platform-unexported', 'platform', 'platform+log', 'upstream'];
for (const n of [...names, ...(diff ?? [])]) if (!KNOWN.includes(n)) throw new Error(`unknown variant ${n}; known: ${KNOWN.join(', ')}`);
if (values.from === undefined && spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed (apt-get install valgrind)');

const outDir = values.from ?? path.join(here, 'out', 'callgrind', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(outDir, { recursive: true });

/** A variant's name as it appears in the output folder's file names. */
function fileName(/** @type {string} */ name) {
  return name.replace(/\W/g, '-');
}

/** Runs one variant under callgrind and returns its self cost per function, per request. */
async function count(/** @type {string} */ name, /** @type {string} */ otlpUrl) {
  const ablation = ABLATIONS[name];
  const port = await freePort();
  const svc = await spawnMinimalServer({
    repoRoot,
    name: ablation?.base ?? name,
    port,
    otlpUrl,
    env: ablation?.env,
    // --single-threaded: V8 compiles and collects on the main thread, at points set by the work
    // done, not by how fast its background threads get through under valgrind. Its heap sizing
    // still follows the allocation rate per wall-clock second, so count on an otherwise idle
    // machine: idle, repeated counts agreed within 2 %; with two other valgrind runs on the two
    // cores the same variant counted 222k instead of 143k a request, the difference all GC and
    // recompilation. (--predictable-gc-schedule fixes heap growth but made GC ten times costlier
    // than in a normal process, so it is not used.)
    // --perf-basic-prof: V8 writes /tmp/perf-<pid>.map (address ranges of the code it generates,
    // named by JS function), so instructions in generated code are charged to functions, not `???`.
    // (--perf-basic-prof also turns on V8's code log: written to the output folder, not as isolate-*.log in the repo.)
    extraNodeArgs: ['--single-threaded', ...perfMapNodeArgs(path.join(outDir, `${fileName(name)}.v8.log`)), ...(ablation?.nodeArgs ?? [])],
    wrapper: [
      'valgrind',
      '--tool=callgrind',
      ...(values['cache-sim'] ? ['--cache-sim=yes'] : []),
      `--callgrind-out-file=${path.join(outDir, `${fileName(name)}.%p.out`)}`,
    ],
  });
  const pid = String(svc.child.pid);
  try {
    const url = `http://127.0.0.1:${port}/`;
    await waitUntilReady(svc, url, 300_000);
    await autocannon({ url, connections: 50, amount: warmup, timeout: 60 });
    execFileSync('callgrind_control', ['--zero', pid], { stdio: 'ignore' });
    const r = await autocannon({ url, connections: 50, amount: requests, timeout: 60 });
    execFileSync('callgrind_control', ['--dump', pid], { stdio: 'ignore' });
    if (r.errors > 0 || r.non2xx > 0 || r.requests.total !== requests) throw new Error(`${name}: ${r.requests.total}/${requests} requests, ${r.errors} errors`);
  } finally {
    await svc.stop(120_000);
  }
  const dump = readdirSync(outDir).find((f) => f.startsWith(`${fileName(name)}.${pid}.out.`));
  if (!dump) throw new Error(`${name}: no callgrind dump in ${outDir}: ${svc.stderr()}`);
  const mapFile = path.join(outDir, `${fileName(name)}.${pid}.perf.map`);
  keepPerfMap(pid, mapFile);
  writeFileSync(path.join(outDir, `${fileName(name)}.json`), JSON.stringify({ requests, dump, perfMap: path.basename(mapFile) }));
  return analyse(path.join(outDir, dump), mapFile, requests);
}

/** The variant's run recorded in `dir` by an earlier count (`--from`), analysed again. */
function reanalyse(/** @type {string} */ dir, /** @type {string} */ name) {
  const recordFile = path.join(dir, `${fileName(name)}.json`);
  if (!existsSync(recordFile)) throw new Error(`${name}: no recorded run in ${dir}`);
  const record = JSON.parse(readFileSync(recordFile, 'utf8'));
  return analyse(path.join(dir, record.dump), path.join(dir, record.perfMap), record.requests);
}

/** Self cost per function, per request, from a callgrind dump (JIT code named through V8's perf map). */
function analyse(/** @type {string} */ dumpFile, /** @type {string} */ mapFile, /** @type {number} */ requests) {
  const { functions, events } = readCallgrindSelfCost(dumpFile);
  const jitNames = existsSync(mapFile) ? readPerfMap(mapFile) : undefined;
  /** @type {Map<string, number>} */
  const perRequest = new Map();
  const label = (/** @type {{ object: string, name: string }} */ f) =>
    f.object === '???' ? `${jitNames?.nameAt(Number(f.name)) ?? 'generated code'} [JIT]` : `${f.name} [${path.basename(f.object)}]`;
  /** @type {Map<string, { cost: number, callees: Map<string, number> }>} inclusive cost per request of the functions --inclusive names */
  const inclusive = new Map();
  const pattern = values.inclusive === undefined ? undefined : new RegExp(values.inclusive);
  const calleePattern = values.callers === undefined ? undefined : new RegExp(values.callers);
  /** @type {Map<string, number>} cost per request of the calls into the functions --callers names, by caller */
  const callers = new Map();

  /** @type {Record<string, number>} */
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  for (const f of functions.values()) {
    const key = label(f);
    perRequest.set(key, (perRequest.get(key) ?? 0) + f.self / requests);
    byCategory[categoryOf(f.object, f.name)] += f.self / requests;
    /** @type {{ cost: number, callees: Map<string, number> } | undefined} */
    let entry;
    if (pattern?.test(key)) {
      entry = inclusive.get(key);
      if (entry === undefined) inclusive.set(key, (entry = { cost: 0, callees: new Map() }));
      entry.cost += f.self / requests;
    }
    if (entry === undefined && calleePattern === undefined) continue;
    for (const [calleeKey, cost] of f.calls) {
      const [object, calleeName] = calleeKey.split('\u0000');
      const callee = label({ object, name: calleeName });
      if (calleePattern?.test(callee)) callers.set(key, (callers.get(key) ?? 0) + cost / requests);
      if (entry !== undefined) {
        entry.cost += cost / requests;
        entry.callees.set(callee, (entry.callees.get(callee) ?? 0) + cost / requests);
      }
    }
  }
  /** @type {Record<string, number>} every event the dump has (cache misses with --cache-sim), per request */
  const eventsPerRequest = Object.fromEntries(Object.entries(events).map(([name, n]) => [name, n / requests]));
  return { perRequest, byCategory, inclusive, callers, eventsPerRequest, requests };
}

/** @type {Record<string, ReturnType<typeof analyse>>} */
const results = {};
if (values.from !== undefined) {
  for (const name of new Set([...names, ...(diff ?? [])])) results[name] = reanalyse(values.from, name);
} else {
  const sink = await startSinkOtlpReceiver();
  try {
    for (const name of new Set([...names, ...(diff ?? [])])) {
      process.stderr.write(`counting ${name} …\n`);
      results[name] = await count(name, sink.url);
    }
  } finally {
    await sink.close();
  }
}

const k = (/** @type {number} */ n) => `${(n / 1000).toFixed(1)}k`;
const total = (/** @type {string} */ n) => Object.values(results[n].byCategory).reduce((a, b) => a + b, 0);
const baseline = names.includes('bare') ? 'bare' : names[0];
const counted = [...new Set(names.map((n) => results[n].requests))].join('/');
console.log(`\nuser-space instructions per request (${counted} requests counted, 50 connections); + is over ${baseline}\n`);
console.log(['variant'.padEnd(24), 'total'.padStart(8), 'added'.padStart(8), ...CATEGORIES.map((c) => c.padStart(18))].join(' '));
for (const n of names) {
  const cells = CATEGORIES.map((c) => k(results[n].byCategory[c]).padStart(18));
  console.log([n.padEnd(24), k(total(n)).padStart(8), `+${k(total(n) - total(baseline))}`.padStart(8), ...cells].join(' '));
}
if (names.some((n) => 'D1mr' in results[n].eventsPerRequest)) {
  // callgrind's cache model (first-level instruction and data caches, last level), sized like the host's.
  const MISSES = ['I1mr', 'D1mr', 'D1mw', 'ILmr', 'DLmr', 'DLmw'];
  console.log(`\nsimulated cache misses per request (--cache-sim; + is over ${baseline})\n`);
  console.log(['variant'.padEnd(24), ...MISSES.map((m) => m.padStart(14))].join(' '));
  for (const n of names) {
    const e = results[n].eventsPerRequest;
    const b = results[baseline].eventsPerRequest;
    const cell = (/** @type {string} */ m) => {
      const d = (e[m] ?? 0) - (b[m] ?? 0);
      return `${(e[m] ?? 0).toFixed(0)} (${d < 0 ? '' : '+'}${d.toFixed(0)})`.padStart(14);
    };
    console.log([n.padEnd(24), ...MISSES.map(cell)].join(' '));
  }
}
if (process.env.TOP_EACH) {
  for (const n of names) {
    const rows = [...results[n].perRequest.entries()].sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.TOP_EACH));
    console.log(`\n${n}: the functions with the most self cost per request`);
    for (const [key, v] of rows) console.log(`${k(v).padStart(8)}  ${key.slice(0, 150)}`);
  }
}
if (values.inclusive !== undefined) {
  for (const n of names) {
    console.log(`\n${n}: inclusive cost per request of the functions matching /${values.inclusive}/ (top callees)`);
    const rows = [...results[n].inclusive.entries()].sort((x, y) => y[1].cost - x[1].cost);
    for (const [key, { cost, callees }] of rows.slice(0, Number(process.env.TOP ?? 30))) {
      console.log(`${k(cost).padStart(8)}  ${key.slice(0, 150)}`);
      const top = [...callees.entries()].sort((x, y) => y[1] - x[1]).slice(0, 6);
      for (const [callee, cost] of top) console.log(`${''.padStart(8)}  ${k(cost).padStart(8)} → ${callee.slice(0, 130)}`);
    }
  }
}
if (values.callers !== undefined) {
  for (const n of names) {
    console.log(`\n${n}: who called /${values.callers}/, cost per request of those calls`);
    const rows = [...results[n].callers.entries()].sort((x, y) => y[1] - x[1]);
    for (const [key, cost] of rows.slice(0, Number(process.env.TOP ?? 30))) console.log(`${k(cost).padStart(8)}  ${key.slice(0, 150)}`);
  }
}
if (diff) {
  const [a, b] = diff;
  const keys = new Set([...results[a].perRequest.keys(), ...results[b].perRequest.keys()]);
  const rows = [...keys].map((key) => ({ key, d: (results[b].perRequest.get(key) ?? 0) - (results[a].perRequest.get(key) ?? 0) }));
  rows.sort((x, y) => y.d - x.d);
  console.log(`\n${b} over ${a}: +${k(total(b) - total(a))} instructions per request; the functions that grew most (self cost per request):`);
  for (const r of rows.slice(0, Number(process.env.TOP ?? 30))) console.log(`${k(r.d).padStart(8)}  ${r.key.slice(0, 150)}`);
}
