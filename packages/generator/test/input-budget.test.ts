import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lexer } from 'yaml';
import { MAX_DEPTH, MAX_MANIFEST_BYTES, MAX_YAML_TOKENS } from '../src/manifest/input-budget.js';
import { MINIMAL, REPO_ROOT, tempDir } from './helpers.js';

const CLI_JS = path.join(REPO_ROOT, 'packages/generator/dist/cli.js');
const PRELOAD = path.join(REPO_ROOT, 'packages/generator/test/support/report-resource-usage.cjs');
/** The budget every input is held to (README "Bad input"): CPU time and peak RSS of the CLI process. */
const MAX_CPU_MS = 2_000;
const MAX_RSS_MB = 256;
const NEAR_CAP = Math.floor(4.9 * 1024 * 1024);
const TOKENS = MAX_YAML_TOKENS.toLocaleString('en-US');

interface Run {
  code: number | null;
  stderr: string;
  stdout: string;
  cpuMs: number;
  rssMb: number;
  wallMs: number;
}

/** Runs the real CLI (dist/cli.js) in a child process and measures it from inside the child. */
function runCli(dir: string, manifest: string, command: 'generate' | 'validate' = 'generate'): Run {
  const usage = path.join(dir, 'usage.json');
  rmSync(usage, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', PRELOAD, CLI_JS, command, '--manifest', manifest, ...(command === 'generate' ? ['--out', 'out'] : [])], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PLATFORM_TEST_USAGE_FILE: usage },
  });
  const wallMs = performance.now() - t0;
  const u = JSON.parse(readFileSync(usage, 'utf8')) as { maxRssKiB: number; cpuMicros: number };
  return { code: r.status, stderr: r.stderr, stdout: r.stdout, cpuMs: u.cpuMicros / 1000, rssMb: u.maxRssKiB / 1024, wallMs };
}

const aliased = (value: string): string => `a: &a ${value}\nb: [${Array.from({ length: 99 }, () => '*a').join(', ')}]\n${MINIMAL}`;

/** The reproductions from the security review (all under the 5 MB file cap), plus shapes found while fixing them. */
const CASES: ReadonlyArray<[name: string, write: (file: string) => void, message: RegExp]> = [
  [
    'a 4.9 MB anchored string aliased 99 times',
    (f) => writeFileSync(f, aliased(`"${'x'.repeat(NEAR_CAP)}"`)),
    /:1:7: error: \(root\): a value longer than 1 MB/,
  ],
  ['the same with backslashes', (f) => writeFileSync(f, aliased(`"${'\\\\'.repeat(NEAR_CAP / 2)}"`)), /:1:7: error: \(root\): a value longer than 1 MB/],
  [
    'a 0.9 MB plain string aliased 99 times (under the value cap, over the expanded-text cap)',
    (f) => writeFileSync(f, aliased('x'.repeat(900 * 1024))),
    /:2:\d+: error: \(root\): with its aliases expanded the manifest has more than 10 MB of text/,
  ],
  ['4.9 MB of "["', (f) => writeFileSync(f, '['.repeat(NEAR_CAP)), new RegExp(`:1:${MAX_DEPTH}: error: \\(root\\): nesting deeper than ${MAX_DEPTH} levels`)],
  ['a line of "- - - …"', (f) => writeFileSync(f, `${'- '.repeat(NEAR_CAP / 2)}x\n`), /:1:\d+: error: \(root\): nesting deeper than 64 levels/],
  [
    'an 800k-item flow sequence',
    (f) => writeFileSync(f, `a: [${Array.from({ length: 800_000 }, () => '1').join(', ')}]\n${MINIMAL}`),
    new RegExp(`:1:\\d+: error: \\(root\\): manifest has more than ${TOKENS} YAML tokens`),
  ],
  [
    'a mapping with 100,000 keys',
    (f) => writeFileSync(f, `${Array.from({ length: 100_000 }, (_, i) => `k${i}: 1`).join('\n')}\n${MINIMAL}`),
    new RegExp(`:\\d+:\\d+: error: \\(root\\): manifest has more than ${TOKENS} YAML tokens`),
  ],
  [
    'a mapping with 20,000 unknown keys (the yaml library checks duplicates pairwise; each problem costs a position lookup)',
    (f) => writeFileSync(f, `${Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n')}\n${MINIMAL}`),
    /:1:1: error: k0: unknown key "k0"[^]*\n100 problem\(s\) \(and 19900 more not listed\); nothing written\.\n$/,
  ],
  [
    '4.9 MB of double-quoted text in 64 kB values',
    (f) => writeFileSync(f, `${Array.from({ length: 78 }, (_, i) => `k${i}: "${'y'.repeat(64 * 1024)}"`).join('\n')}\n`),
    /:\d+:\d+: error: \(root\): more than 1 MB of double-quoted text/,
  ],
  ['a symlink to /dev/zero', (f) => symlinkSync('/dev/zero', f), /:1:1: error: \(root\): manifest is a character device, not a regular file/],
  ['a FIFO nobody writes to', (f) => spawnSync('mkfifo', [f]), /:1:1: error: \(root\): manifest is a FIFO, not a regular file/],
  ['a directory', (f) => mkdirSync(f), /:1:1: error: \(root\): manifest is a directory, not a regular file/],
];

