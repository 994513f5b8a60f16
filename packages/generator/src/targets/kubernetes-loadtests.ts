import { renderK6ScriptConfigMap, renderTestRun } from '../render/kubernetes-k6.js';
import { toYamlDocuments } from '../serialize.js';
import type { Target } from './target.js';

/** loadtests/kubernetes/: per service, the k6 script ConfigMap and the k6-operator TestRun that runs it. */
export const kubernetesLoadTestsTarget: Target = {
  name: 'kubernetes-loadtests',
  root: 'loadtests/kubernetes',
  describe: 'k6-operator TestRun per service with its script ConfigMap (applying it starts the test)',
  *files(model) {
    for (const s of model.services) {
      yield [
        `${s.name}.yaml`,
        toYamlDocuments(
          [renderK6ScriptConfigMap(model, s), renderTestRun(model, s)],
          [
            `k6 load test of ${s.name} on the k6-operator, ${s.load.parallelism} runner(s). Applying it STARTS the test;`,
            `to run it again: kubectl delete -f this file, then apply it.`,
          ],
        ),
      ];
    }
  },
};
