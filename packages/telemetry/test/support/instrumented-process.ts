/**
 * Spawns `node --import @platform/telemetry/register <script>` and captures its output.
 * Every process started here is killed when stopped, and on test-process exit at the latest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from './free-port.js';

export interface InstrumentedProcess {
  readonly child: ChildProcess;
  readonly stdoutLines: string[];
  stderr(): string;
  /** Parsed JSON lines of stdout (non-JSON lines skipped). */
  jsonLogs(): Array<Record<string, unknown>>;
  /** SIGTERM (SIGKILL after `graceMs`); resolves with the exit code/signal. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export function spawnInstrumented(opts: { script: string; cwd: string; env?: Record<string, string>; register?: boolean }): InstrumentedProcess {
  const args = opts.register === false ? [opts.script] : ['--import', '@platform/telemetry/register', opts.script];
  const child = spawn(process.execPath, args, {
    cwd: opts.cwd,
    env: { ...process.env, NODE_OPTIONS: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const stdoutLines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    stdoutLines.push(...parts);
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      if (partial) stdoutLines.push(partial);
      resolve({ code, signal });
    }),
  );
  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    jsonLogs: () =>
      stdoutLines.flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    exited,
    async stop(graceMs = 5000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const result = await exited;
        clearTimeout(t);
        return result;
      }
      return exited;
    },
  };
}

/** Waits until `url` answers 2xx, failing early if the process died. */
export async function waitUntilReady(proc: InstrumentedProcess, url: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`process exited early (${proc.child.exitCode}): ${proc.stderr()}`);
    const res = await fetch(url).catch(() => undefined);
    if (!res) return false;
    await res.arrayBuffer();
    return res.ok;
  }, timeoutMs).catch((error: unknown) => {
    proc.child.kill('SIGKILL');
    throw new Error(`${String(error)}\nstderr: ${proc.stderr()}`);
  });
}
