import { renderDashboardConfigMaps, renderDatasourcesConfigMap } from '../render/kubernetes-dashboards.js';
import { toYaml } from '../serialize.js';
import type { Target } from './target.js';

/** dashboards/kubernetes/: the dashboards and datasources as ConfigMaps for Grafana's sidecars. */
export const kubernetesDashboardsTarget: Target = {
  name: 'kubernetes-dashboards',
  root: 'dashboards/kubernetes',
  describe: 'Grafana dashboards and datasources as ConfigMaps for the Grafana sidecars',
  *files(model) {
    for (const [service, configMap] of renderDashboardConfigMaps(model)) {
      const file = service === undefined ? 'overview.yaml' : `services/${service}.yaml`;
      yield [file, toYaml(configMap, [`Grafana dashboard ConfigMap (label grafana_dashboard=1): ${service ?? 'the overview'}.`])];
    }
    yield [
      'datasources.yaml',
      toYaml(renderDatasourcesConfigMap(model), ['Grafana datasources ConfigMap (label grafana_datasource=1); credentials stay $__env{VAR} references.']),
    ];
  },
};
