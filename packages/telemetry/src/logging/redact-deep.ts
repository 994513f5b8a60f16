import { DEFAULT_REDACT_QUERY_PARAMS } from '../config/defaults.js';
import { createSecretParamMatcher, redactUrl, redactUrlsInText } from '../redaction/redact-url.js';
import { createSecretNameMatcher } from '../redaction/secret-names.js';
import { httpMessageShape } from './http-message-shape.js';
import { serializeError } from './serialize-error.js';

export const REDACTED = '[REDACTED]';
/** Replaces whatever lies deeper than the depth limit or past the node budget: it is not printed unread. */
export const TOO_DEEP = '[REDACTED: too deep]';
export const DEFAULT_MAX_REDACT_DEPTH = 8;
/** Objects and arrays read per log call; past it every further one is replaced by TOO_DEEP. */
export const DEFAULT_MAX_REDACT_NODES = 10_000;

/** Redacts a value about to be logged; `text` redacts a message string (secret URL query parameters, userinfo). */
export type Redactor = (<T>(value: T) => T) & { readonly text: (s: string) => string };

export interface DeepRedactorOptions {
  /** Depth of the deepest object read (the logged object is depth 0); deeper ones become TOO_DEEP. */
  maxDepth?: number;
  /** Objects and arrays read per call before the rest become TOO_DEEP. */
  maxNodes?: number;
  /** Query parameters redacted in URL-looking strings, beyond the shape rules (default DEFAULT_REDACT_QUERY_PARAMS). */
  queryParams?: readonly string[];
}

/** A header name as it appears in `rawHeaders` (RFC 9110 token characters). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/**
 * Builds a function that redacts secrets from a value about to be logged, whatever its shape:
 * - the value of every key whose name has a secret's shape (secret-names.ts: `accessToken`,
 *   `x-auth-token`, `client_secret`, `ocp-apim-subscription-key`, ...) or equals one of `keys`
 *   (case and separators ignored) becomes "[REDACTED]";
 * - in arrays of strings the value after a secret header name (`req.rawHeaders`) is redacted;
 * - URL strings and URL objects keep their form with secret query parameters and userinfo
 *   credentials as `REDACTED`;
 * - Errors (under any key) become pino's error shape (type, message, stack, own fields: the
 *   axios `err.config.headers.Authorization`), Maps and `Headers` become plain objects, node:http
 *   messages a bounded summary, other class instances their own enumerable fields: all walked;
 * - anything deeper than `maxDepth`, or past `maxNodes` objects, is replaced, never printed unread.
 *
 * Copy-on-write: input objects are never mutated; when nothing matches, the very same object
 * is returned (no allocation), so the common log line costs one walk and a cached name lookup
 * per key. Depth and node budget are bounded, so cycles and huge graphs cannot stall the host.
 */
export function createDeepRedactor(keys: readonly string[], options: DeepRedactorOptions = {}): Redactor {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_REDACT_DEPTH;
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_REDACT_NODES;
  const isSecret = createSecretNameMatcher(keys);
  const isSecretParam = createSecretParamMatcher([...(options.queryParams ?? DEFAULT_REDACT_QUERY_PARAMS), ...keys]);
  let nodes = 0;

  const redactString = (s: string): string => (s.includes('?') || s.includes('@') ? redactUrlsInText(s, isSecretParam) : s);

  const value = (item: unknown, depth: number): unknown => {
    if (typeof item === 'string') return item.length > 2 ? redactString(item) : item;
    if (typeof item !== 'object' || item === null) return item;
    if (depth > maxDepth || ++nodes > maxNodes) return TOO_DEEP;
    return walk(item, depth);
  };

  const walkArray = (arr: readonly unknown[], depth: number): unknown[] => {
    let copy: unknown[] | undefined;
    const pairs = arr.length % 2 === 0;
    for (let i = 0; i < arr.length; i++) {
      const item = arr[i];
      // rawHeaders: [name, value, name, value, ...]: names at even positions of an even-length array.
      if (pairs && i % 2 === 0 && typeof item === 'string' && typeof arr[i + 1] === 'string' && HEADER_NAME.test(item) && isSecret(item)) {
        if (arr[i + 1] !== REDACTED) {
          copy ??= arr.slice();
          copy[i + 1] = REDACTED;
        }
        i++;
        continue;
      }
      const next = value(item, depth + 1);
      if (next !== item) {
        copy ??= arr.slice();
        copy[i] = next;
      }
    }
    return copy ?? (arr as unknown[]);
  };

  /** Walks own enumerable keys; returns `obj` itself when nothing changed, else a plain copy. */
  const walkFields = (obj: Record<string, unknown>, depth: number, plain: boolean): Record<string, unknown> => {
    let copy: Record<string, unknown> | undefined;
    const fieldNames = plain ? undefined : Object.keys(obj);
    if (fieldNames === undefined) {
      for (const key in obj) {
        const item = obj[key];
        const next = isSecret(key) ? (item === undefined ? item : REDACTED) : value(item, depth + 1);
        if (next !== item) {
          copy ??= { ...obj };
          copy[key] = next;
        }
      }
    } else {
      for (let i = 0; i < fieldNames.length; i++) {
        const key = fieldNames[i]!;
        const item = obj[key];
        const next = isSecret(key) ? (item === undefined ? item : REDACTED) : value(item, depth + 1);
        if (next !== item) {
          copy ??= copyOwn(obj);
          copy[key] = next;
        }
      }
    }
    return copy ?? obj;
  };

  const walk = (obj: object, depth: number): unknown => {
    if (Array.isArray(obj)) return walkArray(obj, depth);
    const proto: unknown = Object.getPrototypeOf(obj);
    if (proto === Object.prototype || proto === null) return walkFields(obj as Record<string, unknown>, depth, true);
    try {
      return walkExotic(obj, depth);
    } catch {
      // A getter threw, or an exotic object refused to be read: print nothing of it.
      return TOO_DEEP;
    }
  };

  const walkExotic = (obj: object, depth: number): unknown => {
    if (obj instanceof Error) return walkFields(copyOwn(serializeError(obj) as Record<string, unknown>), depth, true);
    if (obj instanceof Date || ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) return obj;
    if (obj instanceof URL) return redactUrl(obj.href, isSecretParam);
    if (obj instanceof URLSearchParams) return redactUrl(`?${obj.toString()}`, isSecretParam).slice(1);
    if (obj instanceof Map) return walkFields(entriesObject(obj), depth, true);
    if (typeof Headers === 'function' && obj instanceof Headers) return walkFields(entriesObject(obj), depth, true);
    const http = httpMessageShape(obj);
    if (http !== undefined) return walkFields(http, depth, true);
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      // What JSON.stringify would print; one level deeper, so a toJSON chain is bounded too.
      const json: unknown = toJSON.call(obj);
      if (json !== obj) {
        const next = value(json, depth + 1);
        return next === json ? obj : next;
      }
    }
    return walkFields(obj as Record<string, unknown>, depth, false);
  };

  const redactor = <T>(input: T): T => {
    if (typeof input !== 'object' || input === null) return input;
    nodes = 0;
    return walk(input, 0) as T;
  };
  return Object.assign(redactor, { text: redactString });
}

/** A plain object with the own enumerable fields of `obj` (what JSON.stringify prints of it). */
function copyOwn(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = obj[key];
  return out;
}

/** Map and Headers entries as a plain object (string keys); what a log line can show of them. */
function entriesObject(source: { forEach(cb: (value: unknown, key: unknown) => void): void }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  source.forEach((v, k) => {
    out[String(k)] = v;
  });
  return out;
}
