import { LABEL, TELEMETRY_SOURCE } from '@platform/conventions';
import { TLS_DIRECTORY, type AgentModel, type GatewayModel, type PlatformModel } from '../model.js';
import { renderCollectorAgent, renderCollectorGateway, type CollectorConfig, type GatewayRoute, type ScrapeConfig } from './collector.js';

/**
 * The collectors on Kubernetes, run by the OpenTelemetry Operator: the agent as a DaemonSet
 * (OpenTelemetryCollector mode daemonset), the gateway as a Deployment with the operator's
 * autoscaler behind the headless Service the operator creates, the agent's RBAC and the node-local
 * Service services send OTLP to. The collector configs inside are the plain target's renderers run
 * on the same model with Kubernetes addresses; nothing of the pipelines is re-derived here.
 */

/** A Kubernetes object as plain data. */
export type KubernetesObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

/** Names of the OpenTelemetryCollector resources; the operator suffixes what it creates with `-collector`. */
export const AGENT_NAME = 'otel-agent';
export const GATEWAY_NAME = 'otel-gateway';
/** The node-local Service services send OTLP to (internalTrafficPolicy: Local). */
export const AGENT_SERVICE_NAME = 'otel-agent-node-local';

/** Objects the operator creates for an OpenTelemetryCollector named `name` (see its naming package). */
export const operatorService = (name: string): string => `${name}-collector`;
export const operatorHeadlessService = (name: string): string => `${name}-collector-headless`;

/** Environment variables the pods get from the downward API; every collector listener binds the pod IP. */
const POD_IP = 'POD_IP';
const NODE_NAME = 'K8S_NODE_NAME';
const DOWNWARD_ENV = new Set([POD_IP, NODE_NAME]);
const onPodIp = (address: string): string => `\${env:${POD_IP}}:${address.slice(address.lastIndexOf(':') + 1)}`;
const port = (address: string): number => Number(address.slice(address.lastIndexOf(':') + 1));

/** Non-root (the contrib image's user), no privilege escalation, no capabilities, read-only root filesystem. */
const POD_SECURITY_CONTEXT = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } };
const SECURITY_CONTEXT = { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };

/**
 * The memory_limiter refuses data at limit_mib; the container limit sits above it so the limiter,
 * not the OOM killer, acts first (limit_mib is 80 % of the container's memory).
 */
const containerMemoryMiB = (limitMiB: number): number => Math.ceil(limitMiB / 0.8);

/** Cluster DNS name of a Service in the target namespace. */
const serviceDns = (model: PlatformModel, service: string): string => `${service}.${model.kubernetes.namespace}.svc`;

/**
 * The TLS material of one role, from the Secret a cert-manager Certificate writes (`tls.crt`,
 * `tls.key`, `ca.crt`), projected onto the file names the configs use under /etc/otelcol/tls.
 */
function tlsFiles(role: 'agent' | 'gateway'): { caFile: string; certFile: string; keyFile: string } {
  return { caFile: `${TLS_DIRECTORY}/ca.crt`, certFile: `${TLS_DIRECTORY}/${role}.crt`, keyFile: `${TLS_DIRECTORY}/${role}.key` };
}
export const tlsSecretName = (role: 'agent' | 'gateway'): string => `${role === 'agent' ? AGENT_NAME : GATEWAY_NAME}-tls`;
/** Secret holding every `${env:VAR}` credential of a role's config, one key per variable. */
export const credentialsSecretName = (role: 'agent' | 'gateway'): string => `${role === 'agent' ? AGENT_NAME : GATEWAY_NAME}-credentials`;
/**
 * Secret holding any other file the manifest names (backend client certificates, an agent receiver
 * certificate), one key per file: the path without its leading slash, slashes as dashes.
 */
export const filesSecretName = (role: 'agent' | 'gateway'): string => `${role === 'agent' ? AGENT_NAME : GATEWAY_NAME}-files`;

