import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

/** Absolute path of the published JSON Schema (packages/generator/schema/platform.schema.json). */
export const MANIFEST_SCHEMA_PATH = fileURLToPath(new URL('../../schema/platform.schema.json', import.meta.url));

let compiled: ValidateFunction | undefined;

export function loadManifestSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(MANIFEST_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

/** Validates data against the manifest schema; returns Ajv errors (empty when valid). */
export function schemaErrors(data: unknown): ErrorObject[] {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true, verbose: true });
    compiled = ajv.compile(loadManifestSchema());
  }
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}
