import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderAll } from '../src/generate.js';
import { loadManifest } from '../src/manifest/validate.js';
import { safeJoin } from '../src/write.js';
import { EXAMPLE_MANIFEST, MINIMAL, REPO_ROOT, cli, snapshot, tempDir } from './helpers.js';

describe('platform CLI', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir());
    writeFileSync(path.join(dir, 'platform.yaml'), readFileSync(EXAMPLE_MANIFEST, 'utf8'));
  });
  afterEach(() => cleanup());

  it('--help on each command exits 0; no command or unknown flags exit 2', () => {
    for (const c of ['validate', 'generate', 'init']) {
      const r = cli([c, '--help'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: platform ${c}`);
    }
    expect(cli(['--help'], dir).code).toBe(0);
    expect(cli([], dir).code).toBe(2);
    expect(cli(['generate', '--bogus'], dir).code).toBe(2);
    expect(cli(['frobnicate'], dir).code).toBe(2);
    expect(cli(['validate', '--manifest', 'missing.yaml'], dir).code).toBe(2);
  });

  it('--version and -v print the package version', () => {
    const { version } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'packages/generator/package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) expect(cli([flag], dir)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('a usage error is one line plus where to read more: the subcommand and its help, never the top-level usage', () => {
    const cases: Array<[string[], string]> = [
      [['generate', '--out'], 'platform generate: --out needs a value\nsee: platform generate --help\n'],
      [['validate', '--bogus'], 'platform validate: unknown option --bogus\nsee: platform validate --help\n'],
      [['--manifest', 'x.yaml', 'init', 'extra'], 'platform init: unexpected argument extra\nsee: platform init --help\n'],
      [
        ['validate', '--manifest', 'missing.yaml'],
        'platform validate: cannot read manifest missing.yaml (run "platform init" to create one)\nsee: platform validate --help\n',
      ],
      [['init', '--manifest', 'platform.yaml'], 'platform init: platform.yaml already exists; not overwriting it\nsee: platform init --help\n'],
      [['generat'], 'platform: unknown command "generat" (did you mean "generate"?)\nsee: platform --help\n'],
      [['--bogus'], 'platform: unknown option --bogus\nsee: platform --help\n'],
    ];
    for (const [argv, stderr] of cases) expect(cli(argv, dir), argv.join(' ')).toEqual({ code: 2, stdout: '', stderr });
  });

  it('validate: 0 on the example, 2 with file:line:col, path and hint on a bad manifest', () => {
    expect(cli(['validate'], dir)).toMatchObject({ code: 0 });
    writeFileSync(path.join(dir, 'bad.yaml'), 'services:\n  - name: api\n    prot: 8080\n    slos: { availability: { objective: 99.9 } }\n');
    const r = cli(['validate', '--manifest', 'bad.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.yaml:3:5: error: services[0].prot: unknown key "prot"');
    expect(r.stderr).toContain('hint: did you mean "port"?');
  });

  it('generate writes all artifacts; a bad manifest writes nothing and exits 2', () => {
    writeFileSync(path.join(dir, 'bad.yaml'), MINIMAL.replace('99.5', '"high"'));
    const out = path.join(dir, 'out');
    expect(cli(['generate', '--manifest', 'bad.yaml', '--out', 'out'], dir).code).toBe(2);
    expect(existsSync(out)).toBe(false);
    const r = cli(['generate', '--out', 'out'], dir);
    expect(r.code).toBe(0);
    const files = Object.keys(snapshot(out)).sort();
    expect(files).toEqual([
      'collector/.platform-generated',
      'collector/README.md',
      'collector/agent.yaml',
      'collector/gateway.yaml',
      'collector/prometheus-rules/orders-service.rules.test.yaml',
      'collector/prometheus-rules/orders-service.rules.yaml',
      'dashboards/.platform-generated',
      'dashboards/overview.json',
      'dashboards/provisioning/dashboards/platform.yaml',
      'dashboards/provisioning/datasources/platform.yaml',
      'dashboards/services/orders-service.json',
      'loadtests/.platform-generated',
      'loadtests/ci/catalog/catalog-info.yaml',
      'loadtests/ci/catalog/orders-service/catalog-info.yaml',
      'loadtests/ci/github/platform-loadtests.yml',
      'loadtests/ci/gitlab/fetch-nightly-baseline.mjs',
      'loadtests/ci/gitlab/platform-loadtests.gitlab-ci.yml',
      'loadtests/orders-service.js',
    ]);
    // an invalid manifest later leaves the previous output untouched
    const before = snapshot(out);
    expect(cli(['generate', '--manifest', 'bad.yaml', '--out', 'out'], dir).code).toBe(2);
    expect(snapshot(out)).toEqual(before);
  });

  it('is deterministic: two runs are byte-identical, files end with a newline, no timestamps', () => {
    cli(['generate', '--out', 'a'], dir);
    cli(['generate', '--out', 'b'], dir);
    const a = snapshot(path.join(dir, 'a'));
    expect(a).toEqual(snapshot(path.join(dir, 'b')));
    for (const [f, content] of Object.entries(a)) {
      expect(content.endsWith('\n'), f).toBe(true);
      expect(content, f).not.toMatch(/20[0-9]{2}-[01][0-9]-[0-3][0-9]T/);
    }
  });

  it('--check passes on clean output, exits 1 with a diff on drift and on stale files, writes nothing', () => {
    const twoServices = readFileSync(EXAMPLE_MANIFEST, 'utf8').replace(
      'services:\n',
      'services:\n  - name: old-service\n    port: 9999\n    slos: { availability: { objective: 99 } }\n',
    );
    writeFileSync(path.join(dir, 'two.yaml'), twoServices);
    cli(['generate', '--manifest', 'two.yaml', '--out', 'out'], dir);
    expect(existsSync(path.join(dir, 'out/loadtests/old-service.js'))).toBe(true);
    cli(['generate', '--out', 'out'], dir);
    expect(cli(['generate', '--out', 'out', '--check'], dir).code).toBe(0);
    const rules = path.join(dir, 'out/collector/prometheus-rules/orders-service.rules.yaml');
    const edited = readFileSync(rules, 'utf8').replace('> 0.0144', '> 0.5');
    writeFileSync(rules, edited);
    // the record names what generate owns: a recorded file no longer generated is stale
    cli(['generate', '--manifest', 'two.yaml', '--out', 'two'], dir);
    writeFileSync(path.join(dir, 'out/loadtests/old-service.js'), readFileSync(path.join(dir, 'two/loadtests/old-service.js')));
    writeFileSync(path.join(dir, 'out/loadtests/.platform-generated'), readFileSync(path.join(dir, 'two/loadtests/.platform-generated')));
    const r = cli(['generate', '--out', 'out', '--check'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('--- a/collector/prometheus-rules/orders-service.rules.yaml');
    expect(r.stdout).toMatch(/^-.*> 0\.5$/m);
    expect(r.stdout).toMatch(/^\+.*> 0\.0144$/m);
    expect(r.stderr).toContain('stale loadtests/old-service.js');
    expect(readFileSync(rules, 'utf8')).toBe(edited);
    // regenerating fixes the drift and removes the stale file
    expect(cli(['generate', '--out', 'out'], dir).code).toBe(0);
    expect(cli(['generate', '--out', 'out', '--check'], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'out/loadtests/old-service.js'))).toBe(false);
  });

  it('init writes a commented starter manifest that validates, and refuses to overwrite', () => {
    const r = cli(['init', '--manifest', 'new/platform.yaml'], dir);
    expect(r.code).toBe(0);
    const text = readFileSync(path.join(dir, 'new/platform.yaml'), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=.*platform\.schema\.json/);
    expect(() => loadManifest(text, 'new/platform.yaml')).not.toThrow();
    expect(cli(['init', '--manifest', 'new/platform.yaml'], dir).code).toBe(2);
    expect(readFileSync(path.join(dir, 'new/platform.yaml'), 'utf8')).toBe(text);
  });

  it('never resolves an output path outside --out or outside the owned folders', () => {
    expect(() => safeJoin(dir, '../escape.yaml')).toThrow();
    expect(() => safeJoin(dir, 'collector/../../escape.yaml')).toThrow();
    expect(() => safeJoin(dir, '/etc/passwd')).toThrow();
    expect(() => safeJoin(dir, 'src/index.ts')).toThrow();
    expect(safeJoin(dir, 'collector/agent.yaml')).toBe(path.join(dir, 'collector/agent.yaml'));
  });

  it('leaves other content of --out alone', () => {
    mkdirSync(path.join(dir, 'out/src'), { recursive: true });
    writeFileSync(path.join(dir, 'out/src/keep.ts'), 'keep');
    cli(['generate', '--out', 'out'], dir);
    expect(readFileSync(path.join(dir, 'out/src/keep.ts'), 'utf8')).toBe('keep');
    expect(readdirSync(path.join(dir, 'out')).filter((f) => f.startsWith('.platform-tmp'))).toEqual([]);
  });
});

describe('committed artifacts', () => {
  it('collector/, dashboards/, loadtests/ in the repo match examples/platform.yaml', () => {
    const r = cli(['generate', '--manifest', 'examples/platform.yaml', '--out', '.', '--check'], REPO_ROOT);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  // Speed at scale is measured in bench/ (figure "generator"), never timed in a unit test.
  it('renders a 300-service manifest into one dashboard, rule set, rule test, k6 script and catalog entry per service', () => {
    const lines = ['services:'];
    for (let i = 0; i < 300; i++)
      lines.push(
        `  - { name: svc-${i}, port: ${10000 + i}, endpoints: [{ method: GET, route: /items }, { method: GET, route: "/items/:id" }], slos: { availability: { objective: 99.9 }, latency: { objective: "p95 < 250ms" } } }`,
      );
    const files = renderAll(loadManifest(lines.join('\n'), 'big.yaml'));
    // + agent, gateway, collector README, overview, 2 provisioning files, 2 pipelines, the baseline script, the catalog Location
    expect(files.size).toBe(300 * 5 + 10);
    for (const i of [0, 150, 299]) {
      expect(files.has(`dashboards/services/svc-${i}.json`)).toBe(true);
      expect(files.has(`loadtests/svc-${i}.js`)).toBe(true);
      expect(files.has(`loadtests/ci/catalog/svc-${i}/catalog-info.yaml`)).toBe(true);
    }
  });
});