/** The model as it runs in the cluster: listeners on the pod IP, the hop's TLS files at the convention, the gateway by its Service name. */
function clusterModel(model: PlatformModel): PlatformModel {
  const c = model.collector;
  const listeners = <T extends AgentModel | GatewayModel>(l: T): T => ({
    ...l,
    grpcEndpoint: onPodIp(l.grpcEndpoint),
    httpEndpoint: onPodIp(l.httpEndpoint),
    healthCheckEndpoint: onPodIp(l.healthCheckEndpoint),
    metricsEndpoint: onPodIp(l.metricsEndpoint),
  });
  const gatewayService = `${serviceDns(model, operatorService(GATEWAY_NAME))}:${port(c.gateway.grpcEndpoint)}`;
  const gw = tlsFiles('gateway');
  const agent = tlsFiles('agent');
  return {
    ...model,
    collector: {
      ...c,
      agent: listeners(c.agent),
      gateway: {
        ...listeners(c.gateway),
        endpoint: gatewayService,
        endpoints: [gatewayService],
        caFile: gw.caFile,
        certFile: gw.certFile,
        keyFile: gw.keyFile,
        clientCaFile: gw.caFile,
        clientCertFile: agent.certFile,
        clientKeyFile: agent.keyFile,
      },
    },
  };
}

/** Agents reach every gateway replica through the k8s resolver on the headless Service, verifying the Service name. */
function clusterRoute(model: PlatformModel): GatewayRoute {
  const grpc = port(model.collector.gateway.grpcEndpoint);
  return {
    endpoint: `${serviceDns(model, operatorService(GATEWAY_NAME))}:${grpc}`,
    resolver: { k8s: { service: `${operatorHeadlessService(GATEWAY_NAME)}.${model.kubernetes.namespace}`, ports: [grpc] } },
    // Replicas are dialled by pod IP: the certificate is checked against the Service name.
    serverName: model.collector.gateway.serverName ?? serviceDns(model, operatorService(GATEWAY_NAME)),
  };
}

/**
 * Service discovery instead of static targets: the pods of each service on this agent's node
 * (label `app.kubernetes.io/name: <service>`, the metrics port declared as a containerPort), with
 * the same target labels as the plain target's static scrape.
 */
export function kubernetesScrapeConfigs(model: PlatformModel): ScrapeConfig[] {
  return model.services.map((s) => ({
    job_name: s.name,
    scrape_interval: model.collector.scrapeInterval,
    metrics_path: s.metricsPath,
    kubernetes_sd_configs: [
      {
        role: 'pod',
        namespaces: { names: [model.kubernetes.serviceNamespace] },
        selectors: [{ role: 'pod', label: `app.kubernetes.io/name=${s.name}`, field: `spec.nodeName=\${env:${NODE_NAME}}` }],
      },
    ],
    relabel_configs: [
      { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Running', action: 'keep' },
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(s.metricsPort), action: 'keep' },
      { target_label: 'service_version', replacement: s.version },
      { target_label: LABEL.telemetrySource, replacement: TELEMETRY_SOURCE.scrape },
    ],
  }));
}

/** Every `${env:VAR}` a config reads, sorted. */
function envReferences(config: unknown): string[] {
  const found = new Set<string>();
  for (const m of JSON.stringify(config).matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) found.add(m[1] as string);
  return [...found].sort();
}

/** Every file a config reads (ca_file, cert_file, key_file, client_ca_file), sorted. */
function fileReferences(config: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        if (typeof x === 'string' && /(^|_)file$/.test(k)) found.add(x);
        else walk(x);
      }
  };
  walk(config);
  return [...found].sort();
}

/** Bytes each persistent queue may take, times the queues of this config (an exporter queues per signal), with room for compaction. */
function queueVolumeMiB(model: PlatformModel, config: CollectorConfig): number {
  const queued = new Set<string>();
  for (const [name, p] of Object.entries(config.service.pipelines))
    for (const e of p.exporters)
      if ((config.exporters[e] as { sending_queue?: { storage?: string } }).sending_queue?.storage) queued.add(`${e}/${name.split('/')[0]}`);
  // Compaction writes a fresh copy of a queue file before removing the old one.
  return queued.size * model.collector.queue.diskMiB * 2;
}

