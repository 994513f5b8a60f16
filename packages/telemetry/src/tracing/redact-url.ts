export const REDACTED_QUERY_VALUE = 'REDACTED';

const LOOKS_SECRET = /token|secret|passw|signature|api[-_]?key|credential|session/i;

/** Predicate for query-parameter names whose value must never be recorded. */
export function createSecretParamMatcher(names: readonly string[]): (name: string) => boolean {
  const exact = new Set(names.map((n) => n.toLowerCase()));
  return (name: string): boolean => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name);
    } catch {
      /* keep raw */
    }
    const lower = decoded.toLowerCase();
    return exact.has(lower) || LOOKS_SECRET.test(lower);
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

/** Redacts the query part of a URL or path (`/p?token=x#f`). Returns the same string when nothing changed. */
export function redactUrl(url: string, isSecret: (name: string) => boolean): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const hash = url.indexOf('#', q);
  const query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash);
  const redacted = redactQueryString(query, isSecret);
  if (redacted === query) return url;
  return url.slice(0, q + 1) + redacted + (hash === -1 ? '' : url.slice(hash));
}
