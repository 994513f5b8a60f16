import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ManifestError, OutputError, UsageError, formatIssue, formatOutputError } from '../errors.js';
import { renderAll, renderFiles } from '../generate.js';
import { didYouMean } from '../manifest/did-you-mean.js';
import { readManifestFile } from '../manifest/read-manifest-file.js';
import { MANIFEST_SCHEMA_PATH } from '../manifest/schema.js';
import { loadManifest } from '../manifest/validate.js';
import type { PlatformModel } from '../model.js';
import { DEFAULT_TARGET_SET, OUTPUT_ROOTS, TARGET_SETS, type TargetSet } from '../targets/index.js';
import { checkArtifacts, writeArtifacts } from '../write.js';
import { starterManifest } from './init-template.js';
import { LOADTEST_HELP, runLoadtestCli } from './loadtest.js';
import { generatorCommand, schemaReference } from './invocation.js';
import { generatorVersion } from './version.js';

export const EXIT = { ok: 0, drift: 1, badInput: 2 } as const;

export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The owned output folders as `collector/, dashboards/ and loadtests/` (from the target list). */
const FOLDERS = OUTPUT_ROOTS.map((r) => `${r}/`);
const FOLDER_LIST = FOLDERS.length > 1 ? `${FOLDERS.slice(0, -1).join(', ')} and ${FOLDERS.at(-1)}` : (FOLDERS[0] ?? '');
const ALL_TARGETS = TARGET_SETS.flatMap((s) => s.targets);
const NAME_WIDTH = Math.max(...ALL_TARGETS.map((t) => t.name.length));
const FOLDER_WIDTH = Math.max(...ALL_TARGETS.map((t) => t.root.length + 1));
const TARGET_LINES = TARGET_SETS.map(
  (set) =>
    `--target ${set.name}: ${set.describe}\n${set.targets.map((t) => `  ${t.name.padEnd(NAME_WIDTH)}  ${`${t.root}/`.padEnd(FOLDER_WIDTH)}  ${t.describe}`).join('\n')}`,
).join('\n');
const SET_NAMES = TARGET_SETS.map((s) => s.name);

const USAGE = `Usage: platform <command> [options]

Commands:
  validate   Check the manifest (schema + semantic checks)
  generate   Write ${FOLDERS.join(', ')} from the manifest
  init       Write a commented starter manifest
  dev        Local OTLP receiver + web UI: traces, logs, per-route RED, the manifest's SLOs
  loadtest   "loadtest compare": regression gate over two k6 summaries of the generated scripts

Run "platform <command> --help" for options; "platform --version" prints the version.
Exit codes: 0 ok, 1 drift (generate --check) or regression (loadtest compare), 2 bad input or usage.`;

const HELP: Record<string, string> = {
  validate: `Usage: platform validate [--manifest FILE]

Checks the manifest against the JSON Schema and the semantic rules (bucket boundaries,
credentials, duplicates). Prints file:line:col, the field path and a hint for each problem.
  --manifest FILE   manifest to read (default: platform.yaml)
Exit codes: 0 valid, 2 invalid.`,
  generate: `Usage: platform generate [--manifest FILE] [--out DIR] [--target ${SET_NAMES.join('|')}] [--check]

Renders one service at a time into a temp folder, then swaps ${FOLDER_LIST}
under DIR in with rename (nothing changes when anything fails). Each folder keeps a
record (.platform-generated) of what generate wrote: only those files are replaced or removed;
every other file there is kept and listed as "kept".
  --manifest FILE   manifest to read (default: platform.yaml)
  --out DIR         output directory (default: .)
  --target NAME     what to write: ${SET_NAMES.join(' or ')} (default: ${DEFAULT_TARGET_SET.name}); each owns
                    its own folders, so one never changes the other's files
  --check           write nothing; exit 1 with a diff when the generated files on disk differ
                    (files generate did not write are ignored)
Writes (target, folder, content):
${TARGET_LINES}
Exit codes: 0 ok, 1 drift (--check), 2 bad input or an output folder it cannot write.`,
  init: `Usage: platform init [--manifest FILE]

Writes a commented starter manifest (default: platform.yaml); refuses to overwrite.
Exit codes: 0 written, 2 file exists or bad usage.`,
  loadtest: LOADTEST_HELP,
};

