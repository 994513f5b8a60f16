#!/usr/bin/env node
// `platform` CLI entry. A committed file, so npm links the bin at install time even before the
// TypeScript build has produced dist/ (then it says how to build instead of failing obscurely).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('platform: not built yet; run `npm run build` in the repository first\n');
  process.exitCode = 2;
} else {
  await import(cli.href);
}
