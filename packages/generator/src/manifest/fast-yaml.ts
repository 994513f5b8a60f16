import jsYaml from 'js-yaml';

/**
 * Fast path for parsing manifests with js-yaml, ~10x faster than building the `yaml` library's
 * document model (1,000 services: ~40 ms vs ~400 ms warm, 1.2 s cold) but without source
 * positions. It is taken only for text made entirely of the simple line shapes manifests use
 * (a whitelist, see SIMPLE_LINE): block mappings and sequences, one-line flow mappings and
 * sequences of plain or quoted scalars (nested one level), comments. Anything else (anchors, aliases, tags,
 * multi-line scalars, escapes, nested flow ...) goes to the `yaml` library, which also reports
 * positions; positions for valid input are computed only when validation needs them.
 * Within the whitelist, js-yaml resolves every plain scalar that YAML 1.2 core (what `yaml` uses)
 * resolves, plus base-prefixed and digit-separated numbers, which send the text to the full
 * parser; so a string result was quoted or is a string for both. Keys that core would resolve to
 * a non-string (null, 1, true ...) also go to the full parser.
 * test/hostile-input.test.ts checks differentially that accepted input yields exactly `yaml`'s data.
 */

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

const KEY = String.raw`[A-Za-z_][A-Za-z0-9_-]*`;
const DQ = String.raw`"[^"\\#\u0000-\u001f]*"`;
const SQ = String.raw`'[^'#\u0000-\u001f]*'`;
/**
 * Plain scalar: no leading indicator (`-` and `.` only before a digit, so never `---`/`...`;
 * no leading `+`, where the parsers' number rules differ), no spaces, no flow or comment
 * characters, not ending in ':'.
 */
const PLAIN = String.raw`(?:[A-Za-z0-9_/@%=~$]|[-.][0-9])(?:[A-Za-z0-9_/.:@%+=~$-]*[A-Za-z0-9_/.@%+=~$-])?`;
const SCALAR = `(?:${DQ}|${SQ}|${PLAIN})`;
/** One-line flow collections of scalars, which may hold one more level of such collections. */
const flowMapOf = (item: string): string => String.raw`\{ *(?:${KEY}: +${item}(?: *, *${KEY}: +${item})*)? *\}`;
const flowSeqOf = (item: string): string => String.raw`\[ *(?:${item}(?: *, *${item})*)? *\]`;
const INNER = `(?:${SCALAR}|${flowMapOf(SCALAR)}|${flowSeqOf(SCALAR)})`;
const FLOW_MAP = flowMapOf(INNER);
const FLOW_SEQ = flowSeqOf(INNER);
const VALUE = `(?:${SCALAR}|${FLOW_MAP}|${FLOW_SEQ})`;
const COMMENT = String.raw`(?: +#[^\u0000-\u001f]*)?`;
const SIMPLE_LINE = new RegExp(String.raw`^(?: *#[^\u0000-\u001f]*| *(?:- )*(?:${KEY}:(?: +${VALUE})?|${VALUE})${COMMENT}| *)$`);

/** Plain scalars that YAML 1.2 core resolves to null, a boolean or a number (refused as keys). */
const CORE_NON_STRING =
  /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/**
 * Numbers the two parsers read differently: base prefixes and digit separators (js-yaml resolves
 * `-0x1F`, `0b1`, `1_000`, YAML 1.2 core does not) and negative zero (`-0`, `-0.0`).
 */
const NUMBERS_READ_DIFFERENTLY = /(?:^|[^A-Za-z0-9_])[-+]?0[xXoObB]|[0-9]_|(?:^|[^A-Za-z0-9_.])-0+(?:\.0*)?(?:[eE][-+]?[0-9]+)?(?![0-9A-Za-z_.])/;

export function fastParseYaml(text: string): unknown {
  const lines = text.split('\n');
  for (const line of lines) if (!SIMPLE_LINE.test(line) || NUMBERS_READ_DIFFERENTLY.test(line)) return undefined;
  let data: unknown;
  try {
    // json: false makes duplicate keys an error (the full parser then reports where).
    data = jsYaml.load(text, { schema: jsYaml.JSON_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  return acceptable(data, 0) ? data : undefined;
}

/** Data both parsers agree on: no -0 or non-finite number, no forbidden or non-string key, bounded depth. */
function acceptable(value: unknown, depth: number): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (value === null || typeof value !== 'object') return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) return value.every((v) => acceptable(v, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key) || CORE_NON_STRING.test(key)) return false;
    if (!acceptable((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}
