import path from 'node:path';
import { OutputError } from '../errors.js';
import { readCappedFile } from '../read-capped-file.js';

/**
 * Each output folder (collector/, dashboards/, loadtests/) carries a record of the files
 * `platform generate` wrote into it. Generation replaces or removes only recorded files; anything
 * else in the folder belongs to the user and is kept. A plain text file, not JSON or YAML, so
 * Grafana's file provider (which loads every *.json under dashboards/) and globs over
 * collector/*.yaml never pick it up.
 */
export const RECORD_FILE = '.platform-generated';
/** A record is a list of paths; anything this large is not one. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

const HEADER = [
  '# Written by `platform generate`: the files it owns in this folder, one per line.',
  '# It replaces or removes only these; every other file here is yours and is kept.',
];

/** `root/RECORD_FILE`, relative to --out. */
export function recordPath(root: string): string {
  return `${root}/${RECORD_FILE}`;
}

/** The record for `root`, listing `files` (paths relative to --out, under root) relative to root, sorted. */
export function renderRecord(root: string, files: Iterable<string>): string {
  const inRoot = [...files].filter((f) => f.startsWith(`${root}/`)).map((f) => f.slice(root.length + 1));
  inRoot.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${[...HEADER, ...inRoot].join('\n')}\n`;
}

/**
 * The files recorded for `root` under `base` (relative to --out, e.g. `collector/agent.yaml`), or
 * undefined when the folder has no record (never generated, or by a version that kept none).
 * Lines that are not a plain relative path inside the folder are ignored: a record can only ever
 * name files inside its own folder.
 */
export function readRecord(base: string, root: string): Set<string> | undefined {
  const file = path.join(base, root, RECORD_FILE);
  const r = readCappedFile(file, MAX_RECORD_BYTES);
  if (!r.ok) {
    if (r.reason === 'missing') return undefined;
    throw new OutputError(
      recordPath(root),
      `cannot read the generated-files record (${r.reason}: ${r.detail})`,
      `replace it with the file "platform generate" writes: delete ${recordPath(root)} and run generate again`,
    );
  }
  const out = new Set<string>();
  for (const raw of r.bytes.toString('utf8').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('/') || line.split('/').some((s) => s === '' || s === '.' || s === '..') || line.includes('\\') || line.includes('\0')) continue;
    out.add(`${root}/${line}`);
  }
  return out;
}
