import { readFileSync } from 'node:fs';

/** The generator package's version, read from its package.json (src/ and dist/ sit at the same depth). */
export function generatorVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return String(pkg.version);
}
