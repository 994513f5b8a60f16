// CommonJS build of @platform/telemetry for `require()` on every Node the package supports
// (>= 20.6; require(esm) only arrived in 20.19 / 22.12). esbuild bundles each public entry from
// the TypeScript sources into dist/cjs/*.cjs: dependencies stay external `require()`s, except
// @platform/conventions, which is ESM-only and inlined (pure constants). `import.meta.url`
// becomes the bundle's own file URL. Module state the SDK keeps (handle, logger, registry, the
// HTTP server patch, reported routes) lives under Symbol.for keys on globalThis, so an app that
// loads both the ESM and the CJS entry still gets one SDK.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const inlined = new Set(['@platform/conventions']);
const external = Object.keys(pkg.dependencies).filter((name) => !inlined.has(name));

const result = await build({
  entryPoints: ['index', 'register', 'conventions'].map((name) => path.join(root, 'src', `${name}.ts`)),
  outdir: path.join(root, 'dist/cjs'),
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20.6',
  external: [...external, ...external.map((name) => `${name}/*`)],
  define: { 'import.meta.url': '__platformOwnUrl' },
  banner: { js: "'use strict';\nconst __platformOwnUrl = require('node:url').pathToFileURL(__filename).href;" },
  sourcemap: true,
  logLevel: 'warning',
  write: false,
});
// Only changed files are written: tests that run the CJS build are never handed a half-written file.
for (const file of result.outputFiles) {
  if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) continue;
  mkdirSync(path.dirname(file.path), { recursive: true });
  writeFileSync(file.path, file.contents);
}
