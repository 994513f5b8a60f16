// @ts-check
/**
 * Reads a callgrind output file and returns the self cost (Ir, the first event) of every
 * function with its object (ELF file, or `???` for code V8 generated at run time), so
 * count-instructions.js can group instructions by where they ran. Handles callgrind's name
 * compression (`fn=(12) name`, later `fn=(12)`). The inclusive cost line that follows each
 * `calls=` line is not self cost: it is kept per caller and callee (`calls`), so a function's
 * inclusive cost is its self cost plus its calls'. `events` sums every event the dump records
 * (`--cache-sim=yes` adds the simulated cache misses: I1mr, D1mr, D1mw, ILmr, DLmr, DLmw) over
 * all self cost lines.
 */
import { readFileSync } from 'node:fs';

/**
 * @typedef {{ object: string, name: string, self: number, calls: Map<string, number> }} CallgrindFunction
 * `calls`: inclusive cost of the calls it made, by callee key (`object`, NUL, `name`).
 */

/**
 * @param {string} file
 * @returns {{ total: number, functions: Map<string, CallgrindFunction>, events: Record<string, number> }}
 */
export function readCallgrindSelfCost(file) {
  const text = readFileSync(file, 'utf8');
  /** @type {Record<string, Map<string, string>>} */
  const names = { ob: new Map(), fn: new Map() };
  /** @type {Map<string, CallgrindFunction>} */
  const functions = new Map();
  let object = '???';
  /** @type {CallgrindFunction | undefined} */
  let current;
  let calleeObject = '???';
  /** @type {string | undefined} the callee whose inclusive cost line comes next */
  let callee;
  let total = 0;
  /** @type {string[]} */
  let eventNames = ['Ir'];
  /** @type {Record<string, number>} */
  const events = { Ir: 0 };
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
      const space = line.indexOf(' ');
      // The position, then one column per event (trailing zero events may be left out).
      const costs = space < 0 ? [] : line.slice(space + 1).split(' ');
      const ir = costs.length === 0 ? 0 : Number(costs[0]);
      if (callee !== undefined) {
        if (current && Number.isFinite(ir)) current.calls.set(callee, (current.calls.get(callee) ?? 0) + ir);
        callee = undefined;
        calleeObject = object; // a call without `cob=` is into the caller's object
      } else if (current && Number.isFinite(ir)) {
        current.self += ir;
        total += ir;
        for (let i = 0; i < costs.length && i < eventNames.length; i++) events[eventNames[i]] += Number(costs[i]) || 0;
      }
      continue;
    }
    if (line.startsWith('events:')) {
      eventNames = line.slice(7).trim().split(/\s+/);
      for (const name of eventNames) events[name] = 0;
      continue;
    }
    if (line.startsWith('ob=')) object = resolve('ob', line.slice(3));
    else if (line.startsWith('fn=')) {
      const name = resolve('fn', line.slice(3));
      const key = `${object}\u0000${name}`;
      current = functions.get(key);
      if (!current) functions.set(key, (current = { object, name, self: 0, calls: new Map() }));
      calleeObject = object;
    } else if (line.startsWith('cob=')) calleeObject = resolve('ob', line.slice(4));
    else if (line.startsWith('cfn=')) callee = `${calleeObject}\u0000${resolve('fn', line.slice(4))}`;
  }
  return { total, functions, events };
}
