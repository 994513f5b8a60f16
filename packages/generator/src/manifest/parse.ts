import { createRequire } from 'node:module';
import type * as YamlLib from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { ManifestError, type ManifestIssue } from '../errors.js';
import { fastParseYaml } from './fast-yaml.js';

/** Files larger than this are refused before parsing. */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;
/** Aliases allowed while converting YAML to data (stops "billion laughs" alias bombs). */
export const MAX_ALIAS_COUNT = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

let yamlLib: typeof YamlLib | undefined;
/**
 * The full `yaml` library, loaded on first use: valid manifests in the common subset never need
 * it (the fast path), and loading it costs ~50 ms of every CLI start. Under Node, `import` and
 * `require` of `yaml` resolve to the same CommonJS build.
 */
function yaml(): typeof YamlLib {
  return (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof YamlLib);
}

export type PathSegment = string | number;

/** A parsed manifest: plain data plus a way back from a field path to a source position. */
export interface ParsedManifest {
  readonly file: string;
  readonly data: unknown;
  /** Position of the value at `path` (or its closest existing ancestor); `key` points at the key. */
  positionOf(path: readonly PathSegment[], key?: boolean): { line: number; col: number };
}

export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

/**
 * Parses YAML text; refuses duplicates, forbidden keys and alias bombs. Manifests in the common
 * subset take the fast path (no document model); source positions are then computed on demand by
 * re-parsing with the full `yaml` library, which only happens when validation reports a problem.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) return parseWithPositions(text, file);
  const data = fastParseYaml(text);
  if (data === undefined) return parseWithPositions(text, file);
  let full: ParsedManifest | undefined;
  return {
    file,
    data,
    positionOf(path, key = false) {
      full ??= parseWithPositions(text, file);
      return full.positionOf(path, key);
    },
  };
}

/** The full `yaml` parse with a document model and line counter (positions for every node). */
export function parseWithPositions(text: string, file: string): ParsedManifest {
  const issue = (line: number, col: number, path: string, message: string, hint?: string): ManifestIssue =>
    hint === undefined ? { file, line, col, path, message } : { file, line, col, path, message, hint };
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) {
    throw new ManifestError([issue(1, 1, '', `manifest is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB`, 'split the platform into several manifests')]);
  }
  const { LineCounter, isScalar, parseDocument, visit } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  const issues: ManifestIssue[] = [];
  for (const err of doc.errors) {
    const pos = lineCounter.linePos(err.pos[0]);
    const duplicate = err.code === 'DUPLICATE_KEY';
    issues.push(
      issue(pos.line, pos.col, '', duplicate ? 'duplicate key' : `invalid YAML: ${err.message.split('\n')[0] ?? err.code}`,
        duplicate ? 'each key may appear once per mapping; remove or merge the repeated key' : undefined),
    );
  }
  if (issues.length > 0) throw new ManifestError(issues);

  // Keys that would reach Object.prototype, and non-scalar keys, are refused wherever they are.
  const pathOfNode = (node: Node): { line: number; col: number } => {
    const pos = lineCounter.linePos(node.range?.[0] ?? 0);
    return { line: pos.line, col: pos.col };
  };
  visit(doc, {
    Pair(_, pair, ancestors) {
      const key = pair.key;
      if (!isScalar(key)) {
        const pos = key && typeof key === 'object' && 'range' in key ? pathOfNode(key as Node) : { line: 0, col: 0 };
        issues.push(issue(pos.line, pos.col, pathFromAncestors(ancestors), 'mapping keys must be plain strings'));
        return;
      }
      if (FORBIDDEN_KEYS.has(String(key.value))) {
        const pos = pathOfNode(key);
        issues.push(issue(pos.line, pos.col, pathFromAncestors(ancestors), `key "${String(key.value)}" is not allowed`, 'keys named __proto__, constructor or prototype are refused to prevent prototype pollution'));
      }
    },
  });
  if (issues.length > 0) throw new ManifestError(issues);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ManifestError([issue(1, 1, '', `cannot load YAML: ${message}`, /alias/i.test(message) ? `at most ${MAX_ALIAS_COUNT} alias expansions are allowed (YAML alias bomb?)` : undefined)]);
  }

  return {
    file,
    data,
    positionOf(path, key = false) {
      return positionIn(doc, lineCounter, path, key);
    },
  };
}

function pathFromAncestors(ancestors: readonly unknown[]): string {
  const { isPair, isScalar, isSeq } = yaml();
  const segs: PathSegment[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const a = ancestors[i];
    const next = ancestors[i + 1];
    if (isPair(a) && isScalar(a.key)) segs.push(String(a.key.value));
    if (isSeq(a) && next !== undefined) segs.push(a.items.indexOf(next as never));
  }
  return formatPath(segs);
}

function positionIn(doc: Document, lc: LineCounter, path: readonly PathSegment[], key: boolean): { line: number; col: number } {
  const { isMap, isScalar, isSeq } = yaml();
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (last && key) {
        offset = keyNode.range?.[0] ?? offset;
        break;
      }
      node = pair.value;
      offset = (pair.value as Node | null)?.range?.[0] ?? keyNode.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      node = item;
      offset = (item as Node).range?.[0] ?? offset;
    } else {
      break;
    }
  }
  const pos = lc.linePos(offset);
  return { line: pos.line, col: pos.col };
}
