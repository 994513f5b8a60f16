/**
 * Starts the BUILT orders-service example exactly as a user would:
 * `node --import @platform/telemetry/register examples/orders-service/dist/server.js`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { spawnInstrumented, waitUntilReady, type InstrumentedProcess } from './instrumented-process.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const EXAMPLE_DIR = path.join(REPO_ROOT, 'examples/orders-service');
const EXAMPLE_ENTRY = path.join(EXAMPLE_DIR, 'dist/server.js');

export interface ExampleService {
  readonly process: InstrumentedProcess;
  readonly port: number;
  readonly metricsPort: number;
  readonly baseUrl: string;
  readonly metricsUrl: string;
  stop(): ReturnType<InstrumentedProcess['stop']>;
}

/** Builds the SDK and the example when their dist output is missing. */
export function ensureBuilt(): void {
  const sdkEntry = path.join(REPO_ROOT, 'packages/telemetry/dist/register.js');
  if (existsSync(EXAMPLE_ENTRY) && existsSync(sdkEntry)) return;
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/telemetry', 'examples/orders-service'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
    timeout: 120_000,
  });
}

export async function startExampleService(
  opts: { env?: Record<string, string>; otlpEndpoint?: string; port?: number; metricsPort?: number } = {},
): Promise<ExampleService> {
  ensureBuilt();
  // freePort() releases the port it found, so a parallel test can take it first: then the example
  // exits at start (it cannot listen) and we try again with fresh ports, unless the caller chose them.
  const attempts = opts.port === undefined && opts.metricsPort === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startExampleServiceOnce(opts);
    } catch (error) {
      if (attempt >= attempts || !/exited early/.test(String(error))) throw error;
    }
  }
}

async function startExampleServiceOnce(opts: {
  env?: Record<string, string>;
  otlpEndpoint?: string;
  port?: number;
  metricsPort?: number;
}): Promise<ExampleService> {
  const port = opts.port ?? (await freePort());
  const metricsPort = opts.metricsPort ?? (await freePort());
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PLATFORM_METRICS_PORT: String(metricsPort),
    PLATFORM_METRICS_HOST: '127.0.0.1',
    OTEL_SERVICE_NAME: 'orders-service',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BLRP_SCHEDULE_DELAY: '200',
    ...(opts.otlpEndpoint ? { OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpEndpoint } : {}),
    ...opts.env,
  };
  const proc = spawnInstrumented({ script: 'dist/server.js', cwd: EXAMPLE_DIR, env });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntilReady(proc, `${baseUrl}/healthz`);
  const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  await waitUntilReady(proc, metricsUrl);
  return { process: proc, port, metricsPort, baseUrl, metricsUrl, stop: () => proc.stop() };
}
