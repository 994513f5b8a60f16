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
  constructor(issues: readonly ManifestIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ManifestError';
    this.issues = issues;
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
