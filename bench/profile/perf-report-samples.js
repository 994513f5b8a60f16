// @ts-check
/**
 * Reads the table `perf report --stdio --no-children --sort dso,sym -g none -n` prints: one row
 * per symbol with its share, its sample count, the object it ran in and `[k]` (kernel) or `[.]`
 * (user space). Code V8 generated is named through its perf map (`node --perf-basic-prof`): its
 * object is `[JIT] tid <n>` (or `perf-<pid>.map` in older perf), its symbol the JS function.
 */
import path from 'node:path';

/** @typedef {{ object: string, kernel: boolean, symbol: string, samples: number }} PerfSymbolSamples */

/** A row: share, samples, object, then perf's marker: `[.]` user, `[k]` kernel, `[g]`/`[u]` guest, `[H]` hypervisor. */
const ROW = /^\s*[\d.]+%\s+(\d+)\s+(.+?)\s+\[([.kguH])\]\s+(.*?)\s*$/;
/** Anything else that starts like a row: counted as unread, so a format change cannot skew the figures silently. */
const ROW_START = /^\s*[\d.]+%\s/;

const EVENT_COUNT = /^# Event count \(approx\.\): (\d+)/;

/**
 * @param {string} text the report
 * @returns {{ rows: PerfSymbolSamples[], nanosPerSample: number, unread: number }} the rows; for the
 *   `cpu-clock` event (counted in nanoseconds) the CPU time one sample stands for, the event count over
 *   the rows' samples; and how many row-like lines did not parse (their time lands on the others)
 */
export function parsePerfReport(text) {
  /** @type {PerfSymbolSamples[]} */
  const rows = [];
  let eventCount = NaN;
  let unread = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) {
      const e = EVENT_COUNT.exec(line);
      if (e) eventCount = Number(e[1]);
      continue;
    }
    const m = ROW.exec(line);
    if (m) rows.push({ samples: Number(m[1]), object: m[2], kernel: m[3] === 'k', symbol: m[4] });
    else if (ROW_START.test(line)) unread++;
  }
  const samples = rows.reduce((sum, r) => sum + r.samples, 0);
  return { rows, nanosPerSample: samples > 0 ? eventCount / samples : NaN, unread };
}

/** The node executable (`node`, `/usr/bin/node`, Debian's `nodejs`) or a shared libnode. */
const NODE_BINARY = /^(node|nodejs|libnode\.so(\.\d+)*)$/;

/** Where a sample ran, in the same terms as count-instructions.js where they overlap. */
export const SAMPLE_CATEGORIES = /** @type {const} */ (['kernel', 'JS (JIT code)', 'V8 builtins/ICs', 'node, V8 runtime and GC', 'libc and others']);

/** @param {PerfSymbolSamples} row @returns {(typeof SAMPLE_CATEGORIES)[number]} */
export function sampleCategory(row) {
  if (row.kernel) return 'kernel';
  if (row.object.startsWith('[JIT]') || /^perf-\d+\.map$/.test(row.object)) return 'JS (JIT code)';
  const node = NODE_BINARY.test(path.basename(row.object));
  if (node && row.symbol.startsWith('Builtins_')) return 'V8 builtins/ICs';
  if (node) return 'node, V8 runtime and GC';
  return 'libc and others';
}
