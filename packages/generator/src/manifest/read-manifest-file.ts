import { ManifestError, UsageError } from '../errors.js';
import { readCappedFile } from '../read-capped-file.js';
import { MAX_MANIFEST_BYTES } from './input-budget.js';

/**
 * The manifest's text, read within the input budget: a regular file (a symlink to one is fine) of
 * at most MAX_MANIFEST_BYTES, never more than that read from disk. A directory, FIFO or device
 * (a symlink to /dev/zero) and anything larger are refused with exit 2 at `file:1:1`.
 */
export function readManifestFile(full: string, file: string): string {
  const r = readCappedFile(full, MAX_MANIFEST_BYTES);
  if (r.ok) return r.bytes.toString('utf8');
  const limit = `${MAX_MANIFEST_BYTES / 1024 / 1024} MB`;
  switch (r.reason) {
    case 'missing':
      throw new UsageError(`cannot read manifest ${file} (run "platform init" to create one)`);
    case 'not-regular':
      throw new ManifestError([
        { file, line: 1, col: 1, path: '', message: `manifest is ${r.detail}, not a regular file`, hint: 'point --manifest at a YAML file' },
      ]);
    case 'too-large':
      throw new ManifestError([
        {
          file,
          line: 1,
          col: 1,
          path: '',
          message: /^[0-9.]+ MB$/.test(r.detail) ? `manifest is ${r.detail}, more than the ${limit} limit` : `manifest is more than the ${limit} limit`,
          hint: 'split the platform into several manifests',
        },
      ]);
    default:
      throw new UsageError(`cannot read manifest ${file} (${r.detail})`);
  }
}
