import { isAlias, isCollection, isPair, isScalar, type Document, type Node } from 'yaml';

/**
 * The generator's input budget: every manifest, however hostile, is refused or accepted within
 * about 2 s and 256 MB (test/input-budget.test.ts runs the reproductions through the real CLI
 * and measures both). The caps are far above a real platform (the 1,000-service bench manifest
 * uses ~185,000 YAML tokens, nesting 7, no aliases) and each is enforced before the work it bounds:
 *
 * - bytes: read at most MAX_MANIFEST_BYTES + 1 bytes from a regular file (read-manifest-file.ts);
 * - tokens, value length and nesting: counted while the `yaml` lexer streams into its parser,
 *   before any document is built (the parser's own stack is the nesting depth), so 5 MB of `[`
 *   or a line of `- - - …` stops after 65 tokens, a huge flow sequence after MAX_YAML_TOKENS and
 *   a 4.9 MB string before it is decoded;
 * - aliases and their expansion: counted on the composed YAML tree, where an alias is still one
 *   node, before it is turned into data that validation and rendering would walk once per alias.
 */

/** Files larger than this are refused (the read stops at this many bytes + 1). */
export const MAX_MANIFEST_BYTES = 5 * 1024 * 1024;
/** Nesting of collections (a manifest uses 7). Also bounds recursion everywhere downstream. */
export const MAX_DEPTH = 64;
/**
 * Lexical YAML tokens (scalars, indicators, spaces, newlines): bounds the parse's memory, about
 * 300 bytes and 4 µs per token. The bench's 1,000-service manifest (block style) has ~185,000;
 * the cap admits about 1,600 such services.
 */
export const MAX_YAML_TOKENS = 300_000;
/** One value (scalar token) of any style; comments are not limited (they cost nothing to parse). */
export const MAX_SCALAR_CHARS = 1024 * 1024;
/**
 * All double-quoted text together: the `yaml` library decodes it one character at a time
 * (4.9 MB took 1.6 s and 200 MB). Plain, single-quoted and block scalars are not limited beyond
 * MAX_SCALAR_CHARS.
 */
export const MAX_DOUBLE_QUOTED_CHARS = 1024 * 1024;
/** Aliases (`*name`) in the whole file. */
export const MAX_ALIAS_COUNT = 100;
/** Nodes after expanding every alias (the 1,000-service manifest has ~60,000, none from aliases). */
export const MAX_EXPANDED_NODES = 300_000;
/** Characters of scalar text after expanding every alias: twice the file cap. */
export const MAX_EXPANDED_CHARS = 2 * MAX_MANIFEST_BYTES;

/** A budget that was exceeded, at an offset into the text. */
export interface BudgetExceeded {
  readonly offset: number;
  readonly message: string;
  readonly hint: string;
}

/** Counts tokens, aliases and nesting as the lexer feeds the parser; call `check` after each token. */
export class TokenBudget {
  private tokens = 0;
  private aliases = 0;
  private doubleQuoted = 0;

  /** The first budget this token exceeds, or undefined. `depth` is the parser's current stack depth. */
  check(lexeme: string, offset: number, depth: number): BudgetExceeded | undefined {
    if (++this.tokens > MAX_YAML_TOKENS) {
      return {
        offset,
        message: `manifest has more than ${MAX_YAML_TOKENS.toLocaleString('en-US')} YAML tokens`,
        hint: 'that is several thousand services; split the platform into several manifests',
      };
    }
    if (depth > MAX_DEPTH) {
      return {
        offset,
        message: `nesting deeper than ${MAX_DEPTH} levels`,
        hint: 'a manifest nests about 7 levels; check for unbalanced [ or { and runaway "- - -"',
      };
    }
    const first = lexeme.charCodeAt(0);
    if (first === 35 /* '#' */) return undefined;
    if (lexeme.length > MAX_SCALAR_CHARS) {
      return {
        offset,
        message: `a value longer than ${MAX_SCALAR_CHARS / 1024 / 1024} MB`,
        hint: 'nothing in a manifest is that long; check for an unclosed quote',
      };
    }
    if (first === 34 /* '"' */ && (this.doubleQuoted += lexeme.length) > MAX_DOUBLE_QUOTED_CHARS) {
      return {
        offset,
        message: `more than ${MAX_DOUBLE_QUOTED_CHARS / 1024 / 1024} MB of double-quoted text`,
        hint: 'write long values plain or in single quotes',
      };
    }
    if (first === 42 /* '*' */ && ++this.aliases > MAX_ALIAS_COUNT) {
      return { offset, message: `more than ${MAX_ALIAS_COUNT} aliases`, hint: `at most ${MAX_ALIAS_COUNT} aliases (*name) are allowed (YAML alias bomb?)` };
    }
    return undefined;
  }
}

