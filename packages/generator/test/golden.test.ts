import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../src/manifest/validate.js';
import { TARGET_SETS } from '../src/targets/index.js';
import { cli, exampleModel, snapshot, tempDir } from './helpers.js';

/**
 * Golden output: each test/fixtures/<case>/platform.yaml generates exactly the tree in
 * <case>/expected/ (every file byte for byte, the .platform-generated records included), every
 * target set into the same --out (the plain set's folders with the kubernetes set's inside them).
 * After an intended output change, refresh with
 *   PLATFORM_UPDATE_GOLDEN=1 npx vitest run packages/generator/test/golden.test.ts
 * and review the diff of expected/ like any other change.
 */
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const CASES = readdirSync(FIXTURES).filter((c) => existsSync(path.join(FIXTURES, c, 'platform.yaml')));
const UPDATE = process.env['PLATFORM_UPDATE_GOLDEN'] === '1';

describe('golden output (test/fixtures/<case>/{platform.yaml,expected/})', () => {
  it('covers the example manifest and the varied shape', () => {
    expect(CASES).toEqual(expect.arrayContaining(['example', 'varied']));
  });

  it('the example case is examples/platform.yaml (same resolved model)', () => {
    const fixture = path.join(FIXTURES, 'example/platform.yaml');
    expect(loadManifest(readFileSync(fixture, 'utf8'), fixture), 'copy examples/platform.yaml to the fixture and refresh expected/').toEqual(exampleModel());
  });

  for (const name of CASES) {
    it(`${name}: generate writes exactly expected/`, () => {
      const manifest = path.join(FIXTURES, name, 'platform.yaml');
      const expectedDir = path.join(FIXTURES, name, 'expected');
      const generateAll = (out: string, cwd: string): void => {
        for (const set of TARGET_SETS) {
          const r = cli(['generate', '--manifest', manifest, '--out', out, '--target', set.name], cwd);
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout, 'no file of another target set is reported as kept').not.toContain('kept');
        }
      };
      if (UPDATE) generateAll(expectedDir, FIXTURES);
      const { dir, cleanup } = tempDir('platform-golden-');
      try {
        generateAll(dir, dir);
        const actual = snapshot(dir);
        const expected = snapshot(expectedDir);
        expect(Object.keys(expected).length, `no expected/ for ${name}: run with PLATFORM_UPDATE_GOLDEN=1`).toBeGreaterThan(0);
        expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
        for (const [rel, content] of Object.entries(expected)) expect(actual[rel], `${name}/expected/${rel}`).toBe(content);
      } finally {
        cleanup();
      }
    });
  }
});
