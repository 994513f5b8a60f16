import type { PlatformModel } from '../model.js';

/** One generated file: its path relative to the target's root folder (POSIX separators) and its content. */
export type TargetFile = readonly [path: string, content: string];

/** A PromQL expression as a target wrote it into one of its files (collectQueries adds what it reads). */
export interface TargetQuery {
  /** The file it lives in, relative to the target's root folder (as `files` names it). */
  readonly file: string;
  /** Where inside it: `panel "Request rate by route" A`, `record job:slo_requests:rate5m`, `alert X (page)`. */
  readonly source: string;
  readonly kind: 'dashboard' | 'recording-rule' | 'alerting-rule';
  /** The service (job) the query is about; empty for the overview. */
  readonly job: string;
  /** The expression as written (Grafana variables such as $job, $__rate_interval left in). */
  readonly expr: string;
}

/**
 * One kind of output of `platform generate`. A target says only where its files go and how they
 * are serialised; what goes in them comes from the pure renderers under render/ (model -> data).
 * Adding a target is one file implementing this and one entry in targets/index.ts: generation,
 * --check, the CLI help, the owned output folders and collectQueries all read that list.
 */
export interface Target {
  /** Short name shown in `platform generate --help`. */
  readonly name: string;
  /**
   * Top-level folder under --out the files go into. Generate owns it: it is swapped in whole and
   * carries the record of generated files (`<root>/.platform-generated`). Targets may share one.
   */
  readonly root: string;
  /** One line for the help text: what the files are. */
  readonly describe: string;
  /** The files, rendered lazily (one service at a time) so a writer can stream them to disk. */
  files(model: PlatformModel): Iterable<TargetFile>;
  /** Every PromQL expression in the files, for targets that write PromQL. */
  queries?(model: PlatformModel): Iterable<TargetQuery>;
}
