import { describe, expect, it } from 'vitest';
import { type KubernetesObject, customResourceKinds, unknownCoreFields, validateKubernetesObject } from './support/kubernetes-validation.js';

/** The validator itself: it accepts what the API server accepts and can fail for every kind it knows. */

/** Plain decoded YAML the mutations below reach into at arbitrary paths. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const meta = { name: 'demo', namespace: 'observability', labels: { 'app.kubernetes.io/part-of': 'platform' } };

/** One valid object per kind, and mutations of it the API server rejects. */
const CASES: ReadonlyArray<{ obj: KubernetesObject; bad: ReadonlyArray<[why: string, mutate: (o: Doc) => void, expected: RegExp]> }> = [
  {
    obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { 'script.js': 'export default function () {}' } },
    bad: [
      ['a number as data value', (o) => (o.data['script.js'] = 1), /\/data\/script\.js: must be string/],
      ['an upper-case name', (o) => (o.metadata.name = 'Demo'), /\/metadata\/name: not a DNS-1123 subdomain/],
      ['no namespace', (o) => delete o.metadata.namespace, /\/metadata\/namespace: required/],
    ],
  },
  {
    obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'observability' } },
    bad: [['a namespace on a cluster-scoped kind', (o) => (o.metadata.namespace = 'x'), /cluster-scoped object has none/]],
  },
  {
    obj: {
      apiVersion: 'k6.io/v1alpha1',
      kind: 'TestRun',
      metadata: meta,
      spec: { parallelism: 2, script: { configMap: { name: 'demo', file: 'demo.js' } }, runner: { resources: { limits: { cpu: '1', memory: '512Mi' } } } },
    },
    bad: [
      [
        'an unknown field (pruned by the API server, rejected by kubectl --validate=strict)',
        (o) => (o.spec.paralelism = 2),
        /\/spec: must NOT have additional properties \(paralelism\)/,
      ],
      ['a string parallelism', (o) => (o.spec.parallelism = 'two'), /\/spec\/parallelism: must be integer/],
      ['a malformed quantity (int-or-string with a pattern)', (o) => (o.spec.runner.resources.limits.cpu = 'lots'), /\/spec\/runner\/resources\/limits\/cpu/],
      ['a quantity that is neither integer nor string', (o) => (o.spec.runner.resources.limits.cpu = true), /must be an integer or a string/],
      ['a label value that is not a string', (o) => (o.metadata.labels = { a: 1 }), /\/metadata\/labels\/a: must be string/],
    ],
  },
  {
    obj: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: meta,
      spec: {
        groups: [
          {
            name: 'g',
            rules: [
              { record: 'job:x:rate5m', expr: 'sum(rate(x[5m]))' },
              { alert: 'A', expr: 'up == 0', for: '5m' },
            ],
          },
        ],
      },
    },
    bad: [
      ['a rule group without a name', (o) => delete o.spec.groups[0].name, /\/spec\/groups\/0: must have required property 'name'/],
      ['a malformed for duration', (o) => (o.spec.groups[0].rules[1].for = 'five minutes'), /\/spec\/groups\/0\/rules\/1\/for: must match pattern/],
      [
        'two groups with the same name (list-type map)',
        (o) => o.spec.groups.push({ ...o.spec.groups[0] }),
        /\/spec\/groups: must pass "x-kubernetes-list-type"/,
      ],
    ],
  },
  {
    obj: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: meta,
      spec: { selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'metrics', honorLabels: true }] },
    },
    bad: [['an unknown endpoint field', (o) => (o.spec.endpoints[0].honour_labels = true), /additional properties \(honour_labels\)/]],
  },
  {
    obj: {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: meta,
      spec: { selector: { matchLabels: { app: 'x' } }, podMetricsEndpoints: [{ port: 'metrics', scheme: 'HTTPS' }] },
    },
    bad: [['a scheme outside the enum', (o) => (o.spec.podMetricsEndpoints[0].scheme = 'ftp'), /scheme: must be equal to one of the allowed values/]],
  },
  {
    obj: {
      apiVersion: 'opentelemetry.io/v1beta1',
      kind: 'OpenTelemetryCollector',
      metadata: meta,
      spec: {
        mode: 'deployment',
        config: {
          receivers: { otlp: { protocols: { grpc: {} } } },
          exporters: { debug: {} },
          service: { pipelines: { traces: { receivers: ['otlp'], exporters: ['debug'] } } },
        },
      },
    },
    bad: [
      ['a mode outside the enum', (o) => (o.spec.mode = 'job'), /\/spec\/mode: must be equal to one of the allowed values/],
      ['no config', (o) => delete o.spec.config, /\/spec: must have required property 'config'/],
      [
        'tolerations in sidecar mode (the CRD CEL rule)',
        (o) => Object.assign(o.spec, { mode: 'sidecar', tolerations: [{ key: 'k', operator: 'Exists' }] }),
        /sidecar mode does not support tolerations/,
      ],
    ],
  },
];

