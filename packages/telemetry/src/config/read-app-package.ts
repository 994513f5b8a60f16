import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppDefaults } from './resolve-config.js';

type ReadFile = (file: string) => string;
const readUtf8: ReadFile = (file) => readFileSync(file, 'utf8');

/** A package.json's fields; null when the file exists but is not a JSON object. */
export type PackageJson = Record<string, unknown> | null;

function readPackageJson(dir: string, readFile: ReadFile): PackageJson | undefined {
  let text: string;
  try {
    text = readFile(path.join(dir, 'package.json'));
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The package.json nearest above `fromDir`, as Node looks for a file's package scope (it does
 * not look past a node_modules folder); undefined when there is none.
 */
export function findPackageScope(fromDir: string, readFile: ReadFile = readUtf8): { dir: string; pkg: PackageJson } | undefined {
  for (let dir = fromDir; path.basename(dir) !== 'node_modules'; dir = path.dirname(dir)) {
    const pkg = readPackageJson(dir, readFile);
    if (pkg !== undefined) return { dir, pkg };
    if (path.dirname(dir) === dir) break;
  }
  return undefined;
}

let cached: AppDefaults | undefined;

/**
 * name/version of the application's package.json: the nearest one above the entry script
 * (`node dist/server.js` in a workspace or a container's /app), else the one in process.cwd();
 * {} when there is none (never throws).
 */
export function readAppPackage(): AppDefaults {
  if (cached) return cached;
  const entry = process.argv[1];
  const scope = entry ? findPackageScope(path.dirname(path.resolve(entry))) : undefined;
  const pkg = scope ? scope.pkg : readPackageJson(process.cwd(), readUtf8);
  cached = {
    ...(typeof pkg?.name === 'string' ? { name: pkg.name } : {}),
    ...(typeof pkg?.version === 'string' ? { version: pkg.version } : {}),
  };
  return cached;
}
