/**
 * A stdout that does not keep up (a pipe nobody reads) must not grow the host's memory without
 * bound: the SDK logger queues at most STDOUT_MAX_QUEUED_BYTES for it and drops further lines
 * from stdout, saying so once on stderr. Nor may it hold the process at shutdown: SIGTERM ends
 * it within the shutdown budget and the final flush's bound.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '../src/config/defaults.js';
import { STDOUT_FINAL_FLUSH_MS, STDOUT_MAX_QUEUED_BYTES } from '../src/logging/logger.js';
import { ensureBuilt } from './support/example-service.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const REGISTER = path.join(path.dirname(fileURLToPath(import.meta.url)), '../dist/register.js');
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

  // SonicBoom retried a write the full pipe refused for ever inside flushSync(): the SIGTERM
  // shutdown never ended (the process had to be killed).
  it('ends on SIGTERM (SDK registered) within the shutdown budget and the final flush bound, saying on stderr that lines were not written', async () => {
    const child = spawn(process.execPath, ['--import', REGISTER, 'logger-stalled-stdout.mjs'], {
      cwd: FIXTURES,
      env: { ...process.env, NODE_OPTIONS: '', LINES: '8192', PLATFORM_METRICS_PORT: 'off', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'], // stdout: never read
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const started = Date.now();
      while (!stderr.includes('{"report"')) {
        if (Date.now() - started > 30_000) throw new Error(`no report within 30 s: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      const signalled = Date.now();
      child.kill('SIGTERM');
      const bound = DEFAULT_SHUTDOWN_TIMEOUT_MS + STDOUT_FINAL_FLUSH_MS + 5000;
      const result = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), bound))]);
      expect(result, stderr).toEqual({ code: null, signal: 'SIGTERM' });
      expect(Date.now() - signalled).toBeLessThan(bound);
      expect(stderr.match(/stdout took no log lines for \d+ ms at shutdown/g)).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
