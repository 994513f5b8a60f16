import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { EXAMPLE_MANIFEST, MINIMAL, REPO_ROOT, cli, snapshot, tempDir } from './helpers.js';

const EXAMPLE = readFileSync(EXAMPLE_MANIFEST, 'utf8');
const CLI_JS = path.join(REPO_ROOT, 'packages/generator/dist/cli.js');
/** In-process fuzz runs per property (two properties: mutations and random YAML). */
const FUZZ_RUNS = Number(process.env.PLATFORM_FUZZ_RUNS ?? 300);

/** The contract for every manifest: exit 0 or 2, positioned messages, no stack trace, no partial write. */
function expectWellBehaved(r: { code: number; stdout: string; stderr: string }): void {
  expect([0, 2]).toContain(r.code);
  expect(`${r.stdout}${r.stderr}`).not.toMatch(/^ {4}at /m);
  if (r.code === 2) expect(r.stderr).toMatch(/^[^\n]*\.yaml:\d+:\d+: error: \S+/m);
}

// --- mutations of the valid example -------------------------------------------------------
const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '"',
    "'",
    '{{x}}',
    '${env:X}',
    '../../etc/passwd',
    '/abs',
    'a\nb',
    'a\u0000b',
    '\u202e',
    '😀',
    'x'.repeat(70_000),
    '"}) or vector(1) #',
    'null',
    '-1',
    '1e999',
    '*alias',
    '&anchor',
    '!tag',
    '|',
    '- a',
    'a: b',
    '#',
    '__proto__',
  ),
  fc.string({ maxLength: 30, unit: 'grapheme' }),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
);

type Json = Record<string, unknown>;
function paths(v: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}
const EXAMPLE_DATA = yamlParse(EXAMPLE) as Json;
const EXAMPLE_PATHS = paths(EXAMPLE_DATA).filter((p) => p.length > 0);

type Mutation = { kind: 'delete' | 'replace' | 'duplicate' | 'nest'; at: number; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'nest'),
  at: fc.nat({ max: EXAMPLE_PATHS.length - 1 }),
  value: hostileValue,
});

function mutate(ms: Mutation[]): unknown {
  const data = structuredClone(EXAMPLE_DATA) as Json;
  for (const m of ms) {
    const p = EXAMPLE_PATHS[m.at] as Array<string | number>;
    let parent: unknown = data;
    for (const seg of p.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent as Json)[seg as string] : undefined;
    if (!parent || typeof parent !== 'object') continue;
    const last = p[p.length - 1] as string | number;
    const obj = parent as Json;
    if (m.kind === 'delete') {
      if (Array.isArray(obj)) obj.splice(Number(last), 1);
      else delete obj[last];
    } else if (m.kind === 'replace') obj[last] = structuredClone(m.value);
    else if (m.kind === 'duplicate') {
      if (Array.isArray(obj)) obj.push(structuredClone(obj[Number(last)]));
      else obj[`${String(last)}`] = [obj[last], obj[last]];
    } else {
      // A copy: fast-check may hand the same value object to two mutations, and nesting one into
      // itself would build a cycle that no YAML text can express.
      let deep: unknown = structuredClone(m.value);
      for (let i = 0; i < 40; i++) deep = { x: [deep] };
      obj[last] = deep;
    }
  }
  return data;
}

/** Random YAML text built from YAML's own troublemakers. */
const yamlToken = fc.constantFrom(
  'a',
  'services',
  'name',
  'port',
  ':',
  ': ',
  '- ',
  '-',
  '\n',
  '\n  ',
  '  ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '&a',
  '*a',
  '!!str',
  '|',
  '>',
  '? ',
  '---',
  '...',
  '%YAML 1.2',
  '\t',
  '\\',
  '0x1F',
  '.inf',
  '~',
  'null',
  '__proto__',
  '<<',
  '\ufeff',
  '\u0085',
  '😀',
);
const randomYaml = fc.oneof(
  fc.array(yamlToken, { maxLength: 40 }).map((t) => t.join('')),
  fc.string({ maxLength: 200 }),
);
/**
 * The resource-exhaustion shapes of the input budget (test/input-budget.test.ts runs them full
 * size through the real process), scaled down and combined: runaway nesting, long and escaped
 * strings behind anchors and aliases, wide flow collections, many keys.
 */
