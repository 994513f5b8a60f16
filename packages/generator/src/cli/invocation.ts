import { existsSync } from 'node:fs';
import path from 'node:path';

/** The generator's package name: `npx @platform/generator` cannot run anything else. */
export const PACKAGE_NAME = '@platform/generator';
const SCHEMA_IN_PACKAGE = 'schema/platform.schema.json';

/** `dir/node_modules/@platform/generator` for `dir` and each of its parents, nearest first. */
function installedPackageDirs(from: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    dirs.push(path.join(dir, 'node_modules', PACKAGE_NAME));
    if (path.dirname(dir) === dir) return dirs;
  }
}

/**
 * The command prefix that runs this generator from `cwd`, for the hints `init` prints:
 * - `npx @platform/generator` when the package is installed in `cwd` or a parent (npx runs the
 *   local copy; the scoped name cannot run the unrelated public `platform` package);
 * - the bare bin name (`platform`) when it ran from a directory on PATH (a global install);
 * - otherwise `node <the script that ran>`, which works wherever it ran.
 */
export function generatorCommand(input: { cwd: string; script: string | undefined; pathEnv: string | undefined }): string {
  if (installedPackageDirs(input.cwd).some((dir) => existsSync(path.join(dir, 'package.json')))) return `npx ${PACKAGE_NAME}`;
  const script = input.script;
  if (script === undefined) return `npx ${PACKAGE_NAME}`;
  const binDir = path.dirname(script);
  const onPath = (input.pathEnv ?? '').split(path.delimiter).some((p) => p !== '' && path.resolve(p) === binDir);
  if (onPath) return path.basename(script);
  return `node ${quoteIfNeeded(script)}`;
}

/**
 * `$schema` for a manifest written to `manifestPath`: the JSON Schema inside the installed
 * package (`node_modules/@platform/generator/schema/...`, nearest to the manifest), relative to
 * the manifest so the reference holds on every checkout; else relative to the schema of the
 * generator that is running (a workspace or a global install).
 */
export function schemaReference(manifestPath: string, runningSchemaPath: string): string {
  const from = path.dirname(manifestPath);
  const installed = installedPackageDirs(from)
    .map((dir) => path.join(dir, SCHEMA_IN_PACKAGE))
    .find((file) => existsSync(file));
  const target = installed ?? runningSchemaPath;
  return path.relative(from, target).split(path.sep).join('/');
}

function quoteIfNeeded(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}
