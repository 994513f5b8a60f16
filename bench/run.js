// @ts-check
/**
 * `npm run bench [-- --quick] [-- --only http,startup]`: measures every figure side by side
 * with its alternative in one run, prints a table and writes bench/results/latest.json.
 * These are benchmarks, not tests: nothing here fails on a missed target, it reports it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable } from './lib/print-table.js';

const FIGURES = {
  http: () => import('./figures/http-overhead.js').then((m) => m.measureHttpOverhead),
  startup: () => import('./figures/startup.js').then((m) => m.measureStartup),
  resilience: () => import('./figures/resilience-overhead.js').then((m) => m.measureResilienceOverhead),
  logger: () => import('./figures/logger-throughput.js').then((m) => m.measureLoggerThroughput),
  scrape: () => import('./figures/scrape-cost.js').then((m) => m.measureScrapeCost),
  generator: () => import('./figures/generator-scale.js').then((m) => m.measureGeneratorScale),
  outage: () => import('./figures/outage-memory.js').then((m) => m.measureOutageMemory),
  dev: () => import('./figures/dev-ingest.js').then((m) => m.measureDevIngest),
  otlp: () => import('./figures/otlp-serialization.js').then((m) => m.measureOtlpSerialization),
};

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const selected = values.only ? values.only.split(',') : Object.keys(FIGURES);
for (const id of selected) if (!(id in FIGURES)) throw new Error(`unknown figure "${id}"; known: ${Object.keys(FIGURES).join(', ')}`);

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
console.log(`bench on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), node ${machine.node}${values.quick ? ', --quick' : ''}`);

const results = [];
let failed = 0;
for (const id of selected) {
  const started = Date.now();
  process.stdout.write(`- ${id} … `);
  try {
    const measure = await FIGURES[/** @type {keyof typeof FIGURES} */ (id)]();
    // A figure measures one result, or several side by side (figure 1: two workloads).
    const measured = [await measure({ quick: values.quick, repoRoot })].flat();
    results.push(...measured);
    for (const r of measured) {
      console.log(
        `${measured.length > 1 ? `\n  ${r.id}: ` : ''}${r.ratio.name} = ${r.ratio.value} (target ${r.target.text}: ${r.target.met ? 'met' : 'MISSED'})`,
      );
      for (const t of r.targets ?? []) console.log(`    ${t.text}: ${t.value ?? t.note} (target met: ${t.met ? 'yes' : 'no'})`);
    }
    console.log(`  [${((Date.now() - started) / 1000).toFixed(1)} s]`);
  } catch (err) {
    failed++;
    console.log(`FAILED: ${err instanceof Error ? err.stack : err}`);
  }
}

console.log(
  '\n' +
    markdownTable(
      ['figure', 'ratio', 'value', 'target', 'met', 'details'],
      results.map((r) => [r.title, r.ratio.name, r.ratio.value, r.target.text, r.target.met ? 'yes' : 'NO', JSON.stringify(r.figures)]),
    ),
);
for (const r of results) {
  console.log(`\n${r.title}`);
  // Columns: every figure any variant has (figure 1b prices the log line only where there is one).
  const columns = [...new Set(Object.values(r.variants).flatMap((v) => Object.keys(v)))];
  console.log(
    markdownTable(
      ['variant', ...columns],
      Object.entries(r.variants).map(([name, v]) => [name, ...columns.map((c) => (c in v ? formatCell(v[c]) : ''))]),
    ),
  );
}

const outFile = values.out ?? path.join(repoRoot, 'bench/results', values.quick ? 'quick.json' : 'latest.json');
mkdirSync(path.dirname(outFile), { recursive: true });
// A partial run (--only) replaces only its figures: the file keeps the others' last results.
const previous = values.only && existsSync(outFile) ? readPreviousResults(outFile) : [];
const byId = new Map(results.map((r) => [r.id, r]));
const merged = [...previous.map((r) => byId.get(r.id) ?? r), ...results.filter((r) => !previous.some((p) => p.id === r.id))];
writeFileSync(outFile, JSON.stringify({ machine, quick: values.quick, results: merged }, null, 2) + '\n');
console.log(`\nwrote ${path.relative(process.cwd(), outFile)}`);
process.exitCode = failed ? 1 : 0;

/** @param {string} file */
function readPreviousResults(file) {
  try {
    const { results: previous } = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(previous) ? previous : [];
  } catch {
    return [];
  }
}

function formatCell(v) {
  if (v && typeof v === 'object' && 'median' in v) return `${round(v.median)} ±${v.spreadPct}%`;
  return typeof v === 'number' ? round(v) : String(v);
}
function round(x) {
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100;
}
