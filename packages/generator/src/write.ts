import {
  copyFileSync,
  constants as fsc,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { unifiedDiff } from './diff.js';
import { OutputError } from './errors.js';
import { RECORD_FILE, readRecord, recordPath, renderRecord } from './output/generated-record.js';
import { OUTPUT_ROOTS, TARGET_SETS } from './targets/index.js';

/** The owned folder `rel` belongs to: the deepest of `roots` it is inside, or undefined. */
export function ownerRoot(rel: string, roots: readonly string[]): string | undefined {
  let owner: string | undefined;
  for (const r of roots) if (rel.startsWith(`${r}/`) && (owner === undefined || r.length > owner.length)) owner = r;
  return owner;
}

/** Every folder some target set owns: inside a set's folder, another set's folder is not the first set's to report. */
const ALL_ROOTS: readonly string[] = [...new Set(TARGET_SETS.flatMap((s) => s.roots))];

/** Resolves `rel` inside `outDir`, refusing anything that would land outside it or outside the owned folders. */
export function safeJoin(outDir: string, rel: string, roots: readonly string[] = OUTPUT_ROOTS): string {
  const refuse = (why: string): never => {
    throw new OutputError(
      rel,
      `refusing output path ${JSON.stringify(rel)}${why}`,
      `generated paths are relative, inside ${roots.slice(0, -1).join('/, ')}/ or ${roots.at(-1) ?? ''}/`,
    );
  };
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).some((s) => s === '..' || s === '')) refuse('');
  if (ownerRoot(rel, roots) === undefined) refuse(`: not under ${roots.join('/, ')}/`);
  if (path.posix.basename(rel) === RECORD_FILE) refuse(`: ${RECORD_FILE} is the generated-files record`);
  const base = path.resolve(outDir);
  const full = path.resolve(base, rel);
  if (!full.startsWith(base + path.sep)) refuse(`: outside ${base}`);
  return full;
}

export interface WriteResult {
  /** Generated files written (the per-folder records not counted). */
  readonly written: number;
  /** Files in the output folders that generate did not write, kept as they were (relative to --out). */
  readonly kept: readonly string[];
}

/**
 * Writes every file atomically per top-level folder: all content goes into a temp dir inside
 * --out first; only when that succeeded is each owned folder swapped in with rename. A failure
 * before the swap (a refused path, a render error while streaming, a full disk) leaves the
 * previous output untouched. `files` may be a lazy iterable (renderFiles): each file is written
 * as soon as it is rendered, so memory stays flat however many services there are.
 *
 * Generate owns only what it wrote: each folder gets a record of its generated files
 * (output/generated-record.ts). Every other file already in the folder (a hand-written dashboard,
 * an extra collector config) is hard-linked into the new folder before the swap, so it survives
 * with its content, mode and inode; files recorded by the previous run and no longer generated
 * are the only ones that disappear. A folder without a record (first run, or output of an older
 * version) adopts the files at paths it generates and keeps the rest. A file the manifest would
 * generate but that the record says generate did not write is refused (OutputError), never
 * overwritten.
 */
export function writeArtifacts(outDir: string, files: Iterable<readonly [string, string]>, owned: readonly string[] = OUTPUT_ROOTS): WriteResult {
  const base = path.resolve(outDir);
  const createdBase = !existsSync(base);
  if (files instanceof Map) for (const rel of files.keys()) safeJoin(base, rel, owned);
  try {
    mkdirSync(base, { recursive: true });
  } catch (e) {
    throw fsError(outDir, e, 'cannot create the output directory');
  }
  let tmp: string;
  try {
    tmp = mkdtempSync(path.join(base, '.platform-tmp-'));
  } catch (e) {
    throw fsError(outDir, e, 'cannot create a temporary folder in the output directory');
  }
  let swapped = false;
  try {
    const made = new Set<string>();
    const written = new Set<string>();
    const roots = new Set<string>();
    const ensureDir = (dir: string, rel: string): void => {
      if (made.has(dir)) return;
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw fsError(rel, e, 'cannot create the folder');
      }
      made.add(dir);
    };
    for (const [rel, content] of files) {
      safeJoin(base, rel, owned);
      const target = path.join(tmp, 'new', rel);
      ensureDir(path.dirname(target), rel);
      try {
        writeFileSync(target, content, { flag: 'wx' });
      } catch (e) {
        throw fsError(rel, e, 'cannot write the file');
      }
      written.add(rel);
      roots.add(ownerRoot(rel, owned) as string);
    }
    const kept: string[] = [];
    for (const root of [...roots].sort()) {
      writeFileSync(path.join(tmp, 'new', recordPath(root)), renderRecord(root, written), { flag: 'wx' });
      const live = path.join(base, root);
      const st = lstatOrUndefined(live);
      if (st === undefined) continue;
      if (st.isSymbolicLink())
        throw new OutputError(
          root,
          `refusing to replace symlink ${live}`,
          `generate swaps ${root}/ in with rename; make ${root} a real folder (or point --out at the link's target)`,
        );
      if (!st.isDirectory()) throw new OutputError(root, `${live} exists and is not a folder`, `move it away; generate writes the folder ${root}/ here`);
      const previous = readRecord(base, root);
      let tree: string[];
      try {
        tree = treeOf(live, root);
      } catch (e) {
        throw fsError(root, e, 'cannot list the folder to keep the files generate did not write');
      }
      for (const rel of tree) {
        if (rel === recordPath(root)) continue;
        const owned = previous === undefined ? written.has(rel) : previous.has(rel);
        if (owned) continue;
        if (rel.endsWith('/')) {
          ensureDir(path.join(tmp, 'new', rel), rel); // an empty folder of the user's
          continue;
        }
        if (written.has(rel)) {
          throw new OutputError(
            rel,
            'the manifest generates this file, but the file on disk was not written by platform generate',
            `move or rename your file, then run generate again (the record ${recordPath(root)} lists what generate owns)`,
          );
        }
        carryOver(path.join(base, rel), path.join(tmp, 'new', rel), rel, ensureDir);
        // Another target set's folder inside this one (collector/kubernetes/ in collector/) is carried over silently.
        if (ownerRoot(rel, ALL_ROOTS) === root) kept.push(rel);
      }
    }
    swapped = true;
    for (const root of [...roots].sort()) {
      const live = path.join(base, root);
      try {
        if (existsSync(live)) renameSync(live, path.join(tmp, `old-${root.replaceAll('/', '-')}`));
        mkdirSync(path.dirname(live), { recursive: true }); // a nested folder's parent (collector/ of collector/kubernetes/)
        renameSync(path.join(tmp, 'new', root), live);
      } catch (e) {
        throw fsError(root, e, 'cannot swap the folder in');
      }
    }
    return { written: written.size, kept };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (createdBase && !swapped) rmSync(base, { recursive: true, force: true });
  }
}

