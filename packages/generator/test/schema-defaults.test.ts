import { describe, expect, it } from 'vitest';
import { loadManifest } from '../src/manifest/validate.js';
import type { PlatformModel } from '../src/model.js';
import { loadManifestSchema } from '../src/manifest/schema.js';

/** A manifest that leaves every defaulted field out (one vendor, one endpoint per method). */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'];
const BARE = `backends:
  otlp: [{ name: vendor, endpoint: "https://otlp.vendor.example" }]
services:
  - name: svc
    port: 3000
    endpoints: [${METHODS.map((m) => `{ method: ${m}, route: /${m.toLowerCase()} }`).join(', ')}]
    slos:
      availability: { objective: 99.9 }
      latency: { objective: "p95 < 250ms" }
`;

/** Where each schema `default` (by JSON pointer) shows up in the resolved model of BARE. */
const MODEL_VALUE: Readonly<Record<string, (m: PlatformModel) => unknown>> = {
  '/properties/environment': (m) => m.environment,
  '/$defs/tls/properties/insecure': (m) => m.backends.metrics.tls.insecure,
  '/$defs/tls/properties/insecureSkipVerify': (m) => m.backends.metrics.tls.insecureSkipVerify,
  '/$defs/collector/properties/version': (m) => m.collector.version,
  '/$defs/collector/properties/memoryLimitMiB': (m) => m.collector.memoryLimitMiB,
  '/$defs/collector/properties/tracesSamplingPercent': (m) => m.collector.tracesSamplingPercent,
  // The default collector (0.144) bounds queues by request count; from 0.156 the MiB bound is kept as is.
  '/$defs/collector/properties/queueSizeMiB': () => loadManifest(`collector: { version: 0.156.0 }\n${BARE}`, 'bare.yaml').collector.queue.diskMiB,
  '/$defs/backends/properties/metrics/properties/type': (m) => m.backends.metrics.type,
  '/$defs/backends/properties/logs/properties/type': (m) => m.backends.logs.type,
  '/$defs/backends/properties/traces/properties/type': (m) => m.backends.traces.type,
  '/$defs/backends/properties/traces/properties/protocol': (m) => m.backends.traces.protocol,
  '/$defs/backends/properties/otlp/items/properties/protocol': (m) => m.backends.vendors[0]?.protocol,
  '/$defs/grafana/properties/folder': (m) => m.grafana.folder,
  '/$defs/endpoint/properties/weight': (m) => m.services[0]?.endpoints[0]?.weight,
  '/$defs/service/properties/version': (m) => m.services[0]?.version,
  '/$defs/service/properties/host': (m) => m.services[0]?.host,
  '/$defs/service/properties/metrics/properties/path': (m) => m.services[0]?.metricsPath,
  '/$defs/service/properties/metrics/properties/port': (m) => m.services[0]?.metricsPort,
  '/$defs/service/properties/alerting/properties/minRequestRate': (m) => m.services[0]?.minRequestRate,
  '/$defs/service/properties/load/properties/rate': (m) => m.services[0]?.load.rate,
  '/$defs/service/properties/load/properties/parallelism': (m) => m.services[0]?.load.parallelism,
  '/$defs/kubernetes/properties/namespace': (m) => m.kubernetes.namespace,
  '/$defs/kubernetes/properties/k6/properties/image': (m) => m.kubernetes.k6.image,
  '/$defs/kubernetes/properties/k6/properties/cpu': (m) => m.kubernetes.k6.cpu,
  '/$defs/kubernetes/properties/k6/properties/memory': (m) => m.kubernetes.k6.memory,
  '/$defs/kubernetes/properties/gateway/properties/minReplicas': (m) => m.kubernetes.gateway.minReplicas,
  '/$defs/kubernetes/properties/gateway/properties/maxReplicas': (m) => m.kubernetes.gateway.maxReplicas,
  '/$defs/kubernetes/properties/gateway/properties/targetCpuUtilization': (m) => m.kubernetes.gateway.targetCpuUtilization,
  '/$defs/sloWindow': (m) => [m.services[0]?.slos.availability?.window, m.services[0]?.slos.latency?.window],
  '/$defs/gatewayHopTls/properties/insecure': (m) => m.collector.gateway.insecure,
  '/$defs/gateway/properties/auth': (m) => m.collector.gateway.auth,
  '/$defs/lifecycle': (m) => m.services[0]?.catalog.lifecycle,
  '/$defs/ci/properties/manifest': (m) => m.ci.manifest,
  '/$defs/ci/properties/out': (m) => m.ci.out,
  '/$defs/ci/properties/setup': (m) => m.ci.setup,
  '/$defs/ci/properties/nodeVersion': (m) => m.ci.nodeVersion,
  '/$defs/ci/properties/k6Version': (m) => m.ci.k6Version,
  '/$defs/ci/properties/prometheusVersion': (m) => m.ci.prometheusVersion,
  '/$defs/ci/properties/schedule': (m) => m.ci.schedule,
  '/$defs/ci/properties/maxP95Regression': (m) => m.ci.maxP95Regression,
};

/** Every `default` in the schema, by JSON pointer. */
function schemaDefaults(node: unknown, pointer = ''): Array<[string, unknown]> {
  if (node === null || typeof node !== 'object') return [];
  const own: Array<[string, unknown]> = !Array.isArray(node) && 'default' in node ? [[pointer, (node as { default: unknown }).default]] : [];
  return [...own, ...Object.entries(node).flatMap(([k, v]) => schemaDefaults(v, `${pointer}/${k}`))];
}

describe('JSON Schema defaults = the model defaults', () => {
  const schema = loadManifestSchema();
  const model = loadManifest(BARE, 'bare.yaml');

  it('every `default` in the schema is what the model resolves when the field is left out', () => {
    const defaults = schemaDefaults(schema);
    expect(defaults.map(([p]) => p).sort(), 'a new schema default needs its model field in MODEL_VALUE').toEqual(Object.keys(MODEL_VALUE).sort());
    for (const [pointer, value] of defaults) {
      const actual = (MODEL_VALUE[pointer] as (m: PlatformModel) => unknown)(model);
      expect(actual, pointer).toEqual(pointer === '/$defs/sloWindow' ? [value, value] : value);
    }
  });

  it('expectedStatus has no single default: 201 for POST, 200 for every other method (schema says so in its description)', () => {
    const field = (schema['$defs'] as Record<string, { properties: Record<string, Record<string, unknown>> }>)['endpoint']?.properties['expectedStatus'];
    expect(field).toBeDefined();
    expect(field).not.toHaveProperty('default');
    expect(String(field?.['description'])).toContain('201 for POST, 200 for every other method');
    const statuses = Object.fromEntries((model.services[0]?.endpoints ?? []).map((e) => [e.method, e.expectedStatus]));
    expect(statuses).toEqual(Object.fromEntries(METHODS.map((m) => [m, m === 'POST' ? 201 : 200])));
  });
});
