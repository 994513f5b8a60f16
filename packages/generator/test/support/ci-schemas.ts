import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { REPO_ROOT } from '../helpers.js';

/**
 * The SchemaStore schemas in ../shared/ci-schemas (upstream copies, see its README). They are
 * draft-07 editor schemas with `$schema` repeated in subschemas and vendor keywords, so Ajv runs
 * non-strict; every error is reported (allErrors) so a failing test names all problems at once.
 */
export const CI_SCHEMAS_DIR = path.join(REPO_ROOT, '../shared/ci-schemas');

export function compileCiSchema(file: 'github-workflow.json' | 'backstage-catalog-info.json'): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(JSON.parse(readFileSync(path.join(CI_SCHEMAS_DIR, file), 'utf8')) as object);
}

/** Ajv's errors as `instancePath message` lines (empty when valid). */
export function schemaErrors(validate: ValidateFunction, data: unknown): string[] {
  return validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
