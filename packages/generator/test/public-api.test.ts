import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The package's public API, as the README's "Library API" section lists it. Adding or removing an
 * export is a deliberate change: update this list and that section together.
 */
const RUNTIME = [
  'EXIT',
  'ManifestError',
  'collectQueries',
  'formatIssue',
  'loadManifest',
  'renderAll',
  'renderFiles',
  'runCli',
  'runCliAsync',
  'substituteGrafanaVariables',
];
const TYPES = ['CliIo', 'ManifestIssue', 'PlatformModel', 'PromQuery', 'ServiceModel'];

const INDEX = fileURLToPath(new URL('../src/index.ts', import.meta.url));

describe('@platform/generator public API', () => {
  it('exports exactly these runtime names', async () => {
    expect(Object.keys(await import('../src/index.js')).sort()).toEqual(RUNTIME);
  });

  it('names exactly these values and types in src/index.ts (no export *, no declarations of its own)', () => {
    const source = ts.createSourceFile(INDEX, readFileSync(INDEX, 'utf8'), ts.ScriptTarget.Latest);
    const names: string[] = [];
    for (const node of source.statements) {
      const exported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      expect(exported && !ts.isExportDeclaration(node), `src/index.ts only re-exports: ${node.getText(source)}`).toBeFalsy();
      if (!ts.isExportDeclaration(node)) continue;
      expect(node.exportClause && ts.isNamedExports(node.exportClause), `named exports only: ${node.getText(source)}`).toBe(true);
      for (const e of (node.exportClause as ts.NamedExports).elements) names.push(e.name.text);
    }
    expect(names.sort()).toEqual([...RUNTIME, ...TYPES].sort());
  });
});