describe('validateKubernetesObject', { timeout: 120_000 }, () => {
  it('knows every served version of every CRD in ../shared/k8s-crds', () => {
    expect(customResourceKinds()).toEqual(
      expect.arrayContaining([
        'k6.io/v1alpha1 TestRun',
        'monitoring.coreos.com/v1 PodMonitor',
        'monitoring.coreos.com/v1 PrometheusRule',
        'monitoring.coreos.com/v1 ServiceMonitor',
        'opentelemetry.io/v1beta1 OpenTelemetryCollector',
      ]),
    );
  }, 120_000);

  for (const { obj, bad } of CASES) {
    const kind = `${String(obj.apiVersion)} ${String(obj.kind)}`;
    it(`${kind}: accepts the valid object`, async () => {
      expect(await validateKubernetesObject(obj)).toEqual([]);
    });
    for (const [why, mutate, expected] of bad) {
      it(`${kind}: rejects ${why}`, async () => {
        const copy = structuredClone(obj);
        mutate(copy);
        const problems = await validateKubernetesObject(copy);
        expect(problems.join('\n')).toMatch(expected);
      });
    }
  }

  it('refuses a kind it has no schema for, and a wrong apiVersion of a known kind', async () => {
    expect(await validateKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta })).toEqual([
      expect.stringMatching(/no schema for example\.com\/v1 Widget/),
    ]);
    expect(await validateKubernetesObject({ apiVersion: 'k6.io/v1', kind: 'TestRun', metadata: meta })).toEqual([
      expect.stringMatching(/no schema for k6\.io\/v1 TestRun/),
    ]);
  });
});

describe('unknownCoreFields', { timeout: 120_000 }, () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta,
    spec: {
      selector: { matchLabels: { app: 'demo' } },
      template: {
        metadata: { labels: { app: 'demo' } },
        spec: { containers: [{ name: 'demo', image: 'demo:1', securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true } }] },
      },
    },
  };
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: 'b' } };

  it('accepts objects that use only fields the Kubernetes API defines (custom resources are skipped)', () => {
    expect(unknownCoreFields([deployment, configMap, CASES[2]!.obj])).toEqual([]);
  });

  it('reports a misspelt field deep inside a pod template, and one at the top, naming the object', () => {
    const bad = structuredClone(deployment) as Doc;
    bad.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    const problems = unknownCoreFields([configMap, bad, { ...configMap, immutible: true }]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^apps\/v1 Deployment demo: .*"readOnlyRootFileSystem".*ISecurityContext/);
    expect(problems[1]).toMatch(/^v1 ConfigMap demo: .*"immutible"/);
  });

  it('the schema check alone lets the misspelt field through (why this check exists)', async () => {
    const bad = structuredClone(deployment) as Doc;
    bad.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem = true;
    expect(await validateKubernetesObject(bad)).toEqual([]);
  });
});
