import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCallgrindSelfCost } from '../profile/callgrind-self-cost.js';

/** A dump as callgrind writes it with name compression: ids defined once, reused later. */
const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
events: Ir

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) main
0 100
cob=(2) ???
cfi=(2) ???
cfn=(2) 0x000000000d08a080
calls=5 0
0 900
0 20

ob=(2)
fl=(2)
fn=(2)
0 700
+3 50
cob=(1)
cfn=(3) Builtins_LoadIC
calls=1 0
0 999

ob=(1)
fl=(1)
fn=(3)
* 30
fi=(4) inlined.h
-2 5

totals: 905
`;

describe('readCallgrindSelfCost', () => {
  it('sums each function’s own cost and, apart, the inclusive cost of each call it made, across compressed names', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callgrind-'));
    const file = path.join(dir, 'callgrind.out.1');
    writeFileSync(file, DUMP);
    const { total, functions } = readCallgrindSelfCost(file);
    const self = Object.fromEntries([...functions.values()].map((f) => [`${f.object}|${f.name}`, f.self]));
    expect(self).toEqual({
      '/usr/bin/node|main': 120,
      '???|0x000000000d08a080': 750,
      '/usr/bin/node|Builtins_LoadIC': 35,
    });
    expect(total).toBe(905);
    const calls = Object.fromEntries([...functions.values()].map((f) => [f.name, Object.fromEntries(f.calls)]));
    // main called into generated code (cob given); generated code called a builtin in /usr/bin/node.
    expect(calls).toEqual({
      main: { '???\u00000x000000000d08a080': 900 },
      '0x000000000d08a080': { '/usr/bin/node\u0000Builtins_LoadIC': 999 },
      Builtins_LoadIC: {},
    });
  });

  it('sums every event of a --cache-sim dump, trailing zero events left out of a line, calls not counted', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'callgrind-'));
    const file = path.join(dir, 'callgrind.out.2');
    writeFileSync(
      file,
      `events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw

ob=(1) /usr/bin/node
fn=(1) main
0 100 40 20 3 2 1 1 1
+1 10 4
cfn=(2) callee
calls=1 0
0 1000 400 200 30 20 10 10 10 10
fn=(2)
0 50 0 0 7
`,
    );
    const { total, events } = readCallgrindSelfCost(file);
    expect(total).toBe(160);
    expect(events).toEqual({ Ir: 160, Dr: 44, Dw: 20, I1mr: 10, D1mr: 2, D1mw: 1, ILmr: 1, DLmr: 1, DLmw: 0 });
  });
});
