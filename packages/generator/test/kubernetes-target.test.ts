import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ManifestIssue, formatIssue } from '../src/errors.js';
import { renderAll } from '../src/generate.js';
import { loadManifest } from '../src/manifest/validate.js';
import type { PlatformModel } from '../src/model.js';
import { KUBERNETES_TARGETS, TARGET_SETS } from '../src/targets/index.js';
import { cli, exampleModel, snapshot, tempDir, variedModel, EXAMPLE_MANIFEST, manifestIssues as issuesOf } from './helpers.js';
import { type KubernetesObject, parseKubernetesYaml, unknownCoreFields, validateKubernetesObject } from './support/kubernetes-validation.js';

const MODELS: Record<string, PlatformModel> = { example: exampleModel(), varied: variedModel() };

/** Every object the kubernetes target set writes, with the file it is in. */
function objectsOf(model: PlatformModel): Array<{ file: string; obj: KubernetesObject }> {
  const out: Array<{ file: string; obj: KubernetesObject }> = [];
  for (const [file, content] of renderAll(model, KUBERNETES_TARGETS)) for (const obj of parseKubernetesYaml(content)) out.push({ file, obj });
  return out;
}
const kindOf = (o: KubernetesObject): string => `${String(o.apiVersion)} ${String(o.kind)}`;
const nameOf = (o: KubernetesObject): string => (o.metadata as { name: string }).name;

