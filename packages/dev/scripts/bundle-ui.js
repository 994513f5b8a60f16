// @ts-check
/**
 * Builds the UI into dist/ui: the Preact + htm app bundled and minified by esbuild into one
 * classic script (no runtime fetch of anything but this server), plus index.html and app.css.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist/ui');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(root, 'ui/src/main.ts')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2022'],
  legalComments: 'eof',
  logLevel: 'warning',
});
for (const file of ['index.html', 'app.css']) copyFileSync(path.join(root, 'ui', file), path.join(out, file));
