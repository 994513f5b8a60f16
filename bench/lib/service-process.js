// @ts-check
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts `node [...nodeArgs] script` with `env`, waits until `readyUrl` answers, and returns
 * a handle whose `stop()` always kills the process. Output is discarded (benchmarks measure
 * the service, not the terminal). `readyUrl` is polled every `pollMs`.
 */
export async function startServiceProcess({ nodeArgs = [], script, env, readyUrl, timeoutMs = 15_000, pollMs = 50 }) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited early (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(readyUrl);
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready within ${timeoutMs} ms: ${stderr}`);
    }
    await sleep(pollMs);
  }
  return {
    pid: /** @type {number} */ (child.pid),
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
