import { formatPath, type PathSegment } from './parse.js';
import { isSecretName } from './secret-words.js';
import { findTokenShape } from './token-shape.js';

/**
 * Literal secrets the generator refuses: everything in the manifest ends up in generated files
 * (collector YAML, its README, Grafana provisioning) that are committed and shared, so a
 * credential may only appear as `${env:VAR}`, which the collector resolves at start.
 *
 * - URL-like fields (any string field named `…endpoint`/`…Endpoint`/`…Url`/`url`): userinfo with
 *   or without a scheme (`https://u:p@h`, `u:p@h:4317`), query parameters whose name says secret
 *   (`api_key`, `token`, `sig`, `X-Amz-Signature` … see secret-words.ts) unless the value is
 *   exactly `${env:VAR}`, and token-shaped text anywhere in the URL (token-shape.ts).
 * - Headers (any mapping named `headers` or `queryHeaders`): a header whose name says secret must be
 *   `[Scheme ]${env:VAR}`; any header value with token-shaped literal text is refused too.
 * - Config providers: every `${` in every string must be a plain `${env:VAR}`. `${file:…}`,
 *   `${http:…}`, `${https:…}`, `${yaml:…}` would make the collector read files or fetch URLs at
 *   start; `${env:VAR:-default}` would put a literal default in the file; a bare `${VAR}` (also
 *   an environment reference to the collector) is refused so there is one spelling to check and
 *   grep for. Request bodies of load-test endpoints are exempt: they are opaque payloads that
 *   only k6 sends, JSON-encoded, and nothing expands them.
 *
 * Messages never contain the value: a finding names the field, the kind of problem and a hint.
 */
export interface SecretFinding {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly hint: string;
  /** The problem is the key (a header name), not the value. */
  readonly key?: boolean;
}

const ENV_REF = /\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/g;
const ONLY_ENV_REF = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;
const AUTH_SCHEME = /^\s*(Bearer|Basic|Token|Api-Key|ApiKey|Splunk|GenieKey|Key|Digest|SSWS|Negotiate)\s+/i;
const SECRET_HEADER_VALUE = /^(?:(?:Bearer|Basic|Token|Api-Key|ApiKey|Splunk|GenieKey|Key|Digest|SSWS|Negotiate)\s+)?\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/i;
const URL_FIELD = /(?:endpoint|url)$/i;
/** Mappings of header name -> value: sent by the collector (`headers`) or by Grafana (`queryHeaders`). */
const HEADER_MAPS: ReadonlySet<string> = new Set(['headers', 'queryHeaders']);
const URL_HINT = 'send credentials as a header whose value is ${env:VAR} (the collector reads it from the environment at start)';

export function findLiteralSecrets(data: unknown): SecretFinding[] {
  const findings: SecretFinding[] = [];
  walk(data, [], findings);
  return findings;
}

function walk(value: unknown, path: PathSegment[], out: SecretFinding[]): void {
  if (typeof value === 'string') {
    checkProviders(value, path, out);
    const last = path[path.length - 1];
    if (typeof last === 'string' && URL_FIELD.test(last) && !HEADER_MAPS.has(String(path[path.length - 2]))) checkUrl(value, path, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (isRequestBody(path)) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], out));
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (HEADER_MAPS.has(String(path[path.length - 1]))) for (const [name, v] of entries) if (typeof v === 'string') checkHeader(name, v, [...path, name], out);
  for (const [k, v] of entries) {
    checkProviders(k, [...path, k], out, true);
    walk(v, [...path, k], out);
  }
}

/** services[i].endpoints[j].body: k6's request payload, never expanded by anything. */
function isRequestBody(path: readonly PathSegment[]): boolean {
  return path.length === 5 && path[0] === 'services' && path[2] === 'endpoints' && path[4] === 'body';
}