/** The pod-level pieces both collectors share: env, volumes, mounts, security, resources. */
function podSpec(model: PlatformModel, role: 'agent' | 'gateway', config: CollectorConfig, memoryLimitMiB: number, cpu: { request: string; limit: string }) {
  const tls = tlsFiles(role);
  const provided = new Set([tls.caFile, tls.certFile, tls.keyFile]);
  // Other files the manifest names, from the role's files Secret: under /etc/otelcol/tls they join
  // the projected TLS volume, elsewhere each is mounted at its path. A path given as ${env:VAR} is
  // only known in the pod and is not mounted.
  const extraFiles = fileReferences(config).filter((f) => !provided.has(f) && !f.startsWith('${'));
  const inTlsDir = extraFiles.filter((f) => f.startsWith(`${TLS_DIRECTORY}/`));
  const elsewhere = extraFiles.filter((f) => !f.startsWith(`${TLS_DIRECTORY}/`));
  const credentials = envReferences(config).filter((v) => !DOWNWARD_ENV.has(v));
  const memory = `${containerMemoryMiB(memoryLimitMiB)}Mi`;
  const basename = (f: string): string => f.slice(f.lastIndexOf('/') + 1);
  /** The Secret key of a file: its path without the leading slash, slashes as dashes (unique per path). */
  const fileKey = (f: string): string => f.replace(/^\/+/, '').replaceAll('/', '-');
  return {
    env: [
      { name: POD_IP, valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      ...(role === 'agent' ? [{ name: NODE_NAME, valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }] : []),
      ...credentials.map((name) => ({ name, valueFrom: { secretKeyRef: { name: credentialsSecretName(role), key: name } } })),
    ],
    volumes: [
      {
        name: 'tls',
        projected: {
          sources: [
            {
              secret: {
                name: tlsSecretName(role),
                items: [
                  { key: 'ca.crt', path: basename(tls.caFile) },
                  { key: 'tls.crt', path: basename(tls.certFile) },
                  { key: 'tls.key', path: basename(tls.keyFile) },
                ],
              },
            },
            ...(inTlsDir.length > 0
              ? [{ secret: { name: filesSecretName(role), items: inTlsDir.map((f) => ({ key: fileKey(f), path: f.slice(TLS_DIRECTORY.length + 1) })) } }]
              : []),
          ],
        },
      },
      // emptyDir: the queues survive a collector restart in the pod, not the pod's deletion (see README).
      { name: 'queue', emptyDir: { sizeLimit: `${queueVolumeMiB(model, config)}Mi` } },
      ...(elsewhere.length > 0 ? [{ name: 'files', secret: { secretName: filesSecretName(role) } }] : []),
    ],
    volumeMounts: [
      { name: 'tls', mountPath: TLS_DIRECTORY, readOnly: true },
      { name: 'queue', mountPath: model.collector.storageDirectory },
      ...elsewhere.map((f) => ({ name: 'files', mountPath: f, subPath: fileKey(f), readOnly: true })),
    ],
    resources: { requests: { cpu: cpu.request, memory }, limits: { cpu: cpu.limit, memory } },
    podSecurityContext: { ...POD_SECURITY_CONTEXT },
    securityContext: { ...SECURITY_CONTEXT, capabilities: { drop: [...SECURITY_CONTEXT.capabilities.drop] } },
  };
}

/**
 * The recommended labels every generated Kubernetes object carries (the same set as the other
 * resources of the kubernetes target); the operator copies them onto the collector pods, except
 * the component and managed-by it sets itself for its selectors.
 */
function labels(name: string, component: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': component,
    'app.kubernetes.io/part-of': 'platform',
    'app.kubernetes.io/managed-by': 'platform-generator',
  };
}

function meta(model: PlatformModel, name: string, component: string): KubernetesObject['metadata'] {
  return { name, namespace: model.kubernetes.namespace, labels: labels(component === 'agent' ? AGENT_NAME : GATEWAY_NAME, `collector-${component}`) };
}

/** The contrib image at the version the configs are written for (component names depend on it). */
const image = (model: PlatformModel): string => `otel/opentelemetry-collector-contrib:${model.collector.version}`;

/** The embedded collector configs, for `otelcol validate` and the README. */
export function renderKubernetesCollectorConfigs(model: PlatformModel): { agent: CollectorConfig; gateway: CollectorConfig } {
  const cluster = clusterModel(model);
  return {
    agent: renderCollectorAgent(cluster, { route: clusterRoute(model), scrapeConfigs: kubernetesScrapeConfigs(model) }),
    gateway: renderCollectorGateway(cluster),
  };
}

