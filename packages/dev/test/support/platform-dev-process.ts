/**
 * Starts the real `platform dev` command (the built generator CLI, as a user runs it) on free
 * 127.0.0.1 ports and reads its URLs from its first output lines. Killed on stop, and on
 * test-process exit at the latest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CLI = path.join(REPO_ROOT, 'packages/generator/dist/cli.js');

export interface PlatformDevProcess {
  readonly child: ChildProcess;
  readonly uiUrl: string;
  readonly otlpUrl: string;
  output(): string;
  stop(): Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

export async function startPlatformDev(extraArgs: readonly string[] = [], timeoutMs = 15_000): Promise<PlatformDevProcess> {
  const args = [CLI, 'dev', '--manifest', 'examples/platform.yaml', '--port', '127.0.0.1:0', '--ui', '127.0.0.1:0', ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-50_000)));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-50_000)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ui = /open (http:\/\/\S+\/)/.exec(out)?.[1];
    const otlp = /OTLP\/HTTP receiver (http:\/\/\S+)/.exec(out)?.[1];
    if (ui && otlp) {
      return {
        child,
        uiUrl: ui,
        otlpUrl: otlp,
        output: () => out,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
            const code = await exited;
            clearTimeout(t);
            return code;
          }
          return exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`platform dev did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
