import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { validate } from './schema-validator.generated.js';

/** Absolute path of the published JSON Schema (packages/generator/schema/platform.schema.json). */
export const MANIFEST_SCHEMA_PATH = fileURLToPath(new URL('../../schema/platform.schema.json', import.meta.url));

export function loadManifestSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(MANIFEST_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

/** The schema compiled ahead of time (scripts/compile-schema.mjs: Ajv standalone code, same options as before). */
const compiled = validate as unknown as { (data: unknown): boolean; errors?: ErrorObject[] | null };

/** Validates data against the manifest schema; returns Ajv errors (empty when valid). */
export function schemaErrors(data: unknown): ErrorObject[] {
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}
