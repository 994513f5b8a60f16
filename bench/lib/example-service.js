// @ts-check
import path from 'node:path';
import { freePort } from '../../packages/telemetry/test/support/free-port.js';
import { spawnNode, waitUntilReady } from '../../packages/telemetry/test/support/instrumented-process.js';
import { START_FLAGS } from './start-flags.js';

/**
 * Starts the built orders-service example as `variant` (bare, upstream or platform) on free
 * 127.0.0.1 ports, 100 % sampled, exporting to `otlpEndpoint`, with the tests' process harness
 * (stdout discarded: benchmarks measure the service, not the terminal). Resolves once it serves;
 * `url` is the GET route the figures load.
 * @param {{ repoRoot: string, variant: keyof typeof START_FLAGS, otlpEndpoint: string, env?: Record<string, string> }} options
 */
export async function startExampleService({ repoRoot, variant, otlpEndpoint, env = {} }) {
  const port = await freePort();
  const svc = spawnNode({
    nodeArgs: START_FLAGS[variant],
    script: path.join(repoRoot, 'examples/orders-service/dist/server.js'),
    stdout: 'discard',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PLATFORM_METRICS_PORT: String(await freePort()),
      OTEL_SERVICE_NAME: 'orders-service',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
      OTEL_TRACES_SAMPLER: 'always_on',
      ...env,
    },
  });
  // Generous: on a loaded shared machine the upstream register alone has taken over 15 s to start.
  await waitUntilReady(svc, `http://127.0.0.1:${port}/healthz`, 60_000);
  return { pid: /** @type {number} */ (svc.child.pid), stderr: svc.stderr, stop: () => svc.stop(), url: `http://127.0.0.1:${port}/orders/1` };
}
