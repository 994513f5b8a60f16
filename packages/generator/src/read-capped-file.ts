import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type CappedRead =
  | { readonly ok: true; readonly bytes: Buffer }
  | { readonly ok: false; readonly reason: 'missing' | 'not-regular' | 'too-large' | 'unreadable'; readonly detail: string };

/**
 * Reads a regular file, at most `cap` bytes. The descriptor is opened first (non-blocking, so a
 * FIFO without a writer cannot hang the open) and checked with fstat on that descriptor, so what
 * is checked is what is read: a directory, FIFO, socket or device (a symlink to /dev/zero) is
 * refused. The size from stat is never trusted (/proc files and devices report 0): at most cap + 1
 * bytes are read, and reading cap + 1 means the file is too large.
 */
export function readCappedFile(file: string, cap: number): CappedRead {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', detail: code ?? String(e) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not-regular', detail: kindOf(st) };
    if (st.size > cap) return { ok: false, reason: 'too-large', detail: `${(st.size / 1024 / 1024).toFixed(1)} MB` };
    const buf = Buffer.allocUnsafe(Math.min(cap + 1, Math.max(st.size + 1, 64 * 1024)));
    let bytes = buf;
    let total = 0;
    for (;;) {
      if (total === bytes.length) {
        if (bytes.length > cap) break;
        const bigger = Buffer.allocUnsafe(Math.min(cap + 1, bytes.length * 2));
        bytes.copy(bigger, 0, 0, total);
        bytes = bigger;
      }
      const n = readSync(fd, bytes, total, bytes.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > cap) return { ok: false, reason: 'too-large', detail: 'more than the limit (its size grew while reading or stat reports no size)' };
    return { ok: true, bytes: bytes.subarray(0, total) };
  } catch (e) {
    return { ok: false, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? String(e) };
  } finally {
    closeSync(fd);
  }
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}
