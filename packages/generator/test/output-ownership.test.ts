import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE_MANIFEST, cli, snapshot, tempDir } from './helpers.js';

const EXAMPLE = readFileSync(EXAMPLE_MANIFEST, 'utf8');
/** The example plus a second service, so a later run with the example alone has fewer services. */
const TWO_SERVICES = EXAMPLE.replace('services:\n', 'services:\n  - name: payments\n    port: 9090\n    slos: { availability: { objective: 99.5 } }\n');

const USER_FILES: Record<string, string> = {
  'dashboards/team-payments.json': '{ "title": "hand-written" }\n',
  'collector/custom-processors.yaml': 'processors:\n  attributes/team: {}\n',
  'dashboards/services/team/extra.json': '{}\n',
  'loadtests/helpers/auth.js': 'export const token = () => __ENV.TOKEN;\n',
};

describe('generate owns only what it wrote', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => {
    ({ dir, cleanup } = tempDir('platform-own-'));
    writeFileSync(path.join(dir, 'one.yaml'), EXAMPLE);
    writeFileSync(path.join(dir, 'two.yaml'), TWO_SERVICES);
  });
  afterEach(() => cleanup());

  const writeUserFiles = (): void => {
    for (const [rel, text] of Object.entries(USER_FILES)) {
      mkdirSync(path.dirname(path.join(dir, 'out', rel)), { recursive: true });
      writeFileSync(path.join(dir, 'out', rel), text, { mode: 0o640 });
    }
  };
  const expectUserFilesIntact = (): void => {
    for (const [rel, text] of Object.entries(USER_FILES)) {
      expect(readFileSync(path.join(dir, 'out', rel), 'utf8'), rel).toBe(text);
      expect(statSync(path.join(dir, 'out', rel)).mode & 0o777, rel).toBe(0o640);
    }
  };

  it("a user's files survive generate, re-generate with fewer services, and --check; each is reported once as kept", () => {
    writeUserFiles();
    const first = cli(['generate', '--manifest', 'two.yaml', '--out', 'out'], dir);
    expect(first.code, first.stderr).toBe(0);
    expectUserFilesIntact();
    for (const rel of Object.keys(USER_FILES)) expect(first.stdout).toContain(`kept ${rel} (not written by platform generate)\n`);
    expect(existsSync(path.join(dir, 'out/loadtests/payments.js'))).toBe(true);
    expect(readFileSync(path.join(dir, 'out/loadtests/.platform-generated'), 'utf8')).toMatch(/^payments\.js$/m);

    const fewer = cli(['generate', '--manifest', 'one.yaml', '--out', 'out'], dir);
    expect(fewer.code, fewer.stderr).toBe(0);
    expectUserFilesIntact();
    // exactly the files the previous run recorded for the dropped service are gone
    for (const gone of [
      'loadtests/payments.js',
      'dashboards/services/payments.json',
      'collector/prometheus-rules/payments.rules.yaml',
      'collector/prometheus-rules/payments.rules.test.yaml',
    ]) {
      expect(existsSync(path.join(dir, 'out', gone)), gone).toBe(false);
    }
    expect(existsSync(path.join(dir, 'out/loadtests/orders-service.js'))).toBe(true);

    const check = cli(['generate', '--manifest', 'one.yaml', '--out', 'out', '--check'], dir);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout + check.stderr).not.toContain('team-payments');
    expectUserFilesIntact();
  });

  it('--check reports a recorded file that is no longer generated as stale, never a user file', () => {
    expect(cli(['generate', '--manifest', 'two.yaml', '--out', 'out'], dir).code).toBe(0);
    writeUserFiles();
    const r = cli(['generate', '--manifest', 'one.yaml', '--out', 'out', '--check'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stale loadtests/payments.js');
    for (const rel of Object.keys(USER_FILES)) expect(r.stderr).not.toContain(rel);
  });

  it('a user file where the manifest now generates one is refused (exit 2, one line), never overwritten', () => {
    expect(cli(['generate', '--manifest', 'one.yaml', '--out', 'out'], dir).code).toBe(0);
    writeFileSync(path.join(dir, 'out/loadtests/payments.js'), '// mine\n');
    const before = snapshot(path.join(dir, 'out'));
    const r = cli(['generate', '--manifest', 'two.yaml', '--out', 'out'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^loadtests\/payments\.js: error: the manifest generates this file, but the file on disk was not written by platform generate \(hint: move or rename your file, .*\)\n$/,
    );
    expect(snapshot(path.join(dir, 'out'))).toEqual(before);
  });

  it('a record names files inside its own folder only: "../" lines are ignored', () => {
    expect(cli(['generate', '--manifest', 'one.yaml', '--out', 'out'], dir).code).toBe(0);
    writeFileSync(path.join(dir, 'out/keep.txt'), 'outside the owned folders');
    writeFileSync(path.join(dir, 'out/collector/mine.yaml'), 'x: 1\n');
    const record = path.join(dir, 'out/collector/.platform-generated');
    writeFileSync(record, `${readFileSync(record, 'utf8')}../keep.txt\n/etc/passwd\nprometheus-rules/../mine.yaml\n`);
    expect(cli(['generate', '--manifest', 'one.yaml', '--out', 'out'], dir).code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/keep.txt'), 'utf8')).toBe('outside the owned folders');
    expect(readFileSync(path.join(dir, 'out/collector/mine.yaml'), 'utf8')).toBe('x: 1\n');
  });
});
