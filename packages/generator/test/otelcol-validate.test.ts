/**
 * Every collector config the generator can emit, checked by the real collector binaries
 * (`otelcol validate`) of ../shared/tools: each manifest shape rendered for the version each binary
 * implements (0.117: otlp/otlphttp exporter names, request-count queues; 0.156: otlp_grpc/otlp_http,
 * byte-bounded queues). `auth: bearer` is not among them: neither binary carries the
 * bearertokenauth extension (see ../shared/tools/README.md); collector.test.ts checks its fields.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COLLECTORS, realToolsSkipReason, validateCollectorConfig } from '../../telemetry/test/support/real-tools.js';
import { renderAll } from '../src/generate.js';
import { loadManifest } from '../src/manifest/validate.js';
import { EXAMPLE_MANIFEST, MINIMAL, VARIED } from './helpers.js';
import { readFileSync } from 'node:fs';

const skipReason = realToolsSkipReason();

/** Manifest shapes: name -> manifest text with `VERSION` where the collector version goes. */
const SHAPES: Record<string, string> = {
  'example (mTLS hop, remote write)': readFileSync(EXAMPLE_MANIFEST, 'utf8').replace(/^ {2}version: .*$/m, '  version: VERSION'),
  'varied (plain-text hop, prometheus-scrape, vendor)': VARIED.replace('version: 0.120.0', 'version: VERSION'),
  'minimal (all defaults)': `collector: { version: VERSION }\n${MINIMAL}`,
  'sharded (three gateways, load-balancing exporter)': `collector: { version: VERSION, gateway: { endpoints: [gw-a:4317, gw-b:4317, gw-c:4317] } }\n${MINIMAL}`,
  'otlp metrics backend, TLS on the agent, explicit listeners': `collector:
  version: VERSION
  queueSizeMiB: 256
  agent: { grpcEndpoint: "\${env:NODE_IP}:4317", httpEndpoint: 127.0.0.1:4318, healthCheckEndpoint: "\${env:NODE_IP}:13133", tls: { certFile: /tls/agent-server.crt, keyFile: /tls/agent-server.key, clientCaFile: /tls/ca.crt } }
  gateway: { endpoint: gw.example:4317, grpcEndpoint: 0.0.0.0:4317, metricsEndpoint: 127.0.0.1:9888, tls: { caFile: /tls/ca.crt, serverName: gw.example, minVersion: "1.3" } }
backends:
  metrics: { type: otlp, endpoint: "https://mimir:8080/otlp", headers: { X-Scope-OrgID: team-a } }
${MINIMAL}`,
};

describe.skipIf(skipReason !== undefined)('otelcol validate accepts every generated config', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'otelcol-validate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases = COLLECTORS.flatMap((c) => Object.keys(SHAPES).map((shape) => [c.version, shape] as const));

  it.each(cases)('otelcol %s: %s', (version, shape) => {
    const text = SHAPES[shape]!.replaceAll('VERSION', version);
    const files = renderAll(loadManifest(text, `${shape}.yaml`));
    for (const role of ['agent', 'gateway']) {
      const file = path.join(dir, `${version}-${shape.replace(/\W+/g, '-')}-${role}.yaml`);
      writeFileSync(file, files.get(`collector/${role}.yaml`)!);
      const result = validateCollectorConfig(version, file, { NODE_IP: '127.0.0.1' });
      expect(result.ok, `${role}.yaml rejected by otelcol ${version}:\n${result.output}`).toBe(true);
    }
  });

  it('a broken config is rejected (the check can fail)', () => {
    const file = path.join(dir, 'broken.yaml');
    const agent = renderAll(loadManifest(`collector: { version: 0.156.0 }\n${MINIMAL}`, 'm.yaml')).get('collector/agent.yaml')!;
    writeFileSync(file, agent.replace('otlp_grpc/gateway:', 'otlp_grpc/gatway:'));
    expect(validateCollectorConfig('0.156.0', file).ok).toBe(false);
  });
});