describe('generate --target kubernetes: every object is valid for its API', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    it(`${name}: every custom resource passes its CRD schema, every core object kubernetes-models, no unknown fields`, async () => {
      const objects = objectsOf(model);
      const kinds = new Set(objects.map((o) => kindOf(o.obj)));
      expect(kinds).toEqual(
        new Set([
          'opentelemetry.io/v1beta1 OpenTelemetryCollector',
          'v1 ServiceAccount',
          'rbac.authorization.k8s.io/v1 Role',
          'rbac.authorization.k8s.io/v1 RoleBinding',
          'v1 Service',
          'monitoring.coreos.com/v1 PrometheusRule',
          'v1 ConfigMap',
          'k6.io/v1alpha1 TestRun',
          ...(model.backends.metrics.type === 'prometheus-scrape' ? ['monitoring.coreos.com/v1 PodMonitor'] : []),
        ]),
      );
      for (const { file, obj } of objects) expect(await validateKubernetesObject(obj), `${file}: ${kindOf(obj)} ${nameOf(obj)}`).toEqual([]);
      expect(unknownCoreFields(objects.map((o) => o.obj))).toEqual([]);
    }, 120_000); // compiles CRD schemas and runs the TypeScript checker: slow on a loaded CI machine, not a timing test

    it(`${name}: every object is in the manifest's namespace, with the common labels, and no two share a kind and name`, () => {
      const seen = new Set<string>();
      for (const { obj } of objectsOf(model)) {
        const meta = obj.metadata as { namespace: string; labels: Record<string, string> };
        expect(meta.namespace).toBe(model.kubernetes.namespace);
        expect(meta.labels).toMatchObject({ 'app.kubernetes.io/part-of': 'platform', 'app.kubernetes.io/managed-by': 'platform-generator' });
        const key = `${kindOf(obj)} ${nameOf(obj)}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    });

    it(`${name}: each mutated object is refused (the validator can fail for every kind written)`, async () => {
      const firstOfKind = new Map<string, KubernetesObject>();
      for (const { obj } of objectsOf(model)) if (!firstOfKind.has(kindOf(obj))) firstOfKind.set(kindOf(obj), obj);
      for (const [kind, obj] of firstOfKind) {
        const misspelt = structuredClone(obj) as Record<string, unknown>;
        if (!/^(opentelemetry\.io|monitoring\.coreos\.com|k6\.io)\//.test(kind)) {
          // Core kinds: kubernetes-models accepts unknown fields, so the excess-field check finds them.
          misspelt['specc'] = {};
          expect(unknownCoreFields([misspelt]).join('\n'), kind).toMatch(/"specc"/);
          const wrongType = structuredClone(obj) as { metadata: { labels: Record<string, unknown> } };
          wrongType.metadata.labels['app.kubernetes.io/part-of'] = 1;
          expect((await validateKubernetesObject(wrongType as unknown as KubernetesObject)).join('\n'), kind).toMatch(/must be string/);
        } else {
          (misspelt['spec'] as Record<string, unknown>)['replicaz'] = 2;
          expect((await validateKubernetesObject(misspelt)).join('\n'), kind).toMatch(/additional properties \(replicaz\)/);
        }
        const renamed = structuredClone(obj) as { metadata: { namespace: string } };
        renamed.metadata.namespace = 'Not_A_Label';
        expect((await validateKubernetesObject(renamed as KubernetesObject)).join('\n'), kind).toMatch(/namespace/);
      }
    });
  }
});

describe('generate --target kubernetes: the content is the plain target content, reused', () => {
  for (const [name, model] of Object.entries(MODELS)) {
    const plain = renderAll(model);
    const objects = objectsOf(model);

    it(`${name}: each PrometheusRule carries exactly the service's rule groups of collector/prometheus-rules/`, () => {
      const rules = objects.filter((o) => o.obj.kind === 'PrometheusRule');
      expect(rules.map((r) => nameOf(r.obj))).toEqual(model.services.map((s) => `${s.name}-slo`));
      for (const s of model.services) {
        const rule = rules.find((r) => nameOf(r.obj) === `${s.name}-slo`)?.obj as { spec: unknown; metadata: { labels: Record<string, string> } };
        expect(rule.spec).toEqual(parse(plain.get(`collector/prometheus-rules/${s.name}.rules.yaml`) ?? ''));
        expect(rule.metadata.labels).toMatchObject(model.kubernetes.monitoringLabels);
      }
    });

    it(`${name}: each dashboard ConfigMap holds the plain dashboard JSON byte for byte, labelled for the sidecar`, () => {
      const dashboards = objects.filter((o) => (o.obj.metadata as { labels: Record<string, string> }).labels['grafana_dashboard'] === '1');
      expect(dashboards).toHaveLength(model.services.length + 1);
      for (const { obj } of dashboards) {
        const data = obj['data'] as Record<string, string>;
        const [file, json] = Object.entries(data)[0] as [string, string];
        const plainFile = file === 'overview.json' ? 'dashboards/overview.json' : `dashboards/services/${file}`;
        expect(json).toBe(plain.get(plainFile));
        expect((obj.metadata as { annotations: Record<string, string> }).annotations).toEqual({ grafana_folder: model.grafana.folder });
      }
      const datasources = objects.find((o) => (o.obj.metadata as { labels: Record<string, string> }).labels['grafana_datasource'] === '1')?.obj;
      expect(parse(Object.values(datasources?.['data'] as Record<string, string>)[0] ?? '')).toEqual(
        parse(plain.get('dashboards/provisioning/datasources/platform.yaml') ?? ''),
      );
    });

    it(`${name}: each TestRun runs the plain k6 script from its ConfigMap with load.parallelism runners against the in-cluster Service`, () => {
      for (const s of model.services) {
        const file = objects.filter((o) => o.file === `loadtests/kubernetes/${s.name}.yaml`).map((o) => o.obj);
        expect(
          file.map((o) => o.kind),
          'the script ConfigMap before the TestRun that mounts it',
        ).toEqual(['ConfigMap', 'TestRun']);
        const [configMap, testRun] = file as [KubernetesObject, KubernetesObject];
        const spec = testRun['spec'] as {
          parallelism: number;
          script: { configMap: { name: string; file: string } };
          runner: { env: Array<{ name: string; value: string }>; containerSecurityContext: Record<string, unknown>; securityContext: Record<string, unknown> };
        };
        expect(spec.parallelism).toBe(s.load.parallelism);
        expect(spec.script.configMap.name).toBe(nameOf(configMap));
        expect((configMap['data'] as Record<string, string>)[spec.script.configMap.file]).toBe(plain.get(`loadtests/${s.name}.js`));
        expect(spec.runner.env).toContainEqual({ name: 'BASE_URL', value: `http://${s.name}.${model.kubernetes.serviceNamespace}.svc:${s.port}` });
        expect(spec.runner.securityContext).toMatchObject({ runAsNonRoot: true });
        expect(spec.runner.containerSecurityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
      }
    });
  }

  it('the gateway PodMonitor exists only when Prometheus scrapes the gateway, and keeps the labels the agent set', () => {
    expect(objectsOf(MODELS['example'] as PlatformModel).some((o) => o.obj.kind === 'PodMonitor')).toBe(false);
    const monitor = objectsOf(MODELS['varied'] as PlatformModel).find((o) => o.obj.kind === 'PodMonitor')?.obj as { spec: { podMetricsEndpoints: unknown[] } };
    expect(monitor.spec.podMetricsEndpoints[0]).toMatchObject({ portNumber: 8889, honorLabels: true, scheme: 'HTTP' });
  });
});