describe(`input budget: every hostile manifest is refused with exit 2 and file:line:col within ${MAX_CPU_MS} ms CPU and ${MAX_RSS_MB} MB (real CLI, measured in the child)`, () => {
  let dir: string;
  let cleanup: () => void;
  const measured: string[] = [];
  beforeAll(() => ({ dir, cleanup } = tempDir('platform-budget-')));
  afterAll(() => {
    console.log(`input budget (CPU ms / peak RSS MB / wall ms):\n${measured.join('\n')}`);
    cleanup();
  });

  CASES.forEach(([name, write, message], i) => {
    it(
      name,
      () => {
        const file = `m${i}.yaml`;
        write(path.join(dir, file));
        if (name.includes('FIFO') && !existsSync(path.join(dir, file))) return void console.warn('skipping: mkfifo not available');
        const r = runCli(dir, file);
        measured.push(`  ${name}: ${Math.round(r.cpuMs)} / ${Math.round(r.rssMb)} / ${Math.round(r.wallMs)}`);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(new RegExp(`^m${i}\\.yaml${message.source}`));
        expect(r.stderr).not.toMatch(/^ {4}at |internal error/m);
        expect(r.stdout).toBe('');
        expect(existsSync(path.join(dir, 'out'))).toBe(false);
        expect(r.cpuMs).toBeLessThan(MAX_CPU_MS);
        expect(r.rssMb).toBeLessThan(MAX_RSS_MB);
      },
      60_000,
    );
  });

  it('the largest manifest the token cap admits (1,550 services, each with 4 endpoints and 2 SLOs) is valid and parses within the memory budget', () => {
    const lines = ['services:'];
    for (let i = 0; i < 1_550; i++) {
      lines.push(
        `  - name: svc-${i}`,
        `    port: ${10000 + i}`,
        '    endpoints:',
        '      - { method: GET, route: /items }',
        '      - { method: GET, route: "/items/:id" }',
        '      - { method: POST, route: /items, expectedStatus: 201 }',
        '      - { method: DELETE, route: "/items/:id", expectedStatus: 204 }',
        '    slos:',
        '      availability: { objective: 99.9, window: 30d }',
        '      latency: { objective: "p95 < 250ms", window: 30d }',
      );
    }
    const text = `${lines.join('\n')}\n`;
    const tokens = [...new Lexer().lex(text)].length;
    expect(tokens).toBeLessThanOrEqual(MAX_YAML_TOKENS);
    expect(tokens).toBeGreaterThan(0.9 * MAX_YAML_TOKENS);
    writeFileSync(path.join(dir, 'largest.yaml'), text);
    const r = runCli(dir, 'largest.yaml', 'validate');
    measured.push(`  largest accepted manifest (${tokens} tokens), validate: ${Math.round(r.cpuMs)} / ${Math.round(r.rssMb)} / ${Math.round(r.wallMs)}`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.rssMb).toBeLessThan(MAX_RSS_MB);
  }, 60_000);

  it('a valid manifest at the file cap with a long comment is still read (the cap is on bytes, not on comments)', () => {
    const text = `# ${'c'.repeat(MAX_MANIFEST_BYTES - MINIMAL.length - 10)}\n${MINIMAL}`;
    writeFileSync(path.join(dir, 'big-comment.yaml'), text);
    const r = runCli(dir, 'big-comment.yaml', 'validate');
    expect(r.code, r.stderr).toBe(0);
    expect(r.cpuMs).toBeLessThan(MAX_CPU_MS);
    expect(r.rssMb).toBeLessThan(MAX_RSS_MB);
  }, 60_000);
});
