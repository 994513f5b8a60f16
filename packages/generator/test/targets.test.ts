import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderAll, renderFiles } from '../src/generate.js';
import { collectQueries } from '../src/queries.js';
import { OUTPUT_ROOTS, TARGETS } from '../src/targets/index.js';
import { safeJoin } from '../src/write.js';
import { cli, exampleModel, tempDir, variedModel } from './helpers.js';

/** Every `expr` value in a parsed rules file or dashboard (YAML parses JSON too). */
function exprsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(exprsIn);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === 'expr' && typeof v === 'string' ? [v] : exprsIn(v)));
}

const MODELS = { example: exampleModel(), varied: variedModel() };

describe('output targets (src/targets/index.ts is the one list)', () => {
  it('have unique names; the owned folders are exactly their roots, in list order', () => {
    expect(new Set(TARGETS.map((t) => t.name)).size).toBe(TARGETS.length);
    expect(OUTPUT_ROOTS).toEqual(['collector', 'dashboards', 'loadtests']);
    expect([...new Set(TARGETS.map((t) => t.root))]).toEqual(OUTPUT_ROOTS);
  });

  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: generate writes each target's files under its root, no path twice, all inside the owned folders`, () => {
      const expected = TARGETS.flatMap((t) => [...t.files(model)].map(([file]) => `${t.root}/${file}`));
      const paths = [...renderFiles(model)].map(([p]) => p);
      expect(paths).toEqual(expected);
      expect(new Set(paths).size).toBe(paths.length);
      const { dir, cleanup } = tempDir();
      try {
        for (const p of paths) expect(() => safeJoin(dir, p)).not.toThrow();
      } finally {
        cleanup();
      }
    });

    it(`${name}: every query a target reports is in a file that target writes, as written there`, () => {
      const files = renderAll(model);
      const queries = collectQueries(model);
      expect(queries.length).toBeGreaterThan(0);
      const written = new Map<string, string[]>();
      for (const q of queries) {
        const content = files.get(q.file);
        expect(content, `${q.file} (${q.source}) is not generated`).toBeDefined();
        if (!written.has(q.file)) written.set(q.file, exprsIn(parse(content ?? '')));
        expect(written.get(q.file), `${q.file}: ${q.source}`).toContain(q.expr);
      }
      expect(new Set(queries.map((q) => q.kind))).toEqual(new Set(['dashboard', 'recording-rule', 'alerting-rule']));
    });
  }

  it('the CLI help names every target with its folder and description', () => {
    const { dir, cleanup } = tempDir();
    try {
      const help = cli(['generate', '--help'], dir).stdout;
      for (const t of TARGETS) expect(help).toMatch(new RegExp(`^  ${t.name} +${t.root}/ +${t.describe}$`, 'm'));
      const usage = cli(['--help'], dir).stdout;
      expect(usage).toContain(`generate   Write ${OUTPUT_ROOTS.map((r) => `${r}/`).join(', ')} from the manifest`);
    } finally {
      cleanup();
    }
  });
});
