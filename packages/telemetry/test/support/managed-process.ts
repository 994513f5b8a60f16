/**
 * Real binaries (otelcol, k6, …) on the one process harness (instrumented-process.js: spawn,
 * kill on test-process exit, SIGTERM then SIGKILL), plus what a long-running binary needs: the
 * tail of its interleaved stdout and stderr, a readiness wait that fails at once (with that tail)
 * if it exits, and its log written next to the test's work files on stop, so a failing run can
 * be read afterwards.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './free-port.js';
import { spawnProcess, type ExitStatus, type InstrumentedProcess } from './instrumented-process.js';

export interface ManagedProcess {
  readonly name: string;
  readonly child: InstrumentedProcess['child'];
  /** The last ~200 KB of stdout and stderr, interleaved as received. */
  log(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** Polls `check` until it is truthy; fails early (with the log tail) if the process exits. */
  waitUntil(check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`; writes the log to `logDir` when one was given. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

const LOG_LIMIT = 200_000;

export function startManagedProcess(opts: {
  name: string;
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Folder the log is written to on stop (`<name>.log`). */
  logDir?: string;
}): ManagedProcess {
  const proc = spawnProcess({ command: opts.command, args: opts.args, env: opts.env, cwd: opts.cwd });
  let log = '';
  const append = (d: string): void => {
    log += d;
    if (log.length > LOG_LIMIT * 1.5) log = log.slice(-LOG_LIMIT);
  };
  proc.child.stdout?.on('data', append);
  proc.child.stderr?.on('data', append);
  // A binary that could not start has no output, only the spawn error in the harness's stderr tail.
  const tail = (): string => (log || proc.stderr()).slice(-4000);
  return {
    name: opts.name,
    child: proc.child,
    log: () => log,
    exited: proc.exited,
    async waitUntil(check, timeoutMs = 30_000) {
      const died = proc.exited.then(({ code, signal }) => {
        throw new Error(`${opts.name} exited (code ${code}, signal ${signal})`);
      });
      died.catch(() => undefined);
      try {
        await Promise.race([waitFor(check, timeoutMs, 200), died]);
      } catch (error) {
        throw new Error(`${opts.name} not ready: ${String(error)}\n--- ${opts.name} log tail ---\n${tail()}`, { cause: error });
      }
    },
    async stop(graceMs = 10_000) {
      const status = await proc.stop(graceMs);
      if (opts.logDir) writeFileSync(path.join(opts.logDir, `${opts.name}.log`), log);
      return status;
    },
  };
}
