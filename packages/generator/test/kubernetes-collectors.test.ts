import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COLLECTORS, realToolsSkipReason, validateCollectorConfig } from '../../telemetry/test/support/real-tools.js';
import { loadManifest } from '../src/manifest/validate.js';
import type { PlatformModel } from '../src/model.js';
import { renderCollectorAgent, renderCollectorGateway } from '../src/render/collector.js';
import { renderKubernetesCollectorConfigs, renderKubernetesCollectors, type KubernetesObject } from '../src/render/kubernetes-collectors.js';
import { kubernetesCollectorsTarget } from '../src/targets/kubernetes-collectors.js';
import { MINIMAL, exampleModel, variedModel, refusalIssues as issuesOf } from './helpers.js';
import { unknownCoreFields, validateKubernetesObject } from './support/kubernetes-validation.js';

/** The collector side of the Kubernetes target: OpenTelemetryCollector agent and gateway, agent RBAC and node-local Service. */

const CUSTOM = `kubernetes:
  namespace: telemetry
  agent: { cpu: { request: 200m, limit: "2" } }
  gateway: { minReplicas: 3, maxReplicas: 12, targetCpuUtilization: 60, cpu: { request: "1", limit: "4" } }
collector:
  version: 0.156.0
  agent: { tls: { certFile: /etc/otelcol/agent-server/tls.crt, keyFile: /etc/otelcol/agent-server/tls.key } }
backends:
  metrics: { type: otlp, endpoint: "https://mimir:8080/otlp", headers: { Authorization: "Bearer \${env:MIMIR_TOKEN}" }, tls: { certFile: /etc/otelcol/tls/mimir-client.crt, keyFile: /etc/otelcol/tls/mimir-client.key } }
${MINIMAL}`;
const customModel = (): PlatformModel => loadManifest(CUSTOM, 'custom.yaml');

const models: Array<[string, () => PlatformModel]> = [
  ['example', exampleModel],
  ['varied', variedModel],
  ['custom', customModel],
];

type Doc = KubernetesObject & { spec: Record<string, unknown> };
const objects = (m: PlatformModel): Map<string, Doc> => new Map(renderKubernetesCollectors(m) as Array<[string, Doc]>);
const cr = (m: PlatformModel, file: 'agent.yaml' | 'gateway.yaml'): Doc => objects(m).get(file)!;

