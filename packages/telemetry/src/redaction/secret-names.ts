/**
 * One answer to "is this name a secret?" for every place a name decides whether a value is
 * kept: log field names, header names, query parameters recorded on spans. Names are matched
 * by shape, not spelling: `accessToken`, `ACCESS_TOKEN`, `access-token`, `access.token` and
 * `accesstoken` are the same name.
 *
 * A name is split into lower-case words at separators (anything not a letter or digit), at
 * camelCase humps (`clientSecret`, `APIKey`) and between letters and digits, then:
 * - a strong word anywhere is a secret (`token`, `secret`, `password`, `cookie`, `jwt`, ...),
 *   also as the end of a run-together word (`accesstoken`, `dbpassword`), unless the name ends in a
 *   word that describes the secret rather than holding it (`tokenType`, `secretName`,
 *   `passwordChangedAt`, `promptTokens`);
 * - a pair of adjacent words is a secret (`api key`, `private key`, `session id`, `subscription key`);
 * - the short words `auth` and `pass` are secrets only as the last word or before `key`/`word`
 *   (`x-auth`, `dbPass`, `userpass`, `x-auth-key`), never inside another word (`passenger`,
 *   `author`) nor in English words ending with them (`compass`, `bypass`); `authMethod` and
 *   `passThrough` are not secrets.
 */

const STRONG_WORDS: ReadonlySet<string> = new Set([
  'token',
  'tokens',
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'pwd',
  'passphrase',
  'authorization',
  'cookie',
  'cookies',
  'credential',
  'credentials',
  'jwt',
  'signature',
  'apikey',
  'privatekey',
  'sessionid',
  'accesskey',
  'secretkey',
  'subscriptionkey',
  'signingkey',
  'encryptionkey',
  'authkey',
  'csrf',
  'xsrf',
]);

/** Strong words also matched as the end of a word run together without separators. */
const STRONG_SUFFIXES: readonly string[] = [
  'token',
  'tokens',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'authorization',
  'cookie',
  'credential',
  'credentials',
  'signature',
  'apikey',
  'privatekey',
  'sessionid',
  'accesskey',
  'secretkey',
  'subscriptionkey',
  'signingkey',
  'encryptionkey',
  'authkey',
];

/** Adjacent word pairs that name a secret. */
const SECRET_PAIRS: ReadonlySet<string> = new Set([
  'api key',
  'private key',
  'secret key',
  'access key',
  'subscription key',
  'signing key',
  'encryption key',
  'master key',
  'session id',
  'session key',
  'auth key',
  'pass word',
  'pass phrase',
]);

/** Words that are secrets only as the last word of a name, also run together (`userpass`, `basicauth`). */
const WEAK_WORDS: readonly string[] = ['auth', 'pass'];
/** English words ending in a weak word that name no secret. */
const NOT_WEAK: ReadonlySet<string> = new Set(['compass', 'bypass', 'overpass', 'underpass', 'encompass', 'trespass', 'surpass', 'flypass']);

/** A last word that describes a secret instead of holding it: `tokenType`, `secretName`, `passwordUpdatedAt`. */
const DESCRIPTIVE_LAST_WORDS: ReadonlySet<string> = new Set([
  'count',
  'counts',
  'length',
  'type',
  'types',
  'kind',
  'name',
  'names',
  'expiry',
  'expires',
  'expiration',
  'ttl',
  'at',
  'usage',
  'used',
  'limit',
  'size',
  'enabled',
  'required',
  'provider',
  'method',
  'format',
  'algorithm',
  'alg',
  'version',
  'id',
  'ids',
  'url',
  'uri',
  'endpoint',
  'path',
]);

/** `max_tokens`, `prompt_tokens`: language-model token counts, not credentials. */
const TOKEN_COUNT_QUALIFIERS: ReadonlySet<string> = new Set(['prompt', 'completion', 'total', 'input', 'output', 'max', 'cached', 'reasoning', 'num']);

const MAX_CACHED_NAMES = 4096;
const shapeCache = new Map<string, boolean>();

/** The lower-case words of a name: `X-Auth-Token` -> x auth token, `clientSecretV2` -> client secret v 2. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])|([0-9])([a-zA-Z])/g, '$1$3 $2$4')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The name with case and separators removed: `X-API-Key`, `x_api_key`, `xApiKey` -> `xapikey`. */
export function squashName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function isStrong(word: string): boolean {
  if (STRONG_WORDS.has(word)) return true;
  for (const suffix of STRONG_SUFFIXES) if (word.length > suffix.length && word.endsWith(suffix)) return true;
  return false;
}

function hasSecretShape(name: string): boolean {
  const words = nameWords(name);
  const n = words.length;
  if (n === 0) return false;
  for (let i = 0; i + 1 < n; i++) if (SECRET_PAIRS.has(`${words[i]} ${words[i + 1]}`)) return true;
  const last = words[n - 1]!;
  for (const weak of WEAK_WORDS) if (last.endsWith(weak) && !NOT_WEAK.has(last)) return true;
  if (isStrong(last)) return !(last.startsWith('token') && n > 1 && TOKEN_COUNT_QUALIFIERS.has(words[n - 2]!));
  if (DESCRIPTIVE_LAST_WORDS.has(last)) return false;
  for (let i = 0; i < n - 1; i++) if (isStrong(words[i]!)) return true;
  return false;
}

/** True when `name` has the shape of a secret's name (see the module comment). Cached, bounded. */
export function looksLikeSecretName(name: string): boolean {
  let hit = shapeCache.get(name);
  if (hit === undefined) {
    hit = hasSecretShape(name);
    if (shapeCache.size >= MAX_CACHED_NAMES) shapeCache.clear();
    shapeCache.set(name, hit);
  }
  return hit;
}

/**
 * A predicate for secret names: the built-in shape rules plus `extraNames`, each matched
 * whatever its case and separators (`x-api-key` also matches `X_API_KEY` and `xApiKey`).
 */
export function createSecretNameMatcher(extraNames: readonly string[]): (name: string) => boolean {
  const extra = new Set(extraNames.map(squashName).filter((n) => n.length > 0));
  const cache = new Map<string, boolean>();
  return (name: string): boolean => {
    let hit = cache.get(name);
    if (hit === undefined) {
      hit = looksLikeSecretName(name) || (extra.size > 0 && extra.has(squashName(name)));
      if (cache.size >= MAX_CACHED_NAMES) cache.clear();
      cache.set(name, hit);
    }
    return hit;
  };
}
