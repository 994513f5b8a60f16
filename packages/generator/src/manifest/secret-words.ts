/**
 * Does a name (header, query parameter) say it carries a secret? Matched by shape, not exact
 * spelling: the name is split into words at separators and case changes (`X-Auth-Token`,
 * `accessToken`, `api_key`, `clientSecret` …) and lower-cased; it is secret when a word is one of
 * the short secret words, or when the words run together contain one of the long ones
 * (`apikey`, `xapikey`, `subscriptionkey`).
 */
const SECRET_WORDS: ReadonlySet<string> = new Set(['key', 'pass', 'pwd', 'auth', 'sig', 'jwt', 'sas', 'otp', 'pat']);
const SECRET_SUBSTRINGS: readonly string[] = [
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'authorization',
  'authentication',
  'apikey',
  'accesskey',
  'privatekey',
  'clientkey',
  'licensekey',
  'subscriptionkey',
  'credential',
  'signature',
  'cookie',
  'session',
  'bearer',
  'apitoken',
];

export function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

export function isSecretName(name: string): boolean {
  const words = splitWords(name);
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  const joined = words.join('');
  return SECRET_SUBSTRINGS.some((s) => joined.includes(s));
}