const budgetShape = fc.oneof(
  fc.tuple(fc.constantFrom('[', '{a: ', '- ', '? ', '[{', 'a:\n ', '- a:\n  '), fc.integer({ min: 1, max: 3_000 })).map(([piece, n]) => piece.repeat(n)),
  fc
    .tuple(fc.constantFrom('x', '\\\\', '\\u00e9', ' \n'), fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 120 }))
    .map(([piece, n, aliases]) => `a: &a "${piece.repeat(n)}"\nb: [${Array.from({ length: aliases }, () => '*a').join(', ')}]\n`),
  fc
    .tuple(fc.integer({ min: 1, max: 5_000 }), fc.constantFrom('1', 'x', '"q"', '[]', '{}', '*a'))
    .map(([n, item]) => `a: &a [${Array.from({ length: n }, () => item).join(', ')}]\n`),
  fc.integer({ min: 1, max: 2_000 }).map((n) => Array.from({ length: n }, (_, i) => `k${i % 997}: ${i}`).join('\n')),
  fc.integer({ min: 1, max: 12 }).map((levels) => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    return lines.join('\n');
  }),
);

describe('hostile input: fuzzed manifests through the CLI', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('platform-hostile-'));
    expect(cli(['generate', '--manifest', EXAMPLE_MANIFEST, '--out', 'out'], dir).code).toBe(0);
  });
  afterEach(() => cleanup());

  function checkManifest(text: string): void {
    writeFileSync(path.join(dir, 'm.yaml'), text);
    const before = snapshot(path.join(dir, 'out'));
    const v = cli(['validate', '--manifest', 'm.yaml'], dir);
    expectWellBehaved(v);
    const g = cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir);
    expectWellBehaved(g);
    expect(g.code).toBe(v.code);
    if (g.code !== 0) expect(snapshot(path.join(dir, 'out'))).toEqual(before);
  }

  it(`mutated example manifests (delete/replace/duplicate/nest, huge strings, unicode): ${FUZZ_RUNS} runs, exit 0 or 2, positioned message, no partial write`, () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (ms, flow) => {
        const data = mutate(ms);
        // Flow (JSON is YAML) and block style written by the yaml library.
        checkManifest(flow ? JSON.stringify(data) : yamlStringify(data));
      }),
      { numRuns: FUZZ_RUNS, interruptAfterTimeLimit: 15_000 },
    );
  }, 30_000);

  it(`random YAML text: ${FUZZ_RUNS} runs, exit 2 with file:line:col (or 0), never a stack trace`, () => {
    fc.assert(
      fc.property(randomYaml, (text) => checkManifest(text)),
      { numRuns: FUZZ_RUNS, interruptAfterTimeLimit: 10_000 },
    );
  }, 30_000);

  it(`resource-exhaustion shapes (nesting, aliased long strings, wide collections, many keys) alone and around a valid manifest: ${FUZZ_RUNS} runs`, () => {
    fc.assert(
      fc.property(budgetShape, fc.constantFrom('alone', 'before', 'after'), (shape, where) => {
        checkManifest(where === 'alone' ? shape : where === 'before' ? `${shape}\n${MINIMAL}` : `${MINIMAL}${shape}\n`);
      }),
      { numRuns: FUZZ_RUNS, interruptAfterTimeLimit: 20_000 },
    );
  }, 40_000);

  it('the real process behaves the same (spawned node dist/cli.js)', () => {
    const cases = [
      'services: [',
      `${EXAMPLE}\n  - name: "../../x"\n`,
      'a: &a [*a]\n',
      `__proto__: { polluted: true }\n${MINIMAL}`,
      EXAMPLE.replace('port: 8080', 'port: "8080"'),
      MINIMAL,
    ];
    for (const text of cases) {
      writeFileSync(path.join(dir, 'm.yaml'), text);
      const before = snapshot(path.join(dir, 'out'));
      const r = spawnSync(process.execPath, [CLI_JS, 'generate', '--manifest', 'm.yaml', '--out', 'out'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
      expectWellBehaved({ code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr });
      if (r.status !== 0) expect(snapshot(path.join(dir, 'out'))).toEqual(before);
    }
  }, 60_000);
});

describe('hostile input: YAML-level attacks are refused quickly with a clear message', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('platform-hostile-')));
  afterEach(() => cleanup());

  const refused = (text: string, message: RegExp): void => {
    writeFileSync(path.join(dir, 'm.yaml'), text);
    const t0 = performance.now();
    const r = cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  };

  it('alias bomb ("billion laughs")', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) levels.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    refused(`${levels.join('\n')}\n${MINIMAL}`, /m\.yaml:12:12: error: \(root\): more than 100 aliases\n\s+hint: at most 100 aliases/);
  });
  it('__proto__ / constructor / prototype keys, block and flow', () => {
    refused(`__proto__: { x: 1 }\n${MINIMAL}`, /m\.yaml:1:1: error: \(root\): key "__proto__" is not allowed/);
    refused(MINIMAL.replace('port: 3000', 'port: 3000\n    constructor: 1'), /m\.yaml:4:5: error: services\[0\]: key "constructor" is not allowed/);
    refused(MINIMAL.replace('{ objective: 99.5 }', '{ objective: 99.5, prototype: 1 }'), /key "prototype" is not allowed/);
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });
  it('duplicate keys', () => refused(`${MINIMAL}services: []\n`, /m\.yaml:6:1: error: \(root\): duplicate key\n\s+hint: each key may appear once/));
  it('a 50 MB file is refused before it is read', () => {
    writeFileSync(path.join(dir, 'm.yaml'), `# ${'x'.repeat(50 * 1024 * 1024)}\n`);
    const t0 = performance.now();
    const r = cli(['validate', '--manifest', 'm.yaml'], dir);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/m\.yaml:1:1: error: \(root\): manifest is 50\.0 MB, more than the 5 MB limit/);
  });
});