describe.each(models)('kubernetes collector objects (%s manifest)', (_, load) => {
  const model = load();

  it('every object validates: OpenTelemetryCollector against its CRD, core kinds with kubernetes-models, no unknown core fields', async () => {
    const all = [...objects(model).values()];
    expect(all.map((o) => o.kind).sort()).toEqual(['OpenTelemetryCollector', 'OpenTelemetryCollector', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    for (const o of all) expect(await validateKubernetesObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
    expect(unknownCoreFields(all)).toEqual([]);
    // The first call compiles the CRD schemas and the kubernetes-models type program.
  }, 120_000);

  it('the files are the objects, serialised, one per file in collector/kubernetes/', () => {
    expect(kubernetesCollectorsTarget.root).toBe('collector/kubernetes');
    const files = [...kubernetesCollectorsTarget.files(model)];
    expect(files.map(([f]) => f)).toEqual([...objects(model).keys()]);
    for (const [f, text] of files) expect(parse(text), f).toEqual(objects(model).get(f));
  });

  it('the embedded configs are the plain renderers run on the cluster addresses (no second copy of the pipelines)', () => {
    const { agent, gateway } = renderKubernetesCollectorConfigs(model);
    expect(cr(model, 'agent.yaml').spec['config']).toEqual(agent);
    expect(cr(model, 'gateway.yaml').spec['config']).toEqual(gateway);
    // Same processors and pipelines as the plain target; only addresses and scrape discovery differ.
    expect(agent.processors).toEqual(renderCollectorAgent(model).processors);
    expect(gateway.processors).toEqual(renderCollectorGateway(model).processors);
    expect(Object.keys(gateway.exporters)).toEqual(Object.keys(renderCollectorGateway(model).exporters));
  });

  it('no literal secret: every ${env:VAR} of a config comes from a Secret or the downward API', () => {
    for (const file of ['agent.yaml', 'gateway.yaml'] as const) {
      const o = cr(model, file);
      const env = o.spec['env'] as Array<{ name: string; value?: string; valueFrom: Record<string, { name?: string; key?: string; fieldPath?: string }> }>;
      expect(env.every((e) => e.value === undefined)).toBe(true);
      const referenced = [...new Set([...JSON.stringify(o.spec['config']).matchAll(/\$\{env:([A-Za-z_0-9]+)\}/g)].map((m) => m[1]))];
      for (const v of referenced)
        expect(
          env.map((e) => e.name),
          `${file}: ${v}`,
        ).toContain(v);
      for (const e of env) {
        if (e.valueFrom['secretKeyRef']) expect(e.valueFrom['secretKeyRef']).toEqual({ name: `${o.metadata.name}-credentials`, key: e.name });
        else expect(['status.podIP', 'spec.nodeName']).toContain(e.valueFrom['fieldRef']?.fieldPath);
      }
    }
  });
});

describe('the validation can fail for these objects', () => {
  it.each([
    ['agent.yaml', 'an unknown mode', (o: Doc) => (o.spec['mode'] = 'daemon-set'), /mode/],
    ['gateway.yaml', 'replicas as text', (o: Doc) => ((o.spec['autoscaler'] as Record<string, unknown>)['minReplicas'] = 'two'), /minReplicas/],
    ['agent-role.yaml', 'a rule without verbs', (o: Doc) => delete (o['rules'] as Array<Record<string, unknown>>)[0]!['verbs'], /verbs/],
    ['agent-service.yaml', 'a port by name', (o: Doc) => ((o.spec['ports'] as Array<Record<string, unknown>>)[0]!['port'] = 'otlp'), /port/],
  ] as const)(
    '%s with %s is refused',
    async (file, _, mutate, expected) => {
      const o = structuredClone(objects(exampleModel()).get(file)!);
      mutate(o);
      expect((await validateKubernetesObject(o)).join('\n')).toMatch(expected);
    },
    120_000,
  );
});

describe('the agent DaemonSet', () => {
  const model = exampleModel();
  const agent = cr(model, 'agent.yaml');
  const config = agent.spec['config'] as ReturnType<typeof renderCollectorAgent>;

  it('sends traces through the load-balancing exporter, k8s resolver on the gateway headless Service; metrics and logs to the gateway Service', () => {
    const lb = config.exporters['loadbalancing/gateway'] as { routing_key: string; resolver: unknown; protocol: { otlp: { tls: Record<string, unknown> } } };
    expect(lb.routing_key).toBe('traceID');
    // The operator names the headless Service of OpenTelemetryCollector "otel-gateway" otel-gateway-collector-headless.
    expect(lb.resolver).toEqual({ k8s: { service: 'otel-gateway-collector-headless.observability', ports: [4317] } });
    // Replicas are dialled by pod IP: the certificate is checked against the Service's DNS name.
    expect(lb.protocol.otlp.tls['server_name_override']).toBe('otel-gateway-collector.observability.svc');
    expect((config.exporters['otlp_grpc/gateway'] as { endpoint: string }).endpoint).toBe('otel-gateway-collector.observability.svc:4317');
    expect(config.service.pipelines['traces']?.exporters).toEqual(['loadbalancing/gateway']);
    for (const p of ['metrics/scrape', 'metrics/otlp', 'logs']) expect(config.service.pipelines[p]?.exporters).toEqual(['otlp_grpc/gateway']);
  });

  it("scrapes only its own node's pods of each service, stamped telemetry_source=scrape like the plain target", () => {
    const scrape = (config.receivers['prometheus'] as { config: { scrape_configs: Array<Record<string, unknown>> } }).config.scrape_configs;
    expect(scrape.map((s) => s['job_name'])).toEqual(model.services.map((s) => s.name));
    const [job] = scrape;
    expect(job!['kubernetes_sd_configs']).toEqual([
      {
        role: 'pod',
        namespaces: { names: ['observability'] },
        selectors: [{ role: 'pod', label: 'app.kubernetes.io/name=orders-service', field: 'spec.nodeName=${env:K8S_NODE_NAME}' }],
      },
    ]);
    expect(job!['relabel_configs']).toEqual(
      expect.arrayContaining([
        { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: '9464', action: 'keep' },
        { target_label: 'telemetry_source', replacement: 'scrape' },
        { target_label: 'service_version', replacement: '1.0.0' },
      ]),
    );
    // Pushed metrics are still stamped otlp.
    expect(config.service.pipelines['metrics/otlp']?.processors).toContain('attributes/telemetry-source');
  });

  it('runs with least privilege: RBAC only to read pods and the gateway endpoints in its namespace', () => {
    const role = objects(model).get('agent-role.yaml') as Doc & { rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> };
    expect(role.kind).toBe('Role');
    expect(role.rules.flatMap((r) => r.resources).sort()).toEqual(['endpoints', 'endpointslices', 'pods']);
    for (const r of role.rules) expect(r.verbs).toEqual(['get', 'list', 'watch']);
    expect(agent.spec['serviceAccount']).toBe('otel-agent');
    const binding = objects(model).get('agent-rolebinding.yaml') as Doc & { subjects: unknown[]; roleRef: unknown };
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'otel-agent', namespace: 'observability' }]);
  });

  it('with services in another namespace (kubernetes.serviceNamespace) scrapes there, with a pods-only Role there bound to its ServiceAccount', async () => {
    const other = loadManifest(`kubernetes: { namespace: observability, serviceNamespace: shop }\n${MINIMAL}`, 'ns.yaml');
    const all = objects(other);
    const scrape = (
      (cr(other, 'agent.yaml').spec['config'] as typeof config).receivers['prometheus'] as { config: { scrape_configs: Array<Record<string, unknown>> } }
    ).config.scrape_configs;
    for (const job of scrape) expect((job['kubernetes_sd_configs'] as Array<{ namespaces: unknown }>)[0]?.namespaces).toEqual({ names: ['shop'] });
    type Rbac = Doc & { rules?: Array<{ resources: string[] }>; subjects?: unknown[]; roleRef?: { name: string } };
    const role = all.get('agent-role.yaml') as Rbac;
    const podsRole = all.get('agent-role-pods.yaml') as Rbac;
    const podsBinding = all.get('agent-rolebinding-pods.yaml') as Rbac;
    expect(role.metadata.namespace).toBe('observability');
    expect(role.rules?.flatMap((r) => r.resources).sort()).toEqual(['endpoints', 'endpointslices']);
    expect(podsRole.metadata).toMatchObject({ name: 'otel-agent-pods', namespace: 'shop' });
    expect(podsRole.rules?.flatMap((r) => r.resources)).toEqual(['pods']);
    expect(podsBinding.metadata.namespace).toBe('shop');
    expect(podsBinding.roleRef?.name).toBe('otel-agent-pods');
    expect(podsBinding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'otel-agent', namespace: 'observability' }]);
    for (const o of all.values()) expect(await validateKubernetesObject(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
  }, 120_000);

  it('receives OTLP through a node-local Service that selects the operator-managed agent pods', () => {
    const svc = objects(model).get('agent-service.yaml')!;
    expect(svc.spec['internalTrafficPolicy']).toBe('Local');
    expect(svc.spec['selector']).toEqual({
      'app.kubernetes.io/managed-by': 'opentelemetry-operator',
      'app.kubernetes.io/instance': 'observability.otel-agent',
      'app.kubernetes.io/part-of': 'opentelemetry',
      'app.kubernetes.io/component': 'opentelemetry-collector',
    });
    expect((svc.spec['ports'] as Array<{ port: number }>).map((p) => p.port)).toEqual([4317, 4318]);
    const receivers = (config.receivers['otlp'] as { protocols: Record<string, { endpoint: string }> }).protocols;
    expect(receivers['grpc']?.endpoint).toBe('${env:POD_IP}:4317');
    expect(agent.spec['mode']).toBe('daemonset');
  });
});

