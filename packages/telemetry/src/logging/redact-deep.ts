export const REDACTED = '[REDACTED]';
export const DEFAULT_MAX_REDACT_DEPTH = 8;

export type Redactor = <T>(value: T) => T;

const MAX_KEY_CACHE = 2048;

/**
 * Builds a function that replaces the value of every key in `keys` (case-insensitive) with
 * "[REDACTED]", at any depth up to `maxDepth`, inside plain objects and arrays.
 *
 * Copy-on-write: input objects are never mutated; when nothing matches, the very same object
 * is returned (no allocation), so the common log line costs one walk and a cached Set lookup
 * per key. Errors, Buffers, Dates, Maps and class instances are left alone (pino serializes
 * them itself); depth is bounded, so cycles cannot loop.
 */
export function createDeepRedactor(keys: readonly string[], maxDepth = DEFAULT_MAX_REDACT_DEPTH): Redactor {
  const secret = new Set(keys.map((k) => k.toLowerCase()));
  const cache = new Map<string, boolean>();
  const isSecret = (key: string): boolean => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = secret.has(key.toLowerCase());
      if (cache.size >= MAX_KEY_CACHE) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };

  const walk = (value: unknown, depth: number): unknown => {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (typeof item !== 'object' || item === null || depth >= maxDepth) continue;
        const next = walk(item, depth + 1);
        if (next !== item) {
          copy ??= value.slice();
          copy[i] = next;
        }
      }
      return copy ?? value;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return value;
    const obj = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    for (const key in obj) {
      if (isSecret(key)) {
        if (obj[key] === REDACTED) continue;
        copy ??= { ...obj };
        copy[key] = REDACTED;
        continue;
      }
      const item = obj[key];
      if (typeof item !== 'object' || item === null || depth >= maxDepth) continue;
      const next = walk(item, depth + 1);
      if (next !== item) {
        copy ??= { ...obj };
        copy[key] = next;
      }
    }
    return copy ?? obj;
  };

  return <T>(value: T): T => (typeof value === 'object' && value !== null ? (walk(value, 0) as T) : value);
}
