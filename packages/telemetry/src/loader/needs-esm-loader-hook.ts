import path from 'node:path';
import { findPackageScope } from '../config/read-app-package.js';

export interface EntryPoint {
  /** process.argv[1]: the script Node runs, undefined for `-e`/`-p`/REPL/stdin. */
  script: string | undefined;
  /** process.execArgv: `--input-type=module` makes `-e` code ESM. */
  execArgv: readonly string[];
  /** PLATFORM_ESM_LOADER_HOOK: `always`, `never` or unset (decide from the entry point). */
  override: string | undefined;
}

/**
 * Whether `--import @platform/telemetry/register` should register the import-in-the-middle
 * loader hook. The hook starts a loader thread and routes every later `import` through it,
 * which is most of what the register flag adds to start-up; a CommonJS application, whose
 * modules are all patched through `require`, does not need it. So the hook is registered when
 * the entry point is ESM (`.mjs`, or `.js` under `"type": "module"`, or `--input-type=module`),
 * when that cannot be told (the safe choice), or when PLATFORM_ESM_LOADER_HOOK=always; not
 * for a CommonJS entry, for `node -e` code, or with PLATFORM_ESM_LOADER_HOOK=never.
 */
export function needsEsmLoaderHook(entry: EntryPoint, readFile?: (file: string) => string): boolean {
  const override = entry.override?.trim().toLowerCase();
  if (override === 'always') return true;
  if (override === 'never') return false;
  if (entry.execArgv.some((a) => a === '--input-type=module' || a === '--experimental-default-type=module')) return true;
  if (entry.script === undefined || entry.script === '' || entry.script === '-') return false;
  const file = path.resolve(entry.script);
  const ext = path.extname(file);
  if (ext === '.mjs' || ext === '.mts') return true;
  if (ext === '.cjs' || ext === '.cts') return false;
  const scope = findPackageScope(path.dirname(file), readFile);
  if (scope === undefined) return false; // no package.json at all: CommonJS by default
  if (scope.pkg === null) return true; // unreadable package.json: cannot tell, so hook
  return scope.pkg.type === 'module';
}