describe('the gateway Deployment', () => {
  it('scales with the autoscaler from kubernetes.gateway, defaults 2..10 at 70 % CPU', () => {
    expect(cr(exampleModel(), 'gateway.yaml').spec).toMatchObject({
      mode: 'deployment',
      autoscaler: { minReplicas: 2, maxReplicas: 10, targetCPUUtilization: 70 },
      podDisruptionBudget: { maxUnavailable: 1 },
    });
    expect(cr(customModel(), 'gateway.yaml').spec['autoscaler']).toEqual({ minReplicas: 3, maxReplicas: 12, targetCPUUtilization: 60 });
  });

  it('gateway listeners bind the pod IP so the operator-made Services and probes reach them; tail sampling unchanged', () => {
    const config = cr(exampleModel(), 'gateway.yaml').spec['config'] as ReturnType<typeof renderCollectorGateway>;
    const otlp = (config.receivers['otlp'] as { protocols: Record<string, { endpoint: string; tls: Record<string, string> }> }).protocols;
    expect(otlp['grpc']).toMatchObject({
      endpoint: '${env:POD_IP}:4317',
      tls: { cert_file: '/etc/otelcol/tls/gateway.crt', key_file: '/etc/otelcol/tls/gateway.key', client_ca_file: '/etc/otelcol/tls/ca.crt' },
    });
    expect(config.extensions['health_check']).toEqual({ endpoint: '${env:POD_IP}:13133' });
    expect(config.processors['tail_sampling']).toEqual(renderCollectorGateway(exampleModel()).processors['tail_sampling']);
  });
});

