import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppDefaults } from './resolve-config.js';

let cached: AppDefaults | undefined;

/** Directories to look in for the application's package.json, nearest first. */
function candidateDirs(): string[] {
  const dirs: string[] = [];
  const entry = process.argv[1];
  if (entry) {
    // Walk up from the entry script (`node dist/server.js` in a workspace or a container's /app).
    for (let dir = path.dirname(path.resolve(entry)); ; dir = path.dirname(dir)) {
      if (path.basename(dir) === 'node_modules') break;
      dirs.push(dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  dirs.push(process.cwd());
  return dirs;
}

/**
 * name/version of the application's package.json: the nearest one above the entry script,
 * else the one in process.cwd(); {} when there is none (never throws).
 */
export function readAppPackage(): AppDefaults {
  if (cached) return cached;
  cached = {};
  for (const dir of candidateDirs()) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, 'package.json'), 'utf8');
    } catch {
      continue;
    }
    try {
      const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
      cached = {
        ...(typeof pkg.name === 'string' ? { name: pkg.name } : {}),
        ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}),
      };
    } catch {
      /* unreadable package.json: no defaults from it */
    }
    break;
  }
  return cached;
}