/** Every collector object of the Kubernetes target, as [file name, object], in apply order. */
export function renderKubernetesCollectors(model: PlatformModel): Array<[string, KubernetesObject]> {
  const { agent, gateway } = renderKubernetesCollectorConfigs(model);
  const k = model.kubernetes;
  const ns = k.namespace;
  const c = model.collector;
  const agentPod = podSpec(model, 'agent', agent, c.memoryLimitMiB, k.agent.cpu);
  const gatewayPod = podSpec(model, 'gateway', gateway, c.memoryLimitMiB * 2, k.gateway.cpu);
  const operatorSelector = (name: string): Record<string, string> => ({
    'app.kubernetes.io/managed-by': 'opentelemetry-operator',
    'app.kubernetes.io/instance': `${ns}.${name}`,
    'app.kubernetes.io/part-of': 'opentelemetry',
    'app.kubernetes.io/component': 'opentelemetry-collector',
  });
  return [
    ['agent-serviceaccount.yaml', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(model, AGENT_NAME, 'agent') }],
    ...agentRbac(model),
    [
      'agent.yaml',
      {
        apiVersion: 'opentelemetry.io/v1beta1',
        kind: 'OpenTelemetryCollector',
        metadata: meta(model, AGENT_NAME, 'agent'),
        spec: {
          mode: 'daemonset',
          image: image(model),
          serviceAccount: AGENT_NAME,
          ...agentPod,
          config: agent,
        },
      },
    ],
    [
      'agent-service.yaml',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta(model, AGENT_SERVICE_NAME, 'agent'),
        spec: {
          // Traffic stays on the sender's node: each service reaches its own node's agent, by a DNS name its certificate can carry.
          internalTrafficPolicy: 'Local',
          selector: operatorSelector(AGENT_NAME),
          ports: [
            { name: 'otlp-grpc', port: port(c.agent.grpcEndpoint), targetPort: port(c.agent.grpcEndpoint), protocol: 'TCP', appProtocol: 'grpc' },
            { name: 'otlp-http', port: port(c.agent.httpEndpoint), targetPort: port(c.agent.httpEndpoint), protocol: 'TCP', appProtocol: 'http' },
          ],
        },
      },
    ],
    [
      'gateway.yaml',
      {
        apiVersion: 'opentelemetry.io/v1beta1',
        kind: 'OpenTelemetryCollector',
        metadata: meta(model, GATEWAY_NAME, 'gateway'),
        spec: {
          mode: 'deployment',
          image: image(model),
          autoscaler: { minReplicas: k.gateway.minReplicas, maxReplicas: k.gateway.maxReplicas, targetCPUUtilization: k.gateway.targetCpuUtilization },
          podDisruptionBudget: { maxUnavailable: 1 },
          ...gatewayPod,
          config: gateway,
        },
      },
    ],
  ];
}

const rbacRole = (model: PlatformModel, name: string, namespace: string, rules: object[]): Array<[string, KubernetesObject]> => {
  const metadata = { ...meta(model, name, 'agent'), namespace };
  const suffix = name === AGENT_NAME ? '' : name.slice(AGENT_NAME.length);
  return [
    [`agent-role${suffix}.yaml`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules }],
    [
      `agent-rolebinding${suffix}.yaml`,
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
        subjects: [{ kind: 'ServiceAccount', name: AGENT_NAME, namespace: model.kubernetes.namespace }],
      },
    ],
  ];
};

/**
 * The agent's permissions, namespaced: pods where the services run (kubernetes_sd_configs role pod)
 * and the gateway's headless Service endpoints (the load-balancing exporter's k8s resolver). When the
 * services run in another namespace (kubernetes.serviceNamespace), the pod permission is a second
 * Role there, bound to the same ServiceAccount.
 */
function agentRbac(model: PlatformModel): Array<[string, KubernetesObject]> {
  const pods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] };
  const resolver = [
    { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
  ];
  const { namespace, serviceNamespace } = model.kubernetes;
  if (serviceNamespace === namespace) return rbacRole(model, AGENT_NAME, namespace, [pods, ...resolver]);
  return [...rbacRole(model, AGENT_NAME, namespace, resolver), ...rbacRole(model, `${AGENT_NAME}-pods`, serviceNamespace, [pods])];
}
