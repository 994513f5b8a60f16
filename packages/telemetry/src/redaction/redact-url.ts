import { createSecretNameMatcher } from './secret-names.js';

export const REDACTED_QUERY_VALUE = 'REDACTED';

/**
 * Predicate for query-parameter names whose value must never be recorded: the shared
 * secret-name shape rules (secret-names.ts, also used for log fields) plus `names`, matched
 * whatever their case and separators. Names are percent-decoded first (`access%5Ftoken`).
 */
export function createSecretParamMatcher(names: readonly string[]): (name: string) => boolean {
  const isSecretName = createSecretNameMatcher(names);
  return (name: string): boolean => {
    let decoded = name;
    if (name.includes('%') || name.includes('+')) {
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        /* keep raw */
      }
    }
    return isSecretName(decoded);
  };
}

/** Redacts a bare query string (`a=1&token=x`). Returns the same string when nothing changed. */
export function redactQueryString(query: string, isSecret: (name: string) => boolean): string {
  if (query.length === 0) return query;
  let changed = false;
  const parts = query.split('&');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const eq = part.indexOf('=');
    const name = eq === -1 ? part : part.slice(0, eq);
    if (name && isSecret(name) && part.slice(eq + 1) !== REDACTED_QUERY_VALUE) {
      parts[i] = `${name}=${REDACTED_QUERY_VALUE}`;
      changed = true;
    }
  }
  return changed ? parts.join('&') : query;
}

/** `scheme://userinfo@` at the start of an absolute URL. */
const USERINFO = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#@]*)@/;

/**
 * Redacts the query part of a URL or path (`/p?token=x#f`) and credentials in its userinfo
 * (`https://user:pass@host` -> `https://REDACTED:REDACTED@host`, as the semantic conventions ask
 * for `url.full`). Returns the same string when nothing changed.
 */
export function redactUrl(url: string, isSecret: (name: string) => boolean): string {
  let out = url;
  if (url.includes('@')) {
    const m = USERINFO.exec(url);
    if (m !== null && m[2]!.length > 0) {
      const replacement = m[2]!.includes(':') ? `${REDACTED_QUERY_VALUE}:${REDACTED_QUERY_VALUE}` : REDACTED_QUERY_VALUE;
      if (m[2] !== replacement) out = `${m[1]}${replacement}@${url.slice(m[0].length)}`;
    }
  }
  const q = out.indexOf('?');
  if (q === -1) return out;
  const hash = out.indexOf('#', q);
  const query = hash === -1 ? out.slice(q + 1) : out.slice(q + 1, hash);
  const redacted = redactQueryString(query, isSecret);
  if (redacted === query) return out;
  return out.slice(0, q + 1) + redacted + (hash === -1 ? '' : out.slice(hash));
}

/** A whitespace-delimited token that may hold a URL query or userinfo. */
const URL_TOKEN = /[^\s"'<>()]*[?@][^\s"'<>()]*/g;

/**
 * Redacts URLs inside free text (`request to https://h/p?token=x failed`): each token that
 * holds a `?` or `@` goes through redactUrl, the rest of the text is kept. A string without
 * whitespace is treated as one URL. Returns the same string when nothing changed.
 */
export function redactUrlsInText(text: string, isSecret: (name: string) => boolean): string {
  if (!text.includes('?') && !text.includes('@')) return text;
  if (!/\s/.test(text)) return redactUrl(text, isSecret);
  let changed = false;
  const out = text.replace(URL_TOKEN, (token) => {
    const r = redactUrl(token, isSecret);
    if (r !== token) changed = true;
    return r;
  });
  return changed ? out : text;
}
