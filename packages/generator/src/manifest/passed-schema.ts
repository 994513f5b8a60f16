import type { ErrorObject } from 'ajv/dist/2020.js';
import type { PathSegment } from './parse.js';

/** True when the sub-tree at `path` has the schema's shape (the semantic checks may read it as typed). */
export type PassedSchema = (path: readonly PathSegment[]) => boolean;

/**
 * Which sub-trees of a schema-invalid document the semantic checks may still read, so `validate`
 * reports schema and semantic problems in one run. A sub-tree passed when no schema error lies at
 * it, inside it, or on the way to it (a wrong type on a parent means the sub-tree was never
 * checked). An error about a missing property lies at that property; an unknown key is no error
 * for the sub-tree around it, since no check reads keys the schema does not know.
 */
export function passedSchema(errors: readonly ErrorObject[]): PassedSchema {
  if (errors.length === 0) return () => true;
  /** Where each error lies. */
  const failed = new Set<string>();
  /** Every path on the way to an error (parents of a failed path, the path itself included). */
  const onTheWay = new Set<string>();
  for (const e of errors) {
    const at = errorPath(e);
    if (at === undefined) continue;
    failed.add(key(at));
    for (let n = 0; n <= at.length; n++) onTheWay.add(key(at.slice(0, n)));
  }
  return (path) => {
    if (onTheWay.has(key(path))) return false;
    for (let n = 0; n < path.length; n++) if (failed.has(key(path.slice(0, n)))) return false;
    return true;
  };
}

function errorPath(e: ErrorObject): PathSegment[] | undefined {
  const p = e.params as Record<string, unknown>;
  const at = pointerToPath(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return undefined;
    case 'required':
    case 'dependentRequired':
      return [...at, String(p['missingProperty'])];
    case 'propertyNames':
      return p['propertyName'] === undefined ? at : [...at, String(p['propertyName'])];
    default:
      return at;
  }
}

/** `/services/0/name` -> ['services', 0, 'name'] (RFC 6901 escapes undone). */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function key(path: readonly PathSegment[]): string {
  return JSON.stringify(path);
}
