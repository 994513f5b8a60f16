import { renderKubernetesCollectors } from '../render/kubernetes-collectors.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/** Folder under collector/ for the Kubernetes resources (the plain agent.yaml and gateway.yaml stay beside it). */
const FOLDER = 'kubernetes';

/**
 * collector/kubernetes/: the OpenTelemetry Operator's OpenTelemetryCollector resources (agent
 * DaemonSet, gateway Deployment with autoscaler), the agent's RBAC and its node-local Service.
 * One object per file, applied in file-name order after the operator and the Secrets (README).
 */
export const kubernetesCollectorsTarget: Target = {
  name: 'kubernetes-collectors',
  root: 'collector',
  describe: 'OpenTelemetryCollector agent (DaemonSet) and gateway (Deployment, autoscaled) for the OpenTelemetry Operator, agent RBAC and node-local Service',
  *files(model) {
    for (const [file, object] of renderKubernetesCollectors(model)) {
      yield [
        `${FOLDER}/${file}`,
        toYaml(object, [`${object.kind} ${object.metadata.name}, namespace ${model.kubernetes.namespace}. Apply: kubectl apply -f ${file}`]),
      ];
    }
  },
};
