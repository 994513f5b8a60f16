// @ts-check
import path from 'node:path';
import { freePort } from './free-port.js';
import { startServiceProcess } from './service-process.js';
import { START_FLAGS } from './start-flags.js';

/**
 * Starts the built orders-service example as `variant` (bare, upstream or platform) on free
 * 127.0.0.1 ports, 100 % sampled, exporting to `otlpEndpoint`. Resolves once it serves;
 * `url` is the GET route the figures load.
 * @param {{ repoRoot: string, variant: keyof typeof START_FLAGS, otlpEndpoint: string, env?: Record<string, string> }} options
 */
export async function startExampleService({ repoRoot, variant, otlpEndpoint, env = {} }) {
  const port = await freePort();
  const svc = await startServiceProcess({
    nodeArgs: START_FLAGS[variant],
    script: path.join(repoRoot, 'examples/orders-service/dist/server.js'),
    readyUrl: `http://127.0.0.1:${port}/healthz`,
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
  return { ...svc, url: `http://127.0.0.1:${port}/orders/1` };
}