describe('generate --target kubernetes: output folders and --check', () => {
  const manifest = EXAMPLE_MANIFEST;
  const run = (dir: string, ...args: string[]) => cli(['generate', '--manifest', manifest, '--out', dir, ...args], dir);

  it('each target set owns its folders: generating one never changes or reports the other', () => {
    const { dir, cleanup } = tempDir();
    try {
      expect(run(dir, '--target', 'kubernetes').code).toBe(0);
      const kubernetesOnly = snapshot(dir);
      expect(Object.keys(kubernetesOnly).every((f) => /^(collector|dashboards|loadtests)\/kubernetes\//.test(f))).toBe(true);
      const plain = run(dir);
      expect(plain.code).toBe(0);
      expect(plain.stdout).not.toContain('kept');
      const both = snapshot(dir);
      for (const [f, content] of Object.entries(kubernetesOnly)) expect(both[f], f).toBe(content);
      // Regenerating the kubernetes set leaves the plain files as they are.
      expect(run(dir, '--target', 'kubernetes').code).toBe(0);
      expect(snapshot(dir)).toEqual(both);
      expect(run(dir, '--check').code).toBe(0);
      expect(run(dir, '--check', '--target', 'kubernetes').code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('--check --target kubernetes reports a changed file and names the command to fix it; the plain check ignores them', () => {
    const { dir, cleanup } = tempDir();
    try {
      const extra = path.join(dir, 'extra.yaml');
      writeFileSync(extra, readFileSync(manifest, 'utf8').replace('parallelism: 2', 'parallelism: 4'));
      expect(cli(['generate', '--manifest', extra, '--out', dir, '--target', 'kubernetes'], dir).code).toBe(0);
      expect(run(dir).code).toBe(0);
      const drift = run(dir, '--check', '--target', 'kubernetes');
      expect(drift.code).toBe(1);
      expect(drift.stderr).toMatch(/changed loadtests\/kubernetes\/orders-service\.yaml/);
      expect(drift.stderr).toContain('run "platform generate --target kubernetes"');
      expect(drift.stdout).toContain('-  parallelism: 4');
      expect(run(dir, '--check').code).toBe(0);
    } finally {
      cleanup();
    }
  });

  it('an unknown --target is a usage error with a suggestion; the help lists both sets', () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = run(dir, '--target', 'kubernets');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('unknown target "kubernets" (did you mean "kubernetes"?)');
      const help = cli(['generate', '--help'], dir).stdout;
      for (const set of TARGET_SETS) expect(help).toContain(`--target ${set.name}: ${set.describe}`);
    } finally {
      cleanup();
    }
  });
});

describe('manifest: kubernetes and load.parallelism', () => {
  const service = (load: string) => `services:\n  - name: api\n    port: 8080\n    slos: { availability: { objective: 99.9 } }\n    load: ${load}\n`;

  it('defaults: namespace observability, services in the same namespace, one runner', () => {
    const m = loadManifest(service('{ rate: 10 }'), 'm.yaml');
    expect(m.kubernetes).toEqual({
      namespace: 'observability',
      serviceNamespace: 'observability',
      monitoringLabels: {},
      k6: { image: 'grafana/k6:1.3.0', cpu: '1', memory: '512Mi' },
      agent: { cpu: { request: '100m', limit: '1' } },
      gateway: { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70, cpu: { request: '500m', limit: '2' } },
    });
    expect(m.services[0]?.load.parallelism).toBe(1);
  });

  it('a namespace that is not a DNS-1123 label: file:line:col, field path, hint', () => {
    const [i] = issuesOf(`kubernetes:\n  namespace: Observability_1\n${service('{ rate: 10 }')}`);
    expect(i).toMatchObject({ line: 2, col: 14, path: 'kubernetes.namespace' });
    expect(formatIssue(i as ManifestIssue)).toMatch(
      /^m\.yaml:2:14: error: kubernetes\.namespace: invalid value "Observability_1"\n {4}hint: a Kubernetes namespace \(DNS-1123 label\)/,
    );
  });

  it('parallelism that does not split the rate evenly names the runner counts that do', () => {
    const [i] = issuesOf(service('{ rate: 20, parallelism: 3 }'));
    expect(i).toMatchObject({ line: 5, path: 'services[0].load.parallelism', hint: 'use 2 or 4 runners, or a load.rate divisible by 3' });
  });

  it('more runners than requests per second is refused; an even split and the default rate are accepted', () => {
    const [i] = issuesOf(service('{ rate: 2, parallelism: 4 }'));
    expect(i).toMatchObject({ path: 'services[0].load.parallelism', hint: 'use at most 2, or raise load.rate' });
    expect(issuesOf(service('{ rate: 30, parallelism: 6 }'))).toEqual([]);
    expect(issuesOf(service('{ parallelism: 5 }'))).toEqual([]); // default rate 20
    expect(issuesOf(service('{ parallelism: 0 }'))[0]).toMatchObject({ path: 'services[0].load.parallelism' });
  });
});
