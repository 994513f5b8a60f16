// @ts-check
/**
 * V8's perf map for the profile tools: the node flags that make a process write it, keeping it
 * out of the working directory, and the reader. `node --perf-basic-prof` writes
 * `/tmp/perf-<pid>.map` (one line per piece of code V8 generated: `<start hex> <size hex> <name>`),
 * so an address inside generated code can be named by its JS function
 * (`JS:*startSpan …/Tracer.js:42:14`). When V8 reused an address range, the entry written last
 * names it.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';

/**
 * Node flags for a process whose generated code a profile should name: --perf-basic-prof, and its
 * side effect, V8's code log, sent to `logFile` instead of an isolate-*.log in the working directory.
 * @param {string} logFile
 */
export function perfMapNodeArgs(logFile) {
  return ['--perf-basic-prof', '--no-logfile-per-isolate', `--logfile=${logFile}`];
}

/**
 * Moves the perf map of the process `pid` (once it ended) from /tmp to `file`, beside the profile
 * it names; nothing when the process wrote none.
 * @param {number | string} pid
 * @param {string} file
 */
export function keepPerfMap(pid, file) {
  if (existsSync(`/tmp/perf-${pid}.map`)) renameSync(`/tmp/perf-${pid}.map`, file);
}

/** @param {string} file @returns {{ nameAt(address: number): string | undefined }} */
export function readPerfMap(file) {
  /** @type {{ start: number, end: number, name: string, order: number }[]} */
  const entries = [];
  let order = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/i.exec(line);
    if (!m) continue;
    const start = parseInt(m[1], 16);
    entries.push({ start, end: start + parseInt(m[2], 16), name: m[3], order: order++ });
  }
  entries.sort((a, b) => a.start - b.start || a.order - b.order);
  return {
    nameAt(address) {
      if (!Number.isFinite(address)) return undefined;
      // Entries are few enough (thousands) that a scan back from the binary-search point suffices.
      let lo = 0;
      let hi = entries.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (entries[mid].start <= address) lo = mid + 1;
        else hi = mid;
      }
      /** @type {{ name: string, order: number } | undefined} */
      let best;
      for (let i = lo - 1; i >= 0 && i >= lo - 64; i--) {
        const e = entries[i];
        if (address >= e.start && address < e.end && (best === undefined || e.order > best.order)) best = e;
      }
      return best?.name;
    },
  };
}
