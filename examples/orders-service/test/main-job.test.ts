/**
 * `npm start` (.ci/main-job.sh) as a user runs it, with its documented knobs: the platform dev URL
 * is the first line, the example sends its traffic to it, and Ctrl-C (SIGINT to the whole process
 * group) stops everything once — one "shutting down" line — and removes the job's temp dir.
 * PLATFORM_MAIN_JOB_SKIP_BUILD=1 reuses the build the suite already made (no files rewritten).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, ensureBuilt } from '../../../packages/telemetry/test/support/example-service.js';
import { freePort, waitFor } from '../../../packages/telemetry/test/support/free-port.js';

describe('npm start (.ci/main-job.sh)', () => {
  it('prints the platform dev URL first, feeds it, and on Ctrl-C stops once and leaves no temp dir', async () => {
    ensureBuilt();
    const tmp = mkdtempSync(path.join(tmpdir(), 'main-job-'));
    const [port, metrics, otlp, ui, prom] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const job = spawn('bash', ['.ci/main-job.sh'], {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TMPDIR: tmp,
        PORT: String(port),
        PLATFORM_METRICS_PORT: String(metrics),
        PLATFORM_DEV_OTLP_PORT: String(otlp),
        PLATFORM_DEV_UI_PORT: String(ui),
        PLATFORM_PROMETHEUS_PORT: String(prom),
        PLATFORM_MAIN_JOB_SKIP_BUILD: '1',
      },
    });
    let out = '';
    job.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    job.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((resolve) => job.once('exit', (code) => resolve(code)));
    try {
      await waitFor(() => out.includes('try: curl'), 60_000, 200);
      expect(out.split('\n').find((l) => l.trim() !== '')).toBe(`platform dev: open http://127.0.0.1:${ui}/`);
      const stats = await waitFor(
        async () => {
          const s = (await (await fetch(`http://127.0.0.1:${ui}/api/stats`)).json()) as { store?: { spans?: number; logs?: number } };
          return (s.store?.spans ?? 0) > 0 && (s.store?.logs ?? 0) > 0 ? s : undefined;
        },
        20_000,
        200,
      ).catch((error: unknown) => {
        throw new Error(`platform dev got no spans and logs: ${String(error)}\n--- npm start output ---\n${out.slice(-3000)}`, { cause: error });
      });
      expect(stats.store!.spans).toBeGreaterThan(0);
      process.kill(-job.pid!, 'SIGINT'); // what a terminal does on Ctrl-C
      await exited;
      expect(out.match(/"msg":"shutting down"/g) ?? []).toHaveLength(1);
      expect(readdirSync(tmp)).toEqual([]);
      for (const p of [port, otlp, ui])
        expect(
          await fetch(`http://127.0.0.1:${p}/`).then(
            () => 'open',
            () => 'closed',
          ),
          `port ${p}`,
        ).toBe('closed');
    } finally {
      if (job.exitCode === null) process.kill(-job.pid!, 'SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 120_000);
});
