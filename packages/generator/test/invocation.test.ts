import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generatorCommand, schemaReference } from '../src/cli/invocation.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'platform-invocation-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function installGenerator(project: string): string {
  const pkg = path.join(project, 'node_modules/@platform/generator');
  mkdirSync(path.join(pkg, 'schema'), { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), '{"name":"@platform/generator"}');
  writeFileSync(path.join(pkg, 'schema/platform.schema.json'), '{}');
  return pkg;
}

describe('generatorCommand (what init tells the user to run next)', () => {
  it('is `npx @platform/generator` inside a project that has the package installed (in cwd or a parent)', () => {
    installGenerator(dir);
    mkdirSync(path.join(dir, 'services/orders'), { recursive: true });
    const script = path.join(dir, 'node_modules/.bin/generator');
    expect(generatorCommand({ cwd: dir, script, pathEnv: '' })).toBe('npx @platform/generator');
    expect(generatorCommand({ cwd: path.join(dir, 'services/orders'), script, pathEnv: '' })).toBe('npx @platform/generator');
  });

  it('is the bin name for a global install (its directory on PATH), else `node <script>`', () => {
    const bin = path.join(dir, 'global/bin');
    const script = path.join(bin, 'platform');
    expect(generatorCommand({ cwd: dir, script, pathEnv: ['/usr/bin', bin].join(path.delimiter) })).toBe('platform');
    const cached = path.join(dir, 'npx cache/node_modules/.bin/generator');
    expect(generatorCommand({ cwd: dir, script: cached, pathEnv: '/usr/bin' })).toBe(`node '${cached}'`);
  });
});

describe('schemaReference ($schema of the starter manifest)', () => {
  it('points at the schema inside the installed package, relative to the manifest', () => {
    installGenerator(dir);
    const manifest = path.join(dir, 'deploy/platform.yaml');
    expect(schemaReference(manifest, '/elsewhere/schema/platform.schema.json')).toBe('../node_modules/@platform/generator/schema/platform.schema.json');
    expect(schemaReference(path.join(dir, 'platform.yaml'), '/elsewhere/x.json')).toBe('node_modules/@platform/generator/schema/platform.schema.json');
  });

  it('falls back to the running generator’s schema when the package is not installed near the manifest', () => {
    const running = path.join(dir, 'tools/generator/schema/platform.schema.json');
    expect(schemaReference(path.join(dir, 'app/platform.yaml'), running)).toBe('../tools/generator/schema/platform.schema.json');
  });
});
