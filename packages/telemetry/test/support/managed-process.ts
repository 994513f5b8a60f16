/**
 * The one harness for tests that run real binaries (otelcol, k6, ...): start a process, keep the
 * tail of its output, wait until it is ready, stop it (SIGTERM, then SIGKILL), and write its log
 * next to the test's work files so a failing run can be read afterwards. Every process started
 * here is killed when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './free-port.js';

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last ~200 KB of stdout and stderr, interleaved as received. */
  log(): string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Polls `check` until it is truthy; fails early (with the log tail) if the process exits. */
  waitUntil(check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
  /** SIGTERM, SIGKILL after `graceMs`; writes the log to `logDir` when one was given. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LOG_LIMIT = 200_000;
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function startManagedProcess(opts: {
  name: string;
  command: string;
  args: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Folder the log is written to on stop (`<name>.log`). */
  logDir?: string;
}): ManagedProcess {
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let log = '';
  const append = (d: string): void => {
    log += d;
    if (log.length > LOG_LIMIT * 1.5) log = log.slice(-LOG_LIMIT);
  };
  child.stdout!.setEncoding('utf8').on('data', append);
  child.stderr!.setEncoding('utf8').on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      append(`spawn error: ${String(error)}\n`);
      live.delete(child);
      resolve({ code: -1, signal: null });
    });
  });
  let exitedAlready = false;
  void exited.then(() => (exitedAlready = true));
  // waitUntil races against the exit; an unobserved rejection there must not crash the test run.
  exited.catch(() => undefined);
  const tail = (): string => log.slice(-4000);
  return {
    name: opts.name,
    child,
    log: () => log,
    exited,
    async waitUntil(check, timeoutMs = 30_000) {
      try {
        const died = exited.then(({ code, signal }) => {
          throw new Error(`${opts.name} exited (code ${code}, signal ${signal})`);
        });
        await Promise.race([waitFor(check, timeoutMs, 200), died]);
      } catch (error) {
        throw new Error(`${opts.name} not ready: ${String(error)}\n--- ${opts.name} log tail ---\n${tail()}`, { cause: error });
      }
    },
    async stop(graceMs = 10_000) {
      if (!exitedAlready) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(t);
      }
      if (opts.logDir) writeFileSync(path.join(opts.logDir, `${opts.name}.log`), log);
      return exited;
    },
  };
}
