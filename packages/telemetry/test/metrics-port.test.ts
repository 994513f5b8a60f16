import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/example-service.js';
import { freePort, waitFor } from './support/free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from './support/instrumented-process.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const procs: InstrumentedProcess[] = [];
let busy: net.Server;
let busyPort: number;

beforeAll(async () => {
  ensureBuilt();
  busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  await new Promise((resolve) => busy.close(resolve));
});

async function startApp(metricsPort: string) {
  const port = await freePort();
  const proc = spawnInstrumented({
    script: 'cjs-app.cjs',
    cwd: FIXTURES,
    env: { PORT: String(port), PLATFORM_METRICS_PORT: metricsPort, PLATFORM_METRICS_HOST: '127.0.0.1', OTEL_SERVICE_NAME: 'metrics-port' },
  });
  procs.push(proc);
  await waitUntilReady(proc, `http://127.0.0.1:${port}/healthz`);
  return { proc, port };
}

/** TCP ports the process listens on (its socket inodes matched against /proc/net/tcp{,6} LISTEN rows). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter((x): x is string => x !== undefined);
      } catch {
        return [];
      }
    }),
  );
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .slice(1)
      .map((row) => row.trim().split(/\s+/))
      .filter((cols) => cols[3] === '0A' && inodes.has(cols[9] ?? ''))
      .map((cols) => parseInt(cols[1]!.split(':')[1]!, 16)),
  );
}

describe('PLATFORM_METRICS_PORT', () => {
  it('busy: one error line naming PLATFORM_METRICS_PORT; the app serves, and exits without waiting', async () => {
    const { proc, port } = await startApp(String(busyPort));
    expect(await (await fetch(`http://127.0.0.1:${port}/leaf`)).text()).toBe('leaf');
    await new Promise((r) => setTimeout(r, 200));
    const sdkLines = proc.jsonLogs().filter((l) => l.component === '@platform/telemetry');
    expect(sdkLines).toHaveLength(1);
    expect(sdkLines[0]).toMatchObject({ level: 50, code: 'EADDRINUSE' });
    expect(sdkLines[0]!.msg).toBe(
      `metrics server not started: 127.0.0.1:${busyPort} is already in use (PLATFORM_METRICS_PORT=${busyPort}); ` +
        'set PLATFORM_METRICS_PORT to a free port, 0 for an ephemeral one (logged at startup), or off',
    );
    expect(proc.stderr()).toBe('');

    // A process that ends by itself is not held by the failed server (the startup bench's case).
    const started = Date.now();
    const run = spawnSync(process.execPath, ['--import', '@platform/telemetry/register', '-e', 'setTimeout(() => {}, 100)'], {
      cwd: FIXTURES,
      env: { ...process.env, NODE_OPTIONS: '', PLATFORM_METRICS_PORT: String(busyPort), PLATFORM_METRICS_HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(4_000); // well under the 5 s shutdown timeout
    expect(run.stdout).toContain('PLATFORM_METRICS_PORT');
  });

  it('0: an ephemeral port, announced in the log, serving the metrics', async () => {
    const { proc, port } = await startApp('0');
    await (await fetch(`http://127.0.0.1:${port}/leaf`)).text();
    const line = await waitFor(() => proc.jsonLogs().find((l) => typeof l.metrics_url === 'string'));
    expect(line).toMatchObject({ level: 30, component: '@platform/telemetry' });
    expect(line.msg).toBe(`metrics server listening on ${String(line.metrics_url)}`);
    const metricsPort = Number(line.metrics_port);
    expect(metricsPort).toBeGreaterThan(0);
    expect(line.metrics_url).toBe(`http://127.0.0.1:${metricsPort}/metrics`);
    expect(listeningPorts(proc.child.pid!).sort()).toEqual([port, metricsPort].sort());
    const text = await (await fetch(String(line.metrics_url))).text();
    expect(text).toContain('http_server_request_duration_seconds_count{http_request_method="GET",http_route="unmatched",http_response_status_code="200"}');
    // Scrapes of the ephemeral port are not counted as app requests.
    const again = await (await fetch(String(line.metrics_url))).text();
    expect(again.match(/http_server_request_duration_seconds_count\{[^}]*\} (\d+)/g)).toEqual(
      text.match(/http_server_request_duration_seconds_count\{[^}]*\} (\d+)/g),
    );
  });

  it('off: no metrics server (the process listens on its own port only), no log line', async () => {
    const { proc, port } = await startApp('off');
    await new Promise((r) => setTimeout(r, 200));
    expect(listeningPorts(proc.child.pid!)).toEqual([port]);
    expect(proc.jsonLogs().filter((l) => l.component === '@platform/telemetry')).toEqual([]);
  });
});
