import { describe, expect, it } from 'vitest';
import { parsePerfReport, sampleCategory } from '../profile/perf-report-samples.js';

/** `perf report --stdio --no-children --sort dso,sym -g none -n`, as perf 6.x prints it (rows shortened). */
const REPORT = `# To display the perf.data header info, please use --header/--header-only options.
#
#
# Total Lost Samples: 0
#
# Samples: 12K of event 'cpu-clock'
# Event count (approx.): 4000000000
#
# Overhead       Samples  Shared Object        Symbol
# ........  ............  ...................  ......
#
    50.00%          5000  [kernel.kallsyms]    [k] _raw_spin_unlock_irqrestore
     0.00%             0  [unknown]            [.] [unknown]
    30.00%          3000  node                 [.] Builtins_KeyedLoadIC_Megamorphic
    10.00%          1000  [JIT] tid 11548      [.] JS:*_asJson /work/main/node_modules/pino/lib/tools.js:144:18
     5.00%           500  node                 [.] v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>
     4.00%           400  libc.so.6            [.] __memmove_avx512_unaligned_erms
     1.00%           100  perf-4242.map        [.] JS:~handle file:///app/server.js:3:1
     0.00%             0  /usr/bin/node        [.] v8::internal::Heap::Scavenge()
     0.00%             0  libnode.so.115       [.] Builtins_LoadIC
     0.00%             0  weird                {?} a row perf might print in a later version


#
# (Tip: For a higher level overview, try: perf report --sort comm,dso)
#
`;

describe('parsePerfReport', () => {
  const { rows, nanosPerSample } = parsePerfReport(REPORT);

  it('reads every symbol row with its samples, object and space, and nothing from the comments', () => {
    expect(rows).toEqual([
      { samples: 5000, object: '[kernel.kallsyms]', kernel: true, symbol: '_raw_spin_unlock_irqrestore' },
      { samples: 0, object: '[unknown]', kernel: false, symbol: '[unknown]' },
      { samples: 3000, object: 'node', kernel: false, symbol: 'Builtins_KeyedLoadIC_Megamorphic' },
      { samples: 1000, object: '[JIT] tid 11548', kernel: false, symbol: 'JS:*_asJson /work/main/node_modules/pino/lib/tools.js:144:18' },
      { samples: 500, object: 'node', kernel: false, symbol: 'v8::internal::Scavenger::ScavengeObject<v8::internal::FullHeapObjectSlot>' },
      { samples: 400, object: 'libc.so.6', kernel: false, symbol: '__memmove_avx512_unaligned_erms' },
      { samples: 100, object: 'perf-4242.map', kernel: false, symbol: 'JS:~handle file:///app/server.js:3:1' },
      { samples: 0, object: '/usr/bin/node', kernel: false, symbol: 'v8::internal::Heap::Scavenge()' },
      { samples: 0, object: 'libnode.so.115', kernel: false, symbol: 'Builtins_LoadIC' },
    ]);
  });

  it('counts a row-like line it cannot read, so a format change cannot skew the figures unnoticed', () => {
    expect(parsePerfReport(REPORT).unread).toBe(1);
    expect(parsePerfReport('   100.00%     7  node  [.] main\n').unread).toBe(0);
  });

  it('prices a sample as the cpu-clock event count (ns) over the samples', () => {
    expect(nanosPerSample).toBe(4_000_000_000 / 10_000);
  });

  it('has no price without samples', () => {
    expect(parsePerfReport('# Event count (approx.): 100\n').nanosPerSample).toBeNaN();
  });

  it('sorts each row into where it ran', () => {
    expect(rows.map(sampleCategory)).toEqual([
      'kernel',
      'libc and others',
      'V8 builtins/ICs',
      'JS (JIT code)',
      'node, V8 runtime and GC',
      'libc and others',
      'JS (JIT code)',
      'node, V8 runtime and GC',
      'V8 builtins/ICs',
    ]);
  });
});