interface Size {
  readonly nodes: number;
  readonly chars: number;
  /** Levels of collections in the subtree (a scalar is 0). */
  readonly height: number;
}

/**
 * Walks the composed tree once in document order and measures what it expands to: an alias
 * counts as the whole node its anchor names (the latest anchor of that name before it, as YAML
 * resolves it), from a memo, so the walk is linear in the tree however large the expansion. An
 * alias to an enclosing node (a cycle) is refused: the data would be infinite.
 */
export function checkExpandedSize(doc: Document): { node: Node; exceeded: Omit<BudgetExceeded, 'offset'> } | undefined {
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, Size>();
  const open = new Set<Node>();
  let nodes = 0;
  let chars = 0;
  let failure: { node: Node; exceeded: Omit<BudgetExceeded, 'offset'> } | undefined;
  const fail = (node: Node, message: string, hint: string): void => {
    failure ??= { node, exceeded: { message, hint } };
  };
  const checkTotals = (node: Node, level: number): void => {
    const why =
      nodes > MAX_EXPANDED_NODES
        ? `more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes`
        : chars > MAX_EXPANDED_CHARS
          ? `more than ${MAX_EXPANDED_CHARS / 1024 / 1024} MB of text`
          : level > MAX_DEPTH
            ? `nesting deeper than ${MAX_DEPTH} levels`
            : undefined;
    if (why !== undefined)
      fail(node, `with its aliases expanded the manifest has ${why}`, 'aliases (*name) copy the anchored value each time; use fewer or smaller ones');
  };

  /** Adds the subtree at `node` (at collection nesting `level`) to the totals; returns its height. */
  const measure = (node: unknown, level: number): number => {
    if (failure !== undefined || node === null || typeof node !== 'object') return 0;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return 0; // the composer reports the unknown anchor
      if (open.has(target)) {
        fail(node, `alias *${node.source} refers to a node that contains it`, 'recursive aliases make infinite data; copy the value instead');
        return 0;
      }
      const s = sizes.get(target) as Size;
      nodes += s.nodes;
      chars += s.chars;
      checkTotals(node, level + s.height);
      return s.height;
    }
    const n = node as Node;
    // Only anchored nodes can be an alias target: only they are remembered and marked open.
    const anchored = n.anchor !== undefined && n.anchor !== '';
    if (anchored) anchors.set(n.anchor as string, n);
    const n0 = nodes;
    const c0 = chars;
    let height = 0;
    nodes++;
    if (isScalar(n)) {
      const v = n.value;
      chars += typeof v === 'string' ? v.length : String(v).length;
    } else if (isCollection(n)) {
      height = 1;
      if (anchored) open.add(n);
      for (const item of n.items as unknown[]) {
        if (isPair(item)) {
          height = Math.max(height, 1 + measure(item.key, level + 1));
          if (failure === undefined) height = Math.max(height, 1 + measure(item.value, level + 1));
        } else {
          height = Math.max(height, 1 + measure(item, level + 1));
        }
        if (failure !== undefined) break;
      }
      if (anchored) open.delete(n);
    }
    if (anchored) sizes.set(n, { nodes: nodes - n0, chars: chars - c0, height });
    checkTotals(n, level + height);
    return height;
  };
  measure(doc.contents, 0);
  return failure;
}
