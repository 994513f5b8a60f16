/**
 * Does a piece of literal text look like a credential, whatever the field is called? Two tests:
 * a known token prefix (vendors publish them so scanners can find leaked keys), and an entropy
 * heuristic for the rest: at least 20 characters from the token alphabet with at least 3.5 bits
 * of Shannon entropy per character, and a stretch of at least 12 characters without a separator
 * (- _ . /) that mixes letters and digits (random base64/hex keys, UUIDs). Identifiers made of
 * words (`tenant-production-europe-west-1`) have high entropy but no such stretch.
 */
const KNOWN_PREFIXES =
  /^(?:hc[a-z]{2}k_|ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|gldt-|glrt-|xox[abeoprs]-|xapp-|sk_live_|sk_test_|rk_live_|rk_test_|whsec_|sk-[A-Za-z0-9_-]{16}|npm_[A-Za-z0-9]{16}|pypi-|dop_v1_|shpat_|shpss_|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_-]{20}|SG\.[A-Za-z0-9_-]{16}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/;
const TOKEN_ALPHABET = /^[A-Za-z0-9+/=_.~-]+$/;
export const MIN_TOKEN_LENGTH = 20;
export const MIN_TOKEN_ENTROPY_BITS = 3.5;
const MIN_RANDOM_STRETCH = 12;

export type TokenShape = 'known token prefix' | 'high-entropy text';

/** Shannon entropy in bits per character. */
export function entropyBits(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Why `word` (one whitespace/punctuation-separated piece of literal text) looks like a credential, or undefined. */
export function tokenShape(word: string, { entropy = true }: { entropy?: boolean } = {}): TokenShape | undefined {
  if (KNOWN_PREFIXES.test(word)) return 'known token prefix';
  if (!entropy || word.length < MIN_TOKEN_LENGTH || !TOKEN_ALPHABET.test(word)) return undefined;
  const randomStretch = word.split(/[-_./]+/).some((part) => part.length >= MIN_RANDOM_STRETCH && /[0-9]/.test(part) && /[A-Za-z]/.test(part));
  if (!randomStretch) return undefined;
  return entropyBits(word) >= MIN_TOKEN_ENTROPY_BITS ? 'high-entropy text' : undefined;
}

/** The first token-shaped word in literal text (words split at spaces, commas, semicolons, '=' and ':'). */
export function findTokenShape(text: string, options?: { entropy?: boolean }): TokenShape | undefined {
  for (const word of text.split(/[\s,;=:]+/)) {
    const shape = word === '' ? undefined : tokenShape(word, options);
    if (shape !== undefined) return shape;
  }
  return undefined;
}
