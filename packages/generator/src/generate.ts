import type { PlatformModel } from './model.js';
import { TARGETS } from './targets/index.js';
import type { Target } from './targets/target.js';

/**
 * Every output file as [path, content] (path relative to --out, POSIX separators), rendered lazily
 * target by target and, within a target, one service at a time, so a writer can stream them to
 * disk without holding all of them. Use renderAll for the sorted map. `targets`: the target set's
 * list (default: the plain set).
 */
export function* renderFiles(model: PlatformModel, targets: readonly Target[] = TARGETS): Generator<[string, string]> {
  for (const target of targets) for (const [file, content] of target.files(model)) yield [`${target.root}/${file}`, content];
}

/** Every output file, path (relative to --out, POSIX separators) -> content, sorted by path. */
export function renderAll(model: PlatformModel, targets: readonly Target[] = TARGETS): Map<string, string> {
  const files = [...renderFiles(model, targets)];
  return new Map(files.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}
