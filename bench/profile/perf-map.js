// @ts-check
/**
 * Reads the `/tmp/perf-<pid>.map` that `node --perf-basic-prof` writes (one line per piece of
 * code V8 generated: `<start hex> <size hex> <name>`), so an address inside generated code can be
 * named by its JS function (`JS:*startSpan …/Tracer.js:42:14`). When V8 reused an address range,
 * the entry written last names it.
 */
import { readFileSync } from 'node:fs';

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
