import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unifiedDiff } from './diff.js';
import { OUTPUT_ROOTS } from './generate.js';

/** Resolves `rel` inside `outDir`, refusing anything that would land outside it or outside the owned folders. */
export function safeJoin(outDir: string, rel: string): string {
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).some((s) => s === '..' || s === '')) throw new Error(`refusing output path ${JSON.stringify(rel)}`);
  const root = rel.split('/')[0] ?? '';
  if (!(OUTPUT_ROOTS as readonly string[]).includes(root)) throw new Error(`refusing output path ${JSON.stringify(rel)}: not under ${OUTPUT_ROOTS.join('/, ')}/`);
  const base = path.resolve(outDir);
  const full = path.resolve(base, rel);
  if (!full.startsWith(base + path.sep)) throw new Error(`refusing output path ${JSON.stringify(rel)}: outside ${base}`);
  return full;
}

/**
 * Writes every file atomically per top-level folder: all content goes into a temp dir inside
 * --out first; only when that succeeded is each owned folder swapped in with rename. A failure
 * before the swap (a refused path, a render error while streaming, a full disk) leaves the
 * previous output untouched. `files` may be a lazy iterable (renderFiles): each file is written
 * as soon as it is rendered, so memory stays flat however many services there are.
 */
export function writeArtifacts(outDir: string, files: Iterable<readonly [string, string]>): number {
  const base = path.resolve(outDir);
  const createdBase = !existsSync(base);
  if (files instanceof Map) for (const rel of files.keys()) safeJoin(base, rel);
  mkdirSync(base, { recursive: true });
  const tmp = mkdtempSync(path.join(base, '.platform-tmp-'));
  let swapped = false;
  try {
    const made = new Set<string>();
    const roots = new Set<string>();
    let count = 0;
    for (const [rel, content] of files) {
      safeJoin(base, rel);
      const target = path.join(tmp, 'new', rel);
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(target, content, { flag: 'wx' });
      roots.add(rel.split('/')[0] as string);
      count++;
    }
    for (const root of [...roots].sort()) {
      const live = path.join(base, root);
      if (existsSync(live) && lstatSync(live).isSymbolicLink()) throw new Error(`refusing to replace symlink ${live}`);
    }
    swapped = true;
    for (const root of [...roots].sort()) {
      const live = path.join(base, root);
      if (existsSync(live)) renameSync(live, path.join(tmp, `old-${root}`));
      renameSync(path.join(tmp, 'new', root), live);
    }
    return count;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    if (createdBase && !swapped) rmSync(base, { recursive: true, force: true });
  }
}

function walk(dir: string, rel: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const childRel = `${rel}/${entry.name}`;
    if (entry.isDirectory()) walk(path.join(dir, entry.name), childRel, out);
    else out.push(childRel);
  }
}

export interface Drift {
  readonly path: string;
  readonly kind: 'changed' | 'missing' | 'stale';
  readonly diff: string;
}

/** Compares the generated files with what is on disk; nothing is written. */
export function checkArtifacts(outDir: string, files: ReadonlyMap<string, string>): Drift[] {
  const base = path.resolve(outDir);
  const drift: Drift[] = [];
  for (const [rel, content] of files) {
    const full = safeJoin(base, rel);
    if (!existsSync(full)) {
      drift.push({ path: rel, kind: 'missing', diff: `+++ b/${rel} (generated, missing on disk)\n` });
      continue;
    }
    const onDisk = readFileSync(full, 'utf8');
    if (onDisk !== content) drift.push({ path: rel, kind: 'changed', diff: unifiedDiff(rel, onDisk, content) });
  }
  const roots = new Set([...files.keys()].map((rel) => rel.split('/')[0] as string));
  for (const root of roots) {
    const present: string[] = [];
    walk(path.join(base, root), root, present);
    for (const rel of present.sort()) if (!files.has(rel)) drift.push({ path: rel, kind: 'stale', diff: `--- a/${rel} (on disk, no longer generated)\n` });
  }
  return drift;
}
