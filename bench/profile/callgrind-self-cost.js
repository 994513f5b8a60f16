// @ts-check
/**
 * Reads a callgrind output file (Ir events, the default) and returns the self cost of every
 * function with its object (ELF file, or `???` for code V8 generated at run time), so
 * count-instructions.js can group instructions by where they ran. Handles callgrind's name
 * compression (`fn=(12) name`, later `fn=(12)`) and skips the inclusive cost line that follows
 * each `calls=` line.
 */
import { readFileSync } from 'node:fs';

/**
 * @param {string} file
 * @returns {{ total: number, functions: Map<string, { object: string, name: string, self: number }> }}
 */
export function readCallgrindSelfCost(file) {
  const text = readFileSync(file, 'utf8');
  /** @type {Record<string, Map<string, string>>} */
  const names = { ob: new Map(), fn: new Map() };
  /** @type {Map<string, { object: string, name: string, self: number }>} */
  const functions = new Map();
  let object = '???';
  /** @type {{ object: string, name: string, self: number } | undefined} */
  let current;
  let skipNext = false;
  let total = 0;
  const resolve = (/** @type {'ob' | 'fn'} */ kind, /** @type {string} */ value) => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(value);
    if (!m) return value;
    if (m[2] !== undefined) names[kind].set(m[1], m[2]);
    return names[kind].get(m[1]) ?? value;
  };
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const c = line.charCodeAt(0);
    const isCost = (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 42; // digit + - *
    if (isCost) {
      if (skipNext) {
        skipNext = false;
        continue;
      }
      const space = line.indexOf(' ');
      const ir = space < 0 ? 0 : Number(line.slice(space + 1).split(' ')[0]);
      if (current && Number.isFinite(ir)) {
        current.self += ir;
        total += ir;
      }
      continue;
    }
    if (line.startsWith('ob=')) object = resolve('ob', line.slice(3));
    else if (line.startsWith('fn=')) {
      const name = resolve('fn', line.slice(3));
      const key = `${object}\u0000${name}`;
      current = functions.get(key);
      if (!current) functions.set(key, (current = { object, name, self: 0 }));
    } else if (line.startsWith('cob=')) resolve('ob', line.slice(4));
    else if (line.startsWith('cfn=')) resolve('fn', line.slice(4));
    else if (line.startsWith('calls=')) skipNext = true;
  }
  return { total, functions };
}
