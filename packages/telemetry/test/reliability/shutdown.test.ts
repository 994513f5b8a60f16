/**
 * Shutdown guarantees: buffered spans and logs are delivered on SIGTERM, a black-holed
 * collector cannot hold the process past the flush timeout, and exit statuses are exactly
 * Node's own (same fixture with and without `--import @platform/telemetry/register`).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../support/example-service.js';
import { waitFor } from '../support/free-port.js';
import { spawnInstrumented, type InstrumentedProcess } from '../support/instrumented-process.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
/** Default shutdownTimeoutMs of the SDK. */
const FLUSH_TIMEOUT_MS = 5000;
/** Process start/teardown slack on a busy 2-core machine. */
const EXIT_SLACK_MS = 1500;
const N = 1000;

let receiver: OtlpReceiver;
beforeAll(async () => {
  ensureBuilt();
  receiver = await startOtlpReceiver();
});
afterAll(async () => receiver?.stop());

function startSpansAndLogs(run: string, env: Record<string, string> = {}): InstrumentedProcess {
  return spawnInstrumented({
    script: 'spans-and-logs.mjs',
    cwd: FIXTURES,
    env: {
      N: String(N),
      RUN_ID: run,
      OTEL_SERVICE_NAME: 'shutdown-fixture',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // Nothing leaves on a timer: what arrives was sent by size-triggered batches or the shutdown flush.
      OTEL_BSP_SCHEDULE_DELAY: '60000',
      OTEL_BLRP_SCHEDULE_DELAY: '60000',
      PLATFORM_METRICS_PORT: 'off',
      ...env,
    },
  });
}

async function waitReady(proc: InstrumentedProcess): Promise<void> {
  await waitFor(() => {
    if (proc.child.exitCode !== null) throw new Error(`exited early: ${proc.stderr()}`);
    return proc.jsonLogs().some((l) => l.ready === true);
  }, 15_000);
}

async function terminate(proc: InstrumentedProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const t0 = Date.now();
  proc.child.kill('SIGTERM');
  const killer = setTimeout(() => proc.child.kill('SIGKILL'), 20_000);
  const r = await proc.exited;
  clearTimeout(killer);
  return { ...r, ms: Date.now() - t0 };
}

const spansOf = (run: string) => receiver.spans.filter((s) => s.attributes['test.run'] === run && s.name.startsWith('unit-'));
const logsOf = (run: string) => receiver.logs.filter((l) => l.attributes.run === run && l.body === 'unit of work');

describe('shutdown', () => {
  it(`SIGTERM (no app listener): all ${N} spans and ${N} log records reach a live receiver before exit; dies by SIGTERM`, async () => {
    receiver.setMode('ok');
    const run = randomUUID();
    const proc = startSpansAndLogs(run);
    await waitReady(proc);
    const before = { spans: spansOf(run).length, logs: logsOf(run).length };
    const r = await terminate(proc);
    // Checked right at the exit event: the exporter awaited each response, so the receiver stored it.
    const spans = spansOf(run);
    const logs = logsOf(run);
    console.log(`FIGURE shutdown-live ${JSON.stringify({ n: N, beforeSigterm: before, spans: spans.length, logs: logs.length, exitMs: r.ms })}`);
    expect(r.signal).toBe('SIGTERM');
    expect(r.code).toBeNull();
    expect(new Set(spans.map((s) => s.name)).size).toBe(N);
    expect(new Set(logs.map((l) => l.attributes.i)).size).toBe(N);
    expect(before.spans + before.logs).toBeLessThan(2 * N); // the flush on SIGTERM did real work
    expect(r.ms).toBeLessThan(FLUSH_TIMEOUT_MS);
    expect(proc.stderr()).toBe('');
  });

  it('SIGTERM (no app listener) with the receiver black-holed: exits by SIGTERM within the 5 s flush timeout', async () => {
    receiver.setMode('blackhole');
    const run = randomUUID();
    const proc = startSpansAndLogs(run);
    await waitReady(proc);
    const r = await terminate(proc);
    receiver.setMode('ok');
    console.log(
      `FIGURE shutdown-blackhole-no-listener ${JSON.stringify({ exitMs: r.ms, pendingRequests: receiver.requests.filter((q) => q.status === 'pending').length })}`,
    );
    expect(receiver.requests.some((q) => q.status === 'pending')).toBe(true); // the collector really hung
    expect(r.signal).toBe('SIGTERM');
    expect(r.ms).toBeLessThan(FLUSH_TIMEOUT_MS + EXIT_SLACK_MS);
    expect(proc.stderr()).toBe('');
  });

  it('SIGTERM handled by the app (it then ends normally) with the receiver black-holed: exit code 0 within the flush timeout', async () => {
    receiver.setMode('blackhole');
    const run = randomUUID();
    const proc = startSpansAndLogs(run, { APP_SIGTERM: '1' });
    await waitReady(proc);
    const r = await terminate(proc);
    receiver.setMode('ok');
    console.log(`FIGURE shutdown-blackhole-app-listener ${JSON.stringify({ exitMs: r.ms })}`);
    expect(r).toMatchObject({ code: 0, signal: null });
    expect(r.ms).toBeLessThan(FLUSH_TIMEOUT_MS + EXIT_SLACK_MS);
    expect(proc.stderr()).toBe('');
  });
});

