/** One problem found in the manifest: where it is, what is wrong, how to fix it. */
export interface ManifestIssue {
  readonly file: string;
  /** 1-based line and column; 0 when the position is unknown. */
  readonly line: number;
  readonly col: number;
  /** JSON-pointer-like field path, e.g. `services[0].slos.latency.objective`. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** Thrown (and caught at the CLI edge) when the manifest cannot be turned into a model. */
export class ManifestError extends Error {
  readonly issues: readonly ManifestIssue[];
  /** Further problems found but not listed (the list is capped so a hostile file cannot make it huge). */
  readonly omitted: number;
  constructor(issues: readonly ManifestIssue[], omitted = 0) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ManifestError';
    this.issues = issues;
    this.omitted = omitted;
  }
}

/** `file:line:col: path: message` plus an indented hint line. */
export function formatIssue(issue: ManifestIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.col}`;
  const field = issue.path === '' ? '(root)' : issue.path;
  const hint = issue.hint ? `\n    hint: ${issue.hint}` : '';
  return `${where}: error: ${field}: ${issue.message}${hint}`;
}

/** Usage errors (bad flags) – exit code 2 like manifest errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The output directory cannot be written as asked (a symlinked output folder, a file the manifest
 * would overwrite that `generate` did not write, a read-only or full disk). Exit code 2 with one
 * line: the path, what is wrong, and what to do.
 */
export class OutputError extends Error {
  /** The path the problem is about, relative to --out when it is inside it. */
  readonly path: string;
  readonly hint: string;
  constructor(path: string, message: string, hint: string) {
    super(message);
    this.name = 'OutputError';
    this.path = path;
    this.hint = hint;
  }
}

/** `path: error: message (hint: ...)` on one line. */
export function formatOutputError(e: OutputError): string {
  return `${e.path}: error: ${e.message} (hint: ${e.hint})`;
}
