/**
 * The public API of @platform/generator: what the README's "Library API" lists, nothing more
 * (test/public-api.test.ts snapshots it). Everything else under src/ is internal.
 */
// The CLI as functions (arguments in, exit code out).
export { runCli, runCliAsync, EXIT } from './cli/run.js';
export type { CliIo } from './cli/run.js';
// The manifest: parsed, validated and resolved into the model every output is rendered from.
export { loadManifest } from './manifest/validate.js';
export { ManifestError, formatIssue } from './errors.js';
export type { ManifestIssue } from './errors.js';
export type { PlatformModel, ServiceModel } from './model.js';
// The output, in memory.
export { renderAll, renderFiles } from './generate.js';
// The PromQL in the output, for live contract tests.
export { collectQueries } from './queries.js';
export type { PromQuery } from './queries.js';
export { substituteGrafanaVariables } from './promql/expressions.js';
