import type { PlatformModel, ServiceModel } from '../model.js';
import type { ConfigMapResource } from './kubernetes-dashboards.js';
import { commonLabels, inClusterServiceUrl, objectMeta, type ObjectMeta } from './kubernetes-objects.js';
import { renderK6Script } from './k6.js';

/** The grafana/k6 image runs as this non-root user (uid and gid). */
const K6_USER = 12345;
/** Where runners and the initializer may write (the root filesystem is read-only): the archive, the JSON summary. */
const SCRATCH = '/tmp';

export interface TestRunResource {
  apiVersion: 'k6.io/v1alpha1';
  kind: 'TestRun';
  metadata: ObjectMeta;
  spec: Record<string, unknown>;
}

const scriptFile = (service: ServiceModel): string => `${service.name}.js`;
const scriptConfigMapName = (service: ServiceModel): string => `${service.name}-k6-script`;

/** The service's k6 script, byte for byte loadtests/<service>.js, as the ConfigMap the TestRun mounts. */
export function renderK6ScriptConfigMap(model: PlatformModel, service: ServiceModel): ConfigMapResource {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: objectMeta(model, scriptConfigMapName(service), { component: 'load-test', name: service.name }),
    data: { [scriptFile(service)]: renderK6Script(service) },
  };
}

/**
 * The pod settings of the k6 pods the operator starts (initializer and runners): non-root,
 * read-only root filesystem with an emptyDir on /tmp, no capabilities, no service-account token
 * (k6 never calls the Kubernetes API), bounded CPU and memory.
 */
function k6Pod(model: PlatformModel, service: ServiceModel, env: Array<{ name: string; value: string }>): Record<string, unknown> {
  const k = model.kubernetes.k6;
  const quantity = { cpu: k.cpu, memory: k.memory };
  return {
    image: k.image,
    metadata: { labels: commonLabels('load-test', service.name) },
    automountServiceAccountToken: 'false',
    ...(env.length > 0 ? { env } : {}),
    resources: { requests: quantity, limits: quantity },
    securityContext: { runAsNonRoot: true, runAsUser: K6_USER, runAsGroup: K6_USER, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '64Mi' } }],
    volumeMounts: [{ name: 'scratch', mountPath: SCRATCH }],
  };
}

/**
 * A k6-operator TestRun for one service: the generated script (thresholds unchanged) from its
 * ConfigMap, run by `load.parallelism` runners. The operator gives runner i of N the execution
 * segment i/N..(i+1)/N, so each runs rate/N requests per second of the constant-arrival-rate
 * scenario (and 1/N of its VUs); the smoke scenario's single iteration runs in one segment. Each
 * runner evaluates every threshold over its own requests only (k6 does not aggregate thresholds
 * across instances) and exits 99 on a violation: with the SLO as thresholds, a test passes only
 * when every runner's share met it.
 *
 * BASE_URL is the service's in-cluster URL (inClusterServiceUrl), overriding the script's default
 * (the plain target's local URL).
 */
export function renderTestRun(model: PlatformModel, service: ServiceModel): TestRunResource {
  const env = [
    { name: 'BASE_URL', value: inClusterServiceUrl(model, service) },
    { name: 'K6_SUMMARY_PATH', value: `${SCRATCH}/k6-summary-${service.name}.json` },
  ];
  return {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: objectMeta(model, `${service.name}-load`, { component: 'load-test', name: service.name }),
    spec: {
      parallelism: service.load.parallelism,
      script: { configMap: { name: scriptConfigMapName(service), file: scriptFile(service) } },
      arguments: '--no-usage-report',
      initializer: k6Pod(model, service, []),
      runner: k6Pod(model, service, env),
    },
  };
}