function checkProviders(text: string, path: PathSegment[], out: SecretFinding[], key = false): void {
  let i = text.indexOf('${');
  while (i >= 0) {
    const rest = text.slice(i);
    const env = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}/.exec(rest);
    if (env === null) {
      const provider = /^\$\{([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest)?.[1];
      const bare = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(rest)?.[1];
      if (provider !== undefined && provider.toLowerCase() !== 'env') {
        out.push({
          path,
          key,
          message: `config provider "\${${provider}:…}" is not allowed`,
          hint: `only \${env:VAR} is: "\${${provider}:…}" would make the collector read a file or fetch a URL when it starts; put the value in an environment variable`,
        });
      } else if (bare !== undefined) {
        out.push({ path, key, message: `bare \${${bare}} reference`, hint: `write \${env:${bare}}: one spelling for environment references` });
      } else {
        out.push({
          path,
          key,
          message: 'a "${" that is not a plain ${env:VAR} reference',
          hint: 'write ${env:VAR} (letters, digits, _; no default value after ":-")',
        });
      }
      return;
    }
    i = text.indexOf('${', i + env[0].length);
  }
}

function checkHeader(name: string, value: string, path: PathSegment[], out: SecretFinding[]): void {
  const literal = value.replace(ENV_REF, ' ');
  const hint = `reference an environment variable instead, e.g. ${name}: "${schemeOf(name, value)}\${env:${envVarFor(name)}}"`;
  if (isSecretName(name) && !SECRET_HEADER_VALUE.test(value.trim())) {
    out.push({ path, message: 'literal credential in header', hint });
    return;
  }
  const shape = findTokenShape(literal.replace(AUTH_SCHEME, ' '));
  if (shape !== undefined) out.push({ path, message: `header value looks like a credential (${shape})`, hint });
}

/** `x-api-key` -> `X_API_KEY`: a valid variable name for the hint (`_` first when the name starts with a digit). */
function envVarFor(header: string): string {
  const name = header.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** The scheme to keep in the hint: the one the value uses; Bearer for an Authorization header without one. */
function schemeOf(name: string, value: string): string {
  const scheme = AUTH_SCHEME.exec(value)?.[1];
  if (scheme !== undefined) return `${scheme} `;
  return /^(?:proxy-)?authorization$/i.test(name) ? 'Bearer ' : '';
}

function checkUrl(url: string, path: PathSegment[], out: SecretFinding[]): void {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(url)?.[0] ?? '';
  const rest = url.slice(scheme.length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  if (authority.includes('@')) {
    out.push({ path, message: 'credentials in URL', hint: `remove user:password@ (with or without a scheme) and ${URL_HINT}` });
    return;
  }
  const q = rest.indexOf('?');
  const pathPart = (q < 0 ? rest : rest.slice(0, q)).split('#')[0] ?? '';
  const query = q < 0 ? '' : (rest.slice(q + 1).split('#')[0] ?? '');
  for (const param of query.split(/[&;]/)) {
    if (param === '') continue;
    const eq = param.indexOf('=');
    const name = decode(eq < 0 ? param : param.slice(0, eq));
    const value = eq < 0 ? '' : decode(param.slice(eq + 1));
    if (isSecretName(name) && value !== '' && !ONLY_ENV_REF.test(value)) {
      out.push({
        path,
        message: `secret-looking query parameter "${name.replace(/[^A-Za-z0-9_.-]/g, '?')}"`,
        hint: `${URL_HINT}, or write the parameter's value as \${env:VAR}`,
      });
      return;
    }
    if (findTokenShape(value.replace(ENV_REF, ' ')) !== undefined) {
      out.push({ path, message: 'query parameter value looks like a credential', hint: `${URL_HINT}, or write the value as \${env:VAR}` });
      return;
    }
  }
  // Path segments: known token prefixes only (long random-looking IDs are common in URL paths).
  if (findTokenShape(decode(pathPart).replace(ENV_REF, ' ').replace(/\//g, ' '), { entropy: false }) !== undefined) {
    out.push({ path, message: 'URL path looks like it contains a credential (known token prefix)', hint: URL_HINT });
  }
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Fields whose values may hold a credential: never echo them in an error message. */
export function isSecretBearingPath(path: readonly PathSegment[]): boolean {
  const last = path[path.length - 1];
  return path.includes('headers') || (typeof last === 'string' && URL_FIELD.test(last)) || formatPath(path).includes('.body');
}

/** What an error message shows instead of a value that may be a credential. */
export function maskedValue(value: unknown): string {
  const length = typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 0);
  return `<value hidden: ${length} characters>`;
}