describe('pods of both roles', () => {
  const model = customModel();

  it.each(['agent.yaml', 'gateway.yaml'] as const)('%s: non-root, read-only root filesystem, no capabilities, sized requests and limits', (file) => {
    const spec = cr(model, file).spec;
    expect(spec['podSecurityContext']).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec['securityContext']).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const memoryLimitMiB = file === 'agent.yaml' ? 512 : 1024;
    // memory_limiter refuses data at limit_mib, below the container limit the OOM killer enforces.
    expect((spec['config'] as { processors: { memory_limiter: { limit_mib: number } } }).processors.memory_limiter.limit_mib).toBe(memoryLimitMiB);
    expect(spec['resources']).toEqual({
      requests: { cpu: file === 'agent.yaml' ? '200m' : '1', memory: `${memoryLimitMiB * 1.25}Mi` },
      limits: { cpu: file === 'agent.yaml' ? '2' : '4', memory: `${memoryLimitMiB * 1.25}Mi` },
    });
    expect(spec['image']).toBe('otel/opentelemetry-collector-contrib:0.156.0');
  });

  it('TLS comes from the cert-manager style Secret of each role at /etc/otelcol/tls; other named files from a files Secret, keyed by path', () => {
    const gw = cr(model, 'gateway.yaml').spec;
    type Volume = { name: string; projected?: { sources: Array<{ secret: { name: string; items: unknown[] } }> }; secret?: { secretName: string } };
    const gwVolumes = gw['volumes'] as Volume[];
    // The backend client certificate lives under /etc/otelcol/tls: it joins the projected volume.
    expect(gwVolumes.find((v) => v.name === 'tls')?.projected?.sources.map((s) => s.secret)).toEqual([
      {
        name: 'otel-gateway-tls',
        items: [
          { key: 'ca.crt', path: 'ca.crt' },
          { key: 'tls.crt', path: 'gateway.crt' },
          { key: 'tls.key', path: 'gateway.key' },
        ],
      },
      {
        name: 'otel-gateway-files',
        items: [
          { key: 'etc-otelcol-tls-mimir-client.crt', path: 'mimir-client.crt' },
          { key: 'etc-otelcol-tls-mimir-client.key', path: 'mimir-client.key' },
        ],
      },
    ]);
    expect(gw['volumeMounts']).toEqual(expect.arrayContaining([{ name: 'tls', mountPath: '/etc/otelcol/tls', readOnly: true }]));
    // The agent's receiver certificate lives elsewhere: mounted at its own path.
    const agent = cr(model, 'agent.yaml').spec;
    expect((agent['volumes'] as Volume[]).find((v) => v.name === 'files')?.secret).toEqual({ secretName: 'otel-agent-files' });
    expect(agent['volumeMounts']).toEqual(
      expect.arrayContaining([
        { name: 'tls', mountPath: '/etc/otelcol/tls', readOnly: true },
        { name: 'files', mountPath: '/etc/otelcol/agent-server/tls.crt', subPath: 'etc-otelcol-agent-server-tls.crt', readOnly: true },
        { name: 'files', mountPath: '/etc/otelcol/agent-server/tls.key', subPath: 'etc-otelcol-agent-server-tls.key', readOnly: true },
      ]),
    );
    expect(JSON.stringify(cr(exampleModel(), 'agent.yaml').spec['volumes'])).not.toContain('otel-agent-files');
  });

  it('the persistent queues get a writable emptyDir at the storage directory, sized for every queue with room for compaction', () => {
    const gw = cr(model, 'gateway.yaml').spec;
    // 0.156 gateway: otlp metrics, logs, traces queues of 1024 MiB each, twice for compaction.
    expect((gw['volumes'] as Array<{ name: string; emptyDir?: unknown }>).find((v) => v.name === 'queue')?.emptyDir).toEqual({
      sizeLimit: `${3 * 1024 * 2}Mi`,
    });
    expect(gw['volumeMounts']).toEqual(expect.arrayContaining([{ name: 'queue', mountPath: '/var/lib/otelcol' }]));
  });
});

