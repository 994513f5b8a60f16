import { ManifestError, type ManifestIssue } from '../errors.js';
import type { PlatformModel } from '../model.js';
import { buildModel } from './build-model.js';
import type { ManifestInput } from './manifest-input.generated.js';
import { formatPath, parseManifest, type ParsedManifest } from './parse.js';
import type { ReportIssue } from './report-issue.js';
import { passedSchema } from './passed-schema.js';
import { schemaIssue } from './schema-issues.js';
import { schemaErrors } from './schema.js';
import { semanticChecks } from './semantic-checks.js';

/*
 * A manifest is read in three steps, each in its own module: the JSON Schema (schema.ts, errors
 * mapped by schema-issues.ts), the checks a schema cannot express (semantic-checks.ts, on the
 * parts that passed the schema: passed-schema.ts), then the resolved model with defaults
 * (build-model.ts, only for a document without problems). Problems are listed by position.
 */

/** Parse + schema + semantic checks + defaults: text in, model out (or ManifestError). */
export function loadManifest(text: string, file: string): PlatformModel {
  const parsed = parseManifest(text, file);
  return validateManifest(parsed);
}

/** Problems listed per run; the rest are counted (each costs a position lookup). */
export const MAX_REPORTED_ISSUES = 100;

export function validateManifest(parsed: ParsedManifest): PlatformModel {
  const issues: ManifestIssue[] = [];
  let omitted = 0;
  const at: ReportIssue = (path, message, hint, key = false) => {
    if (issues.length >= MAX_REPORTED_ISSUES) {
      omitted++;
      return;
    }
    const pos = parsed.positionOf(path, key);
    const base = { file: parsed.file, line: pos.line, col: pos.col, path: formatPath(path), message };
    issues.push(hint === undefined ? base : { ...base, hint });
  };

  const errors = schemaErrors(parsed.data);
  for (const e of errors) {
    if (issues.length >= MAX_REPORTED_ISSUES)
      omitted++; // not mapped: a did-you-mean per error adds up
    else schemaIssue(e, at);
  }
  // Also on a document the schema rejected, on the parts that passed it: every problem in one run.
  semanticChecks(parsed.data, passedSchema(errors), at);
  if (issues.length > 0) throw new ManifestError(dedupe(issues), omitted);
  // No schema error and no semantic problem: the data has the schema's shape.
  return buildModel(parsed.data as ManifestInput);
}

function dedupe(issues: ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  const out: ManifestIssue[] = [];
  for (const i of issues) {
    const k = `${i.line}:${i.col}:${i.path}:${i.message}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(i);
    }
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}
