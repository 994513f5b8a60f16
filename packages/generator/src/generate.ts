import type { PlatformModel } from './model.js';
import { TARGETS } from './targets/index.js';

/**
 * Every output file as [path, content] (path relative to --out, POSIX separators), rendered lazily
 * target by target and, within a target, one service at a time, so a writer can stream them to
 * disk without holding all of them. Use renderAll for the sorted map.
 */
export function* renderFiles(model: PlatformModel): Generator<[string, string]> {
  for (const target of TARGETS) for (const [file, content] of target.files(model)) yield [`${target.root}/${file}`, content];
}

/** Every output file, path (relative to --out, POSIX separators) -> content, sorted by path. */
export function renderAll(model: PlatformModel): Map<string, string> {
  const files = [...renderFiles(model)];
  return new Map(files.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
