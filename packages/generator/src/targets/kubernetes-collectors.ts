import { renderKubernetesCollectors } from '../render/kubernetes-collectors.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/**
 * collector/kubernetes/: the OpenTelemetry Operator's OpenTelemetryCollector resources (agent
 * DaemonSet, gateway Deployment with autoscaler), the agent's RBAC and its node-local Service.
 * One object per file, applied in file-name order after the operator and the Secrets (README).
 */
export const kubernetesCollectorsTarget: Target = {
  name: 'kubernetes-collectors',
  // The kubernetes target set owns collector/kubernetes/ (the plain agent.yaml and gateway.yaml stay in collector/).
  root: 'collector/kubernetes',
  describe: 'OpenTelemetryCollector agent (DaemonSet) and gateway (Deployment, autoscaled) for the OpenTelemetry Operator, agent RBAC and node-local Service',
  *files(model) {
    for (const [file, object] of renderKubernetesCollectors(model)) {
      yield [file, toYaml(object, [`${object.kind} ${object.metadata.name}, namespace ${model.kubernetes.namespace}. Apply: kubectl apply -f ${file}`])];
    }
  },
};