describe('hostile input: names that would break PromQL, YAML or paths', () => {
  const BAD = ['a"b', "a'b", 'a{b}', '../x', 'a/b', 'a\nb', 'a\u0000b', 'a b', 'A', '-a', 'a\\b', '${env:X}', 'x'.repeat(64)];
  const fields: Array<[string, (v: string) => string, RegExp]> = [
    ['service name', (v) => MINIMAL.replace('name: tiny', `name: ${JSON.stringify(v)}`), /services\[0\]\.name: invalid value/],
    [
      'dependency name',
      (v) => MINIMAL.replace('port: 3000', `port: 3000\n    dependencies: [${JSON.stringify(v)}]`),
      /services\[0\]\.dependencies\[0\]: invalid value/,
    ],
    [
      'endpoint route',
      (v) => MINIMAL.replace('port: 3000', `port: 3000\n    endpoints: [{ method: GET, route: ${JSON.stringify(`/${v}`)} }]`),
      /services\[0\]\.endpoints\[0\]\.route: invalid value/,
    ],
    ['environment', (v) => `environment: ${JSON.stringify(v)}\n${MINIMAL}`, /environment: /],
    [
      'header key',
      (v) => `backends:\n  logs: { type: loki, endpoint: "https://loki:3100/otlp", headers: { ${JSON.stringify(v)}: plain } }\n${MINIMAL}`,
      /backends\.logs\.headers/,
    ],
  ];
  for (const [field, manifest, where] of fields) {
    it(`${field}: quotes, braces, ../, newlines, NUL ... are rejected at the field`, () => {
      const { dir, cleanup } = tempDir('platform-hostile-');
      try {
        for (const bad of BAD) {
          if (field === 'endpoint route' && ['../x', 'a/b', 'A', '-a', 'x'.repeat(64)].includes(bad)) continue; // valid route text
          if (field === 'environment' && ['A', '-a', 'x'.repeat(64)].includes(bad)) continue;
          if (field === 'header key' && ['A', '-a', 'x'.repeat(64)].includes(bad)) continue;
          writeFileSync(path.join(dir, 'm.yaml'), manifest(bad));
          const r = cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir);
          expect(r.code, `${field} ${JSON.stringify(bad)}: ${r.stdout}${r.stderr}`).toBe(2);
          expect(r.stderr).toMatch(where);
          expect(existsSync(path.join(dir, 'out'))).toBe(false);
        }
      } finally {
        cleanup();
      }
    });
  }
});

describe('hostile input: --out', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('platform-hostile-'));
    writeFileSync(path.join(dir, 'm.yaml'), MINIMAL);
  });
  afterEach(() => cleanup());

  it('relative ".." components resolve normally and everything lands under the resolved --out', () => {
    mkdirSync(path.join(dir, 'a'));
    expect(cli(['generate', '--manifest', 'm.yaml', '--out', 'a/../b/./c'], dir).code).toBe(0);
    expect(
      Object.keys(snapshot(dir))
        .filter((f) => f !== 'm.yaml')
        .every((f) => f.startsWith('b/c/')),
    ).toBe(true);
  });
  it('--out through a symlinked directory writes into its target; an owned folder that is a symlink is refused before anything is swapped', () => {
    mkdirSync(path.join(dir, 'real'));
    symlinkSync(path.join(dir, 'real'), path.join(dir, 'link'));
    expect(cli(['generate', '--manifest', 'm.yaml', '--out', 'link'], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'real/collector/agent.yaml'))).toBe(true);

    mkdirSync(path.join(dir, 'elsewhere'));
    mkdirSync(path.join(dir, 'out2'));
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'out2/loadtests'));
    const r = cli(['generate', '--manifest', 'm.yaml', '--out', 'out2'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^loadtests: error: refusing to replace symlink .*out2\/loadtests \(hint: .*\)\n$/);
    expect(readdirSync(path.join(dir, 'out2'))).toEqual(['loadtests']); // collector/ and dashboards/ not swapped in either
    expect(readdirSync(path.join(dir, 'elsewhere'))).toEqual([]);
    // the real process: exit 2, one line, no stack trace
    const p = spawnSync(process.execPath, [CLI_JS, 'generate', '--manifest', 'm.yaml', '--out', 'out2'], { cwd: dir, encoding: 'utf8', timeout: 20_000 });
    expect(p.status).toBe(2);
    expect(p.stderr).toMatch(/^loadtests: error: refusing to replace symlink [^\n]*\(hint: [^\n]*\)\n$/);
    expect(readdirSync(path.join(dir, 'out2'))).toEqual(['loadtests']);
  });
});

