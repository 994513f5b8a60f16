import type { PathSegment } from './parse.js';

/**
 * Reports one problem at a manifest path (the caller resolves it to file:line:col); `key` points at
 * the key instead of its value. Checks call it for every problem so all are reported in one run.
 */
export type ReportIssue = (path: readonly PathSegment[], message: string, hint?: string, key?: boolean) => void;