describe("exit statuses are Node's own (exit-app.mjs with vs without --import register)", () => {
  const MODES = {
    uncaught: { code: 1, signal: null },
    rejection: { code: 1, signal: null },
    exit3: { code: 3, signal: null },
    exitcode7: { code: 7, signal: null },
    sigterm: { code: null, signal: 'SIGTERM' },
    sigint: { code: null, signal: 'SIGINT' },
    natural: { code: 0, signal: null },
  } as const;

  async function runMode(mode: keyof typeof MODES, register: boolean) {
    const proc = spawnInstrumented({
      script: 'exit-app.mjs',
      cwd: FIXTURES,
      register,
      env: { EXIT_MODE: mode, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'exit-fixture', PLATFORM_METRICS_PORT: 'off' },
    });
    if (mode === 'sigterm' || mode === 'sigint') {
      await waitFor(() => proc.stdoutLines.includes('ready'), 15_000);
      proc.child.kill(mode === 'sigterm' ? 'SIGTERM' : 'SIGINT');
    }
    const killer = setTimeout(() => proc.child.kill('SIGKILL'), 15_000);
    const r = await proc.exited;
    clearTimeout(killer);
    return { ...r, stderr: proc.stderr() };
  }

  it('uncaught exception 1, unhandled rejection 1, process.exit(3) 3, exitCode 7, SIGTERM/SIGINT kill by signal, natural end 0', async () => {
    receiver.setMode('ok');
    const modes = Object.keys(MODES) as Array<keyof typeof MODES>;
    const table: Record<string, { plain: string; register: string }> = {};
    // Two at a time: the machine has 2 cores.
    for (let i = 0; i < modes.length; i += 2) {
      await Promise.all(
        modes.slice(i, i + 2).map(async (mode) => {
          const [plain, withSdk] = await Promise.all([runMode(mode, false), runMode(mode, true)]);
          table[mode] = { plain: `${plain.code}/${plain.signal}`, register: `${withSdk.code}/${withSdk.signal}` };
          expect({ code: plain.code, signal: plain.signal }, `${mode} without SDK`).toEqual(MODES[mode]);
          expect({ code: withSdk.code, signal: withSdk.signal }, `${mode} with SDK`).toEqual(MODES[mode]);
          if (mode === 'uncaught') expect(withSdk.stderr).toContain('fixture uncaught exception');
          if (mode === 'rejection') expect(withSdk.stderr).toContain('fixture unhandled rejection');
        }),
      );
    }
    console.log(`FIGURE exit-codes ${JSON.stringify(table)}`);
  });
});
