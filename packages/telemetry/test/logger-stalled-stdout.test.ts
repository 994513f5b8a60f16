/**
 * A stdout that does not keep up (a pipe nobody reads) must not grow the host's memory without
 * bound: the SDK logger queues at most STDOUT_MAX_QUEUED_BYTES for it and drops further lines
 * from stdout, saying so once on stderr.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { STDOUT_MAX_QUEUED_BYTES } from '../src/logging/logger.js';
import { ensureBuilt } from './support/example-service.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const MiB = 1024 * 1024;

beforeAll(() => ensureBuilt());

describe('logger stdout that does not keep up', () => {
  it('holds at most its queue bound of lines in memory, drops the rest from stdout and says so once on stderr', async () => {
    const lines = 65_536; // about 64 MiB of lines, four times the bound
    const child = spawn(process.execPath, ['--expose-gc', 'logger-stalled-stdout.mjs'], {
      cwd: FIXTURES,
      env: { ...process.env, NODE_OPTIONS: '', LINES: String(lines) },
      stdio: ['ignore', 'pipe', 'pipe'], // stdout: never read, so the pipe fills after 64 KiB
    });
    let stderr = '';
    try {
      const report = await new Promise<{ arrayBuffers: number; rss: number }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no report within 30 s: ${stderr}`)), 30_000);
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          const line = stderr.split('\n').find((l) => l.startsWith('{"report"'));
          if (line) {
            clearTimeout(timer);
            resolve(JSON.parse(line) as { arrayBuffers: number; rss: number });
          }
        });
        child.once('exit', (code, signal) => reject(new Error(`exited early (${code ?? signal}): ${stderr}`)));
      });
      expect(STDOUT_MAX_QUEUED_BYTES).toBe(16 * MiB);
      // The queued lines (Buffers) stay near the bound; unbounded they held the whole 64 MiB.
      expect(report.arrayBuffers).toBeLessThan(STDOUT_MAX_QUEUED_BYTES + 8 * MiB);
      expect(stderr.match(/stdout is not keeping up/g)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
