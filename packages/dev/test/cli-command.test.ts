/**
 * `platform dev` through the real `platform` binary: usage errors and manifest errors exit 2
 * before anything listens (manifest problems as file:line:col from the generator's loader), help
 * exits 0, and the top-level usage lists the command.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/platform-dev-process.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'packages/generator/dist/cli.js');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'platform-dev-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function platform(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: tmp, timeout: 15_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('platform dev (CLI)', () => {
  it('a bad manifest: file:line:col from the generator, exit 2, nothing started', async () => {
    writeFileSync(path.join(tmp, 'bad.yaml'), 'services:\n  - name: orders\n    slos:\n      availability: { objective: 140, window: 30d }\n');
    const r = await platform('dev', '--manifest', 'bad.yaml', '--port', '127.0.0.1:0', '--ui', '127.0.0.1:0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bad\.yaml:\d+:\d+: error: /m);
    expect(r.stderr).toContain('platform dev not started');
    expect(r.stdout).not.toContain('open http');
  });

  it('a missing manifest, bad flags: exit 2 with the reason', async () => {
    expect((await platform('dev', '--manifest', 'nope.yaml')).stderr).toContain('cannot read manifest nope.yaml');
    const flags = await platform('dev', '--port', 'not-a-port');
    expect(flags.code).toBe(2);
    expect(flags.stderr).toContain('--port needs [HOST:]PORT');
  });

  it('--help exits 0 with the flags; the top-level usage lists dev, also after options', async () => {
    const help = await platform('dev', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--max-spans N');
    expect((await platform('--help')).stdout).toMatch(/^ {2}dev {8}/m);
    const late = await platform('--manifest', 'nope.yaml', 'dev');
    expect(late.stderr).toContain('cannot read manifest nope.yaml');
  });
});