describe('hostile input: secrets, TLS and bind addresses in the artifacts', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('platform-hostile-')));
  afterEach(() => cleanup());

  it('a literal credential anywhere a header goes is refused with an env-reference hint', () => {
    for (const backend of [
      'metrics: { type: prometheus-remote-write, endpoint: "https://p:9090/api/v1/write"',
      'traces: { type: tempo, endpoint: "tempo:4317"',
      'logs: { type: loki, endpoint: "https://loki:3100/otlp"',
    ]) {
      writeFileSync(path.join(dir, 'm.yaml'), `backends:\n  ${backend}, headers: { X-Api-Key: "s3cr3t-s3cr3t-s3cr3t-s3cr3t-1" } }\n${MINIMAL}`);
      const r = cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /headers\.X-Api-Key: literal credential in header\n\s+hint: reference an environment variable instead, e\.g\. X-Api-Key: "\$\{env:X_API_KEY\}"/,
      );
    }
  });
  it('generated files carry ${env:...} references, never the values; remote exporters keep TLS; receivers bind where the manifest says', () => {
    const manifest = EXAMPLE.replace('grpcEndpoint: 127.0.0.1:4317', 'grpcEndpoint: 127.0.0.1:14317').replace(
      'httpEndpoint: 127.0.0.1:4318',
      'httpEndpoint: 127.0.0.1:14318',
    );
    expect(manifest).not.toBe(EXAMPLE);
    writeFileSync(path.join(dir, 'm.yaml'), manifest);
    expect(cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir).code).toBe(0);
    const files = snapshot(path.join(dir, 'out'));
    for (const [f, text] of Object.entries(files))
      expect(text, f).not.toMatch(/Bearer (?!\$\{env:|\$__env\{)|Basic (?!\$\{env:|\$__env\{)|:\/\/[^/\s"]*:[^/\s"]*@/);
    const agent = yamlParse(files['collector/agent.yaml'] as string) as Json;
    const otlp = (agent['receivers'] as Json)['otlp'] as { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } };
    expect(otlp.protocols.grpc.endpoint).toBe('127.0.0.1:14317');
    expect(otlp.protocols.http.endpoint).toBe('127.0.0.1:14318');
    const gateway = yamlParse(files['collector/gateway.yaml'] as string) as Json;
    for (const [name, exp] of Object.entries(gateway['exporters'] as Record<string, Json>)) {
      if (name === 'debug' || !exp || !('endpoint' in exp)) continue;
      expect((exp['tls'] as Json | undefined)?.['insecure'] ?? false, name).toBe(false);
    }
  });
  it('default binds: the agent node-local, the gateway on its service address, diagnostics on localhost', () => {
    writeFileSync(path.join(dir, 'm.yaml'), MINIMAL);
    expect(cli(['generate', '--manifest', 'm.yaml', '--out', 'out'], dir).code).toBe(0);
    const load = (role: string): Json => yamlParse(readFileSync(path.join(dir, `out/collector/${role}.yaml`), 'utf8')) as Json;
    const binds = (config: Json) => {
      const otlp = (config['receivers'] as Json)['otlp'] as { protocols: { grpc: { endpoint: string }; http: { endpoint: string } } };
      const prom = ((config['service'] as Json)['telemetry'] as { metrics: { readers: Array<{ pull: { exporter: { prometheus: { host: string } } } }> } })
        .metrics.readers[0]!.pull.exporter.prometheus;
      return [otlp.protocols.grpc.endpoint, otlp.protocols.http.endpoint, ((config['extensions'] as Json)['health_check'] as Json)['endpoint'], prom.host];
    };
    expect(binds(load('agent'))).toEqual(['127.0.0.1:4317', '127.0.0.1:4318', '127.0.0.1:13133', '127.0.0.1']);
    expect(binds(load('gateway'))).toEqual(['0.0.0.0:4317', '0.0.0.0:4318', '127.0.0.1:13133', '127.0.0.1']);
  });
});
