import { describe, expect, it } from 'vitest';
import { startManagedProcess } from './support/managed-process.js';

describe('the process harness for real binaries', () => {
  it('a process that exits fails the readiness wait at once, with its output', async () => {
    const proc = startManagedProcess({ name: 'quitter', command: 'sh', args: ['-c', 'echo going away >&2; exit 3'] });
    const started = Date.now();
    await expect(proc.waitUntil(() => false, 20_000)).rejects.toThrow(/quitter not ready: .*exited \(code 3[\s\S]*going away/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a binary that cannot start is reported, not thrown into the test run', async () => {
    const proc = startManagedProcess({ name: 'missing', command: '/nonexistent/binary', args: [] });
    await expect(proc.waitUntil(() => false, 20_000)).rejects.toThrow(/missing not ready[\s\S]*spawn error: .*ENOENT/);
    expect(await proc.exited).toEqual({ code: -1, signal: null });
  });
});
