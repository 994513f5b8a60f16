import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppDefaults } from './resolve-config.js';

let cached: AppDefaults | undefined;

/** name/version of the application's package.json in process.cwd(), or {} (never throws). */
export function readAppPackage(): AppDefaults {
  if (cached) return cached;
  try {
    const pkg = JSON.parse(readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
    cached = {
      ...(typeof pkg.name === 'string' ? { name: pkg.name } : {}),
      ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}),
    };
  } catch {
    cached = {};
  }
  return cached;
}
