import type { PlatformModel } from '../model.js';

/**
 * What every generated Kubernetes object shares: its namespace (from the manifest) and the
 * recommended `app.kubernetes.io/*` labels. The renderers under render/kubernetes-*.ts build each
 * kind on top of these; the collector side (kubernetes-collectors.ts) uses the same names.
 */

/** `app.kubernetes.io/part-of` of everything generated: select all of it with `-l app.kubernetes.io/part-of=platform`. */
export const PART_OF = 'platform';
/** `app.kubernetes.io/managed-by`: the objects are regenerated, not edited in the cluster. */
export const MANAGED_BY = 'platform-generator';

/** Names of the two OpenTelemetryCollector resources; the operator derives pod labels and Services from them. */
export const COLLECTOR_NAME = { agent: 'otel-agent', gateway: 'otel-gateway' } as const;

/**
 * Labels the OpenTelemetry Operator puts on the pods of an OpenTelemetryCollector named `name` in
 * `namespace` (the operator's `app.kubernetes.io/instance` is `<namespace>.<name>`), for selectors.
 */
export function collectorPodSelector(namespace: string, name: string): Record<string, string> {
  return { 'app.kubernetes.io/component': 'opentelemetry-collector', 'app.kubernetes.io/instance': `${namespace}.${name}` };
}

/** The recommended labels of everything generated (also on the pods the operators start from it). */
export function commonLabels(component: string, name: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': MANAGED_BY,
  };
}

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * metadata for one namespaced object. `component` says which part of the platform it is
 * (`slo-rules`, `dashboard`, `load-test`, …); `name` is the `app.kubernetes.io/name` (the service it
 * is about, or the platform piece). Extra labels come last and may not override the common ones.
 */
export function objectMeta(
  model: PlatformModel,
  objectName: string,
  labels: { component: string; name: string; extra?: Readonly<Record<string, string>> },
  annotations?: Record<string, string>,
): ObjectMeta {
  return {
    name: objectName,
    namespace: model.kubernetes.namespace,
    labels: { ...labels.extra, ...commonLabels(labels.component, labels.name) },
    ...(annotations ? { annotations } : {}),
  };
}

/** The in-cluster URL of a service: its Service (named like the service) in the services' namespace, on its port. */
export function inClusterServiceUrl(model: PlatformModel, service: { name: string; port: number }): string {
  return `http://${service.name}.${model.kubernetes.serviceNamespace}.svc:${service.port}`;
}

/**
 * Secrets holding each collector's TLS material (ca.crt, tls.crt, tls.key as cert-manager writes
 * them), mounted by the collector resources and referenced wherever another component needs the CA.
 */
export const TLS_SECRET = { agent: 'otel-agent-tls', gateway: 'otel-gateway-tls', caKey: 'ca.crt' } as const;