describe('manifest: kubernetes.agent / kubernetes.gateway', () => {
  it('refuses minReplicas above maxReplicas and a CPU request above its limit, at file:line:col with a hint', () => {
    const [replicas] = issuesOf(`kubernetes:\n  gateway:\n    minReplicas: 5\n    maxReplicas: 3\n${MINIMAL}`);
    expect(replicas).toMatchObject({ line: 4, path: 'kubernetes.gateway.maxReplicas', message: 'minReplicas 5 is above maxReplicas 3' });
    expect(replicas?.hint).toMatch(/set maxReplicas to 5 or more/);
    const [cpu] = issuesOf(`kubernetes:\n  agent:\n    cpu: { request: "1.5", limit: 500m }\n${MINIMAL}`);
    expect(cpu).toMatchObject({ path: 'kubernetes.agent.cpu.limit', message: 'CPU request 1.5 is above the limit 500m' });
    expect(issuesOf(`kubernetes:\n  gateway: { cpu: { request: lots } }\n${MINIMAL}`)[0]?.path).toBe('kubernetes.gateway.cpu.request');
    expect(issuesOf(`kubernetes:\n  namespace: Observability\n${MINIMAL}`)[0]?.path).toBe('kubernetes.namespace');
  });
});

const skipReason = realToolsSkipReason();

describe.skipIf(skipReason !== undefined)('otelcol validate accepts the configs embedded in the OpenTelemetryCollector resources', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'k8s-collectors-validate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(COLLECTORS.map((c) => c.version))('otelcol %s (example and custom shapes)', (version) => {
    for (const [name, text] of [
      ['example', `collector: { version: ${version} }\n${MINIMAL}`],
      ['custom', CUSTOM.replace('version: 0.156.0', `version: ${version}`)],
    ] as const) {
      const configs = renderKubernetesCollectorConfigs(loadManifest(text, `${name}.yaml`));
      for (const [role, config] of Object.entries(configs)) {
        const file = path.join(dir, `${version}-${name}-${role}.yaml`);
        writeFileSync(file, JSON.stringify(config));
        // The downward API and the credentials Secret set these in the pod.
        const result = validateCollectorConfig(version, file, { POD_IP: '127.0.0.1', K8S_NODE_NAME: 'node-a', MIMIR_TOKEN: 'x' });
        expect(result.ok, `${name} ${role} rejected by otelcol ${version}:\n${result.output}`).toBe(true);
      }
    }
  });
});