function lstatOrUndefined(p: string): import('node:fs').Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** Every entry under `dir` that is not a folder (symlinks not followed), plus empty folders with a trailing '/'. */
function treeOf(dir: string, rel: string): string[] {
  const out: string[] = [];
  const walk = (d: string, r: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    if (entries.length === 0 && r !== rel) out.push(`${r}/`);
    for (const e of entries) {
      const child = `${r}/${e.name}`;
      if (e.isDirectory()) walk(path.join(d, e.name), child);
      else out.push(child);
    }
  };
  walk(dir, rel);
  return out.sort();
}

/** Puts the user's file into the new folder: a hard link (same inode, nothing copied); a copy where links are refused. */
function carryOver(from: string, to: string, rel: string, ensureDir: (dir: string, rel: string) => void): void {
  ensureDir(path.dirname(to), rel);
  try {
    linkSync(from, to);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new OutputError(rel, 'this file of yours is where the manifest generates a folder', 'move or rename it, then run generate again');
    }
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK' && code !== 'ENOTSUP')
      throw fsError(rel, e, 'cannot keep this file in the regenerated folder');
  }
  try {
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to, fsc.COPYFILE_EXCL);
  } catch (e) {
    throw fsError(rel, e, 'cannot keep this file in the regenerated folder');
  }
}

function fsError(rel: string, e: unknown, what: string): OutputError {
  const err = e as NodeJS.ErrnoException;
  if (e instanceof OutputError) return e;
  const code = err.code ?? 'error';
  const hint =
    code === 'EACCES' || code === 'EPERM'
      ? 'check the permissions of the output directory'
      : code === 'ENOSPC' || code === 'EDQUOT'
        ? 'free some disk space'
        : code === 'EROFS'
          ? 'the file system is read-only; choose another --out'
          : 'nothing was changed; fix the cause and run generate again';
  return new OutputError(rel, `${what} (${code})`, hint);
}

export interface Drift {
  readonly path: string;
  readonly kind: 'changed' | 'missing' | 'stale';
  readonly diff: string;
}

/**
 * Compares the generated files (and each folder's record) with what is on disk; nothing is
 * written. Stale = recorded by the last generate and no longer generated. Files generate did not
 * write are not drift.
 */
export function checkArtifacts(outDir: string, files: ReadonlyMap<string, string>, owned: readonly string[] = OUTPUT_ROOTS): Drift[] {
  const base = path.resolve(outDir);
  const roots = [...new Set([...files.keys()].map((rel) => ownerRoot(rel, owned) ?? (rel.split('/')[0] as string)))].sort();
  const expected = new Map(files);
  for (const root of roots) expected.set(recordPath(root), renderRecord(root, files.keys()));
  const drift: Drift[] = [];
  for (const [rel, content] of expected) {
    const full = path.join(base, rel);
    if (!roots.some((r) => rel === recordPath(r))) safeJoin(base, rel, owned);
    const st = lstatOrUndefined(full);
    if (st === undefined || !st.isFile()) {
      drift.push({ path: rel, kind: 'missing', diff: `+++ b/${rel} (generated, missing on disk)\n` });
      continue;
    }
    const onDisk = readFileSync(full, 'utf8');
    if (onDisk !== content) drift.push({ path: rel, kind: 'changed', diff: unifiedDiff(rel, onDisk, content) });
  }
  for (const root of roots) {
    const previous = readRecord(base, root);
    if (previous === undefined) continue;
    for (const rel of [...previous].sort()) {
      if (!files.has(rel) && lstatOrUndefined(path.join(base, rel)) !== undefined)
        drift.push({ path: rel, kind: 'stale', diff: `--- a/${rel} (on disk, no longer generated)\n` });
    }
  }
  return drift;
}
