// @ts-check
/**
 * The one harness for Node processes under test or measurement: spawns `node [...nodeArgs]
 * script`, keeps stdout lines (or discards them: benchmarks measure the service, not the
 * terminal) and the stderr tail, waits until a URL answers, stops it (SIGTERM, then SIGKILL).
 * Every process started here is killed on test-process exit at the latest. Plain JavaScript
 * (JSDoc-typed) so bench/ uses it too.
 */
import { spawn } from 'node:child_process';
import { waitFor } from './free-port.js';

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null }} ExitStatus
 * @typedef {object} InstrumentedProcess
 * @property {import('node:child_process').ChildProcess} child
 * @property {string[]} stdoutLines empty when stdout is discarded
 * @property {() => string} stderr the last 20 000 characters of stderr
 * @property {() => Array<Record<string, unknown>>} jsonLogs parsed JSON lines of stdout (non-JSON lines skipped)
 * @property {(graceMs?: number) => Promise<ExitStatus>} stop SIGTERM (SIGKILL after `graceMs`); resolves with the exit code/signal
 * @property {Promise<ExitStatus>} exited
 */

/** @type {Set<import('node:child_process').ChildProcess>} */
const live = new Set();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/**
 * Spawns `command args` with `process.env` and `env` over it: any binary (otelcol, k6, …) or node.
 * @param {{ command: string, args: readonly string[], cwd?: string, env?: Record<string, string>, stdout?: 'capture' | 'discard' }} opts
 * @returns {InstrumentedProcess}
 */
export function spawnProcess(opts) {
  const capture = opts.stdout !== 'discard';
  const child = spawn(opts.command, [...opts.args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
  });
  live.add(child);
  /** @type {string[]} */
  const stdoutLines = [];
  let partial = '';
  let stderr = '';
  if (capture) {
    child.stdout?.setEncoding('utf8').on('data', (/** @type {string} */ d) => {
      const parts = (partial + d).split('\n');
      partial = parts.pop() ?? '';
      stdoutLines.push(...parts);
    });
  }
  child.stderr?.setEncoding('utf8').on('data', (/** @type {string} */ d) => (stderr = (stderr + d).slice(-20_000)));
  /** @type {Promise<ExitStatus>} */
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      // 'exit' can come before the last of stdout has been read: wait for its end (bounded, in
      // case a grandchild holds the pipe open), so what the process printed last is not lost.
      const stdout = child.stdout;
      const done = () => {
        if (partial) stdoutLines.push(partial);
        partial = '';
        resolve({ code, signal });
      };
      if (!stdout || stdout.readableEnded || stdout.destroyed) return done();
      const bound = setTimeout(done, 2000);
      stdout.once('close', () => {
        clearTimeout(bound);
        done();
      });
    });
    // A binary that cannot be started (ENOENT, EACCES) ends here instead of crashing the test run.
    child.once('error', (error) => {
      live.delete(child);
      stderr += `spawn error: ${String(error)}\n`;
      resolve({ code: -1, signal: null });
    });
  });
  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    jsonLogs: () =>
      stdoutLines.flatMap((l) => {
        try {
          return [/** @type {Record<string, unknown>} */ (JSON.parse(l))];
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

/**
 * Spawns `node [...nodeArgs] script` with `process.env` and `env` over it.
 * @param {{ script: string, nodeArgs?: readonly string[], cwd?: string, env?: Record<string, string>, stdout?: 'capture' | 'discard' }} opts
 * @returns {InstrumentedProcess}
 */
export function spawnNode(opts) {
  return spawnProcess({ ...opts, command: process.execPath, args: [...(opts.nodeArgs ?? []), opts.script] });
}

/**
 * Spawns `node --import @platform/telemetry/register <script>` (or plain `node <script>` with
 * `register: false`), with NODE_OPTIONS cleared, capturing its output.
 * @param {{ script: string, cwd: string, env?: Record<string, string>, register?: boolean }} opts
 * @returns {InstrumentedProcess}
 */
export function spawnInstrumented(opts) {
  return spawnNode({
    script: opts.script,
    nodeArgs: opts.register === false ? [] : ['--import', '@platform/telemetry/register'],
    cwd: opts.cwd,
    env: { NODE_OPTIONS: '', ...opts.env },
  });
}

/**
 * Waits until `url` answers 2xx (polled every `pollMs`), failing early if the process died;
 * on failure the process is killed and the error carries its stderr.
 * @param {InstrumentedProcess} proc
 * @param {string} url
 * @param {number} [timeoutMs]
 * @param {number} [pollMs]
 * @returns {Promise<void>}
 */
export async function waitUntilReady(proc, url, timeoutMs = 15_000, pollMs = 50) {
  // A process that exits fails the wait at once (waitFor alone would keep polling until the timeout).
  const died = proc.exited.then(({ code, signal }) => {
    throw new Error(`process exited early (${code ?? signal}): ${proc.stderr()}`);
  });
  died.catch(() => undefined);
  await Promise.race([
    waitFor(
      async () => {
        const res = await fetch(url).catch(() => undefined);
        if (!res) return false;
        await res.arrayBuffer();
        return res.ok;
      },
      timeoutMs,
      pollMs,
    ),
    died,
  ]).catch((/** @type {unknown} */ error) => {
    proc.child.kill('SIGKILL');
    throw new Error(`${String(error)}\nstderr: ${proc.stderr()}`);
  });
}