interface Args {
  command: string | undefined;
  manifest: string;
  out: string;
  target: TargetSet;
  check: boolean;
  help: boolean;
  version: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { command: undefined, manifest: 'platform.yaml', out: '.', target: DEFAULT_TARGET_SET, check: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (flag: string): string => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--version' || a === '-v') args.version = true;
    else if (a === '--check') args.check = true;
    else if (a === '--manifest' || a.startsWith('--manifest=') || a === '-m') args.manifest = value('--manifest');
    else if (a === '--out' || a.startsWith('--out=') || a === '-o') args.out = value('--out');
    else if (a === '--target' || a.startsWith('--target=') || a === '-t') {
      const name = value('--target');
      const set = TARGET_SETS.find((t) => t.name === name);
      if (set === undefined) {
        const guess = didYouMean(name, SET_NAMES);
        throw new UsageError(`unknown target "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; targets: ${SET_NAMES.join(', ')}`);
      }
      args.target = set;
    } else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (args.command === undefined) args.command = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  return args;
}

function readModel(file: string, io: CliIo): PlatformModel {
  return loadManifest(readManifestFile(path.resolve(io.cwd, file), file), file);
}

/**
 * The CLI including the long-running `platform dev` (which resolves when the server stops).
 * `@platform/dev` is imported only for that command, so the other commands start as fast as before.
 */
export async function runCliAsync(argv: readonly string[], io: CliIo): Promise<number> {
  const at = commandIndex(argv);
  if (at < 0 || argv[at] !== 'dev') return runCli(argv, io);
  const rest = [...argv];
  rest.splice(at, 1);
  let dev: typeof import('@platform/dev');
  try {
    dev = await import('@platform/dev');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
    io.stderr('platform: "platform dev" needs the @platform/dev package (npm install -D @platform/dev)\n');
    return EXIT.badInput;
  }
  try {
    return await dev.runDevCli(rest, { ...io, loadManifest: (file) => readModel(file, io) });
  } catch (e) {
    if (e instanceof ManifestError) {
      io.stderr(`${e.issues.map(formatIssue).join('\n')}\n${e.issues.length} problem(s); platform dev not started.\n`);
      return EXIT.badInput;
    }
    if (e instanceof UsageError) {
      io.stderr(`platform dev: ${e.message}\nsee: platform dev --help\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}

/** Index of the command word: the first argument that is neither an option nor an option's value. */
function commandIndex(argv: readonly string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (['--manifest', '-m', '--out', '-o', '--target', '-t'].includes(a)) i++;
    else if (!a.startsWith('-')) return i;
  }
  return -1;
}

/** The whole CLI as a function: arguments in, exit code out (tests call this in-process). */
export function runCli(argv: readonly string[], io: CliIo): number {
  const at = commandIndex(argv);
  // Its own options (thresholds, two files): parsed by the loadtest command itself.
  if (at >= 0 && argv[at] === 'loadtest') return runLoadtestCli(argv.slice(at + 1), io);
  try {
    const args = parseArgs(argv);
    if (args.version) {
      io.stdout(`${generatorVersion()}\n`);
      return EXIT.ok;
    }
    if (args.command === undefined || args.command === 'help') {
      (args.help || args.command === 'help' ? io.stdout : io.stderr)(`${USAGE}\n`);
      return args.help || args.command === 'help' ? EXIT.ok : EXIT.badInput;
    }
    if (args.command === 'dev') throw new UsageError('"dev" is long-running: run it through runCliAsync (the platform binary does)');
    const help = HELP[args.command];
    if (help === undefined) {
      const guess = didYouMean(args.command, [...Object.keys(HELP), 'dev']);
      throw new UsageError(`unknown command "${args.command}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
    if (args.help) {
      io.stdout(`${help}\n`);
      return EXIT.ok;
    }
    switch (args.command) {
      case 'validate': {
        const model = readModel(args.manifest, io);
        io.stdout(`${args.manifest}: valid (${model.services.length} service${model.services.length === 1 ? '' : 's'})\n`);
        return EXIT.ok;
      }
      case 'generate': {
        const model = readModel(args.manifest, io);
        const out = path.resolve(io.cwd, args.out);
        if (!args.check) {
          const { written, kept } = writeArtifacts(out, renderFiles(model, args.target.targets), args.target.roots);
          for (const rel of kept) io.stdout(`kept ${rel} (not written by platform generate)\n`);
          io.stdout(`wrote ${written} files to ${args.out}\n`);
          return EXIT.ok;
        }
        {
          const files = renderAll(model, args.target.targets);
          const drift = checkArtifacts(out, files, args.target.roots);
          if (drift.length === 0) {
            io.stdout(`up to date: ${files.size} files in ${args.out}\n`);
            return EXIT.ok;
          }
          for (const d of drift) io.stdout(d.diff);
          io.stderr(
            `drift: ${drift.length} file(s) differ from the manifest (${drift.map((d) => `${d.kind} ${d.path}`).join(', ')}); run "platform generate${args.target === DEFAULT_TARGET_SET ? '' : ` --target ${args.target.name}`}" and commit\n`,
          );
          return EXIT.drift;
        }
      }
      case 'init': {
        const target = path.resolve(io.cwd, args.manifest);
        if (existsSync(target)) throw new UsageError(`${args.manifest} already exists; not overwriting it`);
        const command = generatorCommand({ cwd: io.cwd, script: process.argv[1], pathEnv: process.env.PATH });
        mkdirSync(path.dirname(target), { recursive: true });
        writeFileSync(target, starterManifest(schemaReference(target, MANIFEST_SCHEMA_PATH), command), { flag: 'wx' });
        io.stdout(`wrote ${args.manifest}; next: ${command} validate --manifest ${args.manifest}\n`);
        return EXIT.ok;
      }
      default:
        throw new UsageError(`unknown command "${args.command}"`);
    }
  } catch (e) {
    if (e instanceof ManifestError) {
      const more = e.omitted > 0 ? ` (and ${e.omitted} more not listed)` : '';
      io.stderr(`${e.issues.map(formatIssue).join('\n')}\n${e.issues.length} problem(s)${more}; nothing written.\n`);
      return EXIT.badInput;
    }
    if (e instanceof OutputError) {
      io.stderr(`${formatOutputError(e)}\n`);
      return EXIT.badInput;
    }
    if (e instanceof UsageError) {
      // One line, then where to read more: the command's own help when the error is about one.
      const at = commandIndex(argv);
      const command = at < 0 ? undefined : argv[at];
      const prefix = command !== undefined && HELP[command] !== undefined ? `platform ${command}` : 'platform';
      io.stderr(`${prefix}: ${e.message}\nsee: ${prefix} --help\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
