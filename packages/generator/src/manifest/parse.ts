import { Composer, Lexer, LineCounter, Parser, isMap, isPair, isScalar, isSeq, visit, type CST, type Document, type Node } from 'yaml';
import { ManifestError, type ManifestIssue } from '../errors.js';
import { FORBIDDEN_KEYS } from './forbidden-keys.js';
import { MAX_ALIAS_COUNT, MAX_MANIFEST_BYTES, TokenBudget, checkExpandedSize } from './input-budget.js';

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
 * Parses YAML text with the `yaml` library, within the input budget (input-budget.ts): tokens,
 * nesting and aliases are counted while the lexer streams into the parser, the alias-expanded
 * size is measured on the composed tree before it becomes data. Refuses duplicate keys,
 * non-scalar keys and keys that would reach Object.prototype. Every refusal is a ManifestError
 * with file:line:col.
 */
export function parseManifest(text: string, file: string): ParsedManifest {
  const issue = (line: number, col: number, path: string, message: string, hint?: string): ManifestIssue =>
    hint === undefined ? { file, line, col, path, message } : { file, line, col, path, message, hint };
  if (text.length > MAX_MANIFEST_BYTES) {
    throw new ManifestError([issue(1, 1, '', `manifest is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MB`, 'split the platform into several manifests')]);
  }
  const lineCounter = new LineCounter();
  const at = (offset: number): { line: number; col: number } => lineCounter.linePos(offset);

  // Lex and parse token by token, so the budget stops a hostile shape before it costs anything.
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const budget = new TokenBudget();
  const cst: CST.Token[] = [];
  for (const lexeme of new Lexer().lex(text)) {
    const offset = parser.offset;
    for (const token of parser.next(lexeme)) cst.push(token);
    const exceeded = budget.check(lexeme, offset, parser.stack.length);
    if (exceeded !== undefined) {
      const pos = at(exceeded.offset);
      throw new ManifestError([issue(pos.line, pos.col, '', exceeded.message, exceeded.hint)]);
    }
  }
  for (const token of parser.end()) cst.push(token);

  // Duplicate keys are found below with a Set per mapping: the yaml library's uniqueKeys check
  // compares each key with every earlier one (20,000 keys: 2.6 s).
  const docs = [...new Composer({ uniqueKeys: false, strict: true, prettyErrors: false }).compose(cst, true, text.length)];
  const doc = docs[0] as Document.Parsed;
  const issues: ManifestIssue[] = [];
  if (docs.length > 1) {
    const pos = at((docs[1] as Document.Parsed).range[0]);
    issues.push(issue(pos.line, pos.col, '', 'more than one YAML document', 'a manifest is one document; remove the "---" separator and what follows'));
  }
  for (const err of doc.errors) {
    const pos = at(err.pos[0]);
    issues.push(issue(pos.line, pos.col, '', `invalid YAML: ${err.message.split('\n')[0] ?? err.code}`));
  }
  if (issues.length > 0) throw new ManifestError(issues);

  const expanded = checkExpandedSize(doc);
  if (expanded !== undefined) {
    const pos = at(expanded.node.range?.[0] ?? 0);
    throw new ManifestError([issue(pos.line, pos.col, '', expanded.exceeded.message, expanded.exceeded.hint)]);
  }

  // Keys: scalar, unique per mapping, never a name that would reach Object.prototype.
  const positionOfNode = (node: Node): { line: number; col: number } => at(node.range?.[0] ?? 0);
  visit(doc, {
    Map(_, map, ancestors) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key)) {
          const pos = key && typeof key === 'object' && 'range' in key ? positionOfNode(key as Node) : { line: 0, col: 0 };
          issues.push(issue(pos.line, pos.col, pathFromAncestors([...ancestors, map]), 'mapping keys must be plain strings'));
          continue;
        }
        const name = String(key.value);
        const pos = positionOfNode(key);
        if (FORBIDDEN_KEYS.has(name)) {
          issues.push(
            issue(
              pos.line,
              pos.col,
              pathFromAncestors([...ancestors, map]),
              `key "${name}" is not allowed`,
              'keys named __proto__, constructor or prototype are refused to prevent prototype pollution',
            ),
          );
        } else if (seen.has(name)) {
          issues.push(
            issue(
              pos.line,
              pos.col,
              pathFromAncestors([...ancestors, map]),
              'duplicate key',
              'each key may appear once per mapping; remove or merge the repeated key',
            ),
          );
        }
        seen.add(name);
      }
    },
  });
  if (issues.length > 0) throw new ManifestError(issues.sort((a, b) => a.line - b.line || a.col - b.col));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ManifestError([
      issue(
        1,
        1,
        '',
        `cannot load YAML: ${message}`,
        /alias/i.test(message) ? `at most ${MAX_ALIAS_COUNT} alias expansions are allowed (YAML alias bomb?)` : undefined,
      ),
    ]);
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
