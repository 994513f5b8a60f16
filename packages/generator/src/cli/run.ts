import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ManifestError, UsageError, formatIssue } from '../errors.js';
import { renderAll, renderFiles } from '../generate.js';
import { MAX_MANIFEST_BYTES } from '../manifest/parse.js';
import { MANIFEST_SCHEMA_PATH } from '../manifest/schema.js';
import { loadManifest } from '../manifest/validate.js';
import type { PlatformModel } from '../model.js';
import { checkArtifacts, writeArtifacts } from '../write.js';
import { starterManifest } from './init-template.js';
import { generatorCommand, schemaReference } from './invocation.js';

export const EXIT = { ok: 0, drift: 1, badInput: 2 } as const;

export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: platform <command> [options]

Commands:
  validate   Check the manifest (schema + semantic checks)
  generate   Write collector/, dashboards/, loadtests/ from the manifest
  init       Write a commented starter manifest

Run "platform <command> --help" for options.
Exit codes: 0 ok, 1 drift (generate --check), 2 bad input or usage.`;

const HELP: Record<string, string> = {
  validate: `Usage: platform validate [--manifest FILE]

Checks the manifest against the JSON Schema and the semantic rules (bucket boundaries,
credentials, duplicates). Prints file:line:col, the field path and a hint for each problem.
  --manifest FILE   manifest to read (default: platform.yaml)
Exit codes: 0 valid, 2 invalid.`,
  generate: `Usage: platform generate [--manifest FILE] [--out DIR] [--check]

Renders everything in memory, then writes collector/, dashboards/ and loadtests/ under DIR
atomically (each folder swapped in with rename; nothing is written when anything fails).
  --manifest FILE   manifest to read (default: platform.yaml)
  --out DIR         output directory (default: .)
  --check           write nothing; exit 1 with a diff when the files on disk differ
Exit codes: 0 ok, 1 drift (--check), 2 bad input.`,
  init: `Usage: platform init [--manifest FILE]

Writes a commented starter manifest (default: platform.yaml); refuses to overwrite.
Exit codes: 0 written, 2 file exists or bad usage.`,
};

interface Args {
  command: string | undefined;
  manifest: string;
  out: string;
  check: boolean;
  help: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { command: undefined, manifest: 'platform.yaml', out: '.', check: false, help: false };
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
    else if (a === '--check') args.check = true;
    else if (a === '--manifest' || a.startsWith('--manifest=') || a === '-m') args.manifest = value('--manifest');
    else if (a === '--out' || a.startsWith('--out=') || a === '-o') args.out = value('--out');
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (args.command === undefined) args.command = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }
  return args;
}

function readModel(file: string, io: CliIo): PlatformModel {
  const full = path.resolve(io.cwd, file);
  let size: number;
  try {
    size = statSync(full).size;
  } catch {
    throw new UsageError(`cannot read manifest ${file} (run "platform init" to create one)`);
  }
  if (size > MAX_MANIFEST_BYTES) {
    throw new ManifestError([{ file, line: 1, col: 1, path: '', message: `manifest is ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_MANIFEST_BYTES / 1024 / 1024} MB limit`, hint: 'split the platform into several manifests' }]);
  }
  return loadManifest(readFileSync(full, 'utf8'), file);
}

/** The whole CLI as a function: arguments in, exit code out (tests call this in-process). */
export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseArgs(argv);
    if (args.command === undefined || args.command === 'help') {
      (args.help || args.command === 'help' ? io.stdout : io.stderr)(`${USAGE}\n`);
      return args.help || args.command === 'help' ? EXIT.ok : EXIT.badInput;
    }
    const help = HELP[args.command];
    if (help === undefined) throw new UsageError(`unknown command "${args.command}"`);
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
          const count = writeArtifacts(out, renderFiles(model));
          io.stdout(`wrote ${count} files to ${args.out}\n`);
          return EXIT.ok;
        }
        {
          const files = renderAll(model);
          const drift = checkArtifacts(out, files);
          if (drift.length === 0) {
            io.stdout(`up to date: ${files.size} files in ${args.out}\n`);
            return EXIT.ok;
          }
          for (const d of drift) io.stdout(d.diff);
          io.stderr(`drift: ${drift.length} file(s) differ from the manifest (${drift.map((d) => `${d.kind} ${d.path}`).join(', ')}); run "platform generate" and commit\n`);
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
      io.stderr(`${e.issues.map(formatIssue).join('\n')}\n${e.issues.length} problem(s); nothing written.\n`);
      return EXIT.badInput;
    }
    if (e instanceof UsageError) {
      io.stderr(`platform: ${e.message}\n${USAGE}\n`);
      return EXIT.badInput;
    }
    throw e;
  }
}
